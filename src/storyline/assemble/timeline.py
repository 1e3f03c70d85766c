"""A story's account: its events in date order, their conflicts, and who covered what.

Events are merged per story, from its members' event mentions, found in their body,
title and lead by the ingest workers and linked by its writer
(:mod:`storyline.store.events`). The ingest that changes a story merges its account
once, at the end of the batch, and stores it (:func:`save_accounts`,
:mod:`storyline.store.accounts`), so a reader decodes one row: a fresh server's first
read of a big story costs no merge. A stored account is used only while it was built
from what the story holds now, its members and the date references of their stored
mentions (:func:`account_key`); otherwise (a story changed outside an ingest, a store
from before accounts were stored) the reader merges it as before, from the rows.

A member stored without event mentions (before the tables existed, or ingested without
annotation) has its mentions found here, linked against the story's stored entities,
and kept per article in this process until an ingest stores them; an account that
needed this is never stored. Accounts are cached per story membership and references
in each process, so a story that gains an article, or a page its story re-dates, is
read again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from storyline.assemble import account_codec
from storyline.assemble.account_record import StoryAccount
from storyline.assemble.events import (
    PARTS,
    ArticleEvents,
    annotate_parts,
    article_events,
    build_events,
    country_ids,
    linked_parts,
    part_texts,
    reference_key,
    timeline,
)
from storyline.assemble.linking import EntityLinker
from storyline.compare.conflicts import find_conflicts
from storyline.compare.coverage import OutletGroups, coverage, load_groups
from storyline.document import Article
from storyline.memo import Memo
from storyline.nlp.annotations import Annotations
from storyline.nlp.events import LinkedMention
from storyline.records import CanonicalEntity

__all__ = [
    "PARTS",
    "AccountCache",
    "StoryAccount",
    "account_key",
    "annotated_parts",
    "save_accounts",
    "story_account",
]

_CACHE_SIZE = 64
_ANNOTATED_SIZE = 1024
"""Articles whose annotations are kept when a reader had to make them (stored without
event mentions). Kilobytes each (a dev page's body pickles to 1.4 KB)."""


class _EventRows(Protocol):
    @property
    def reference(self) -> str: ...
    @property
    def parts(self) -> Mapping[str, Sequence[LinkedMention]]: ...


class _StoryStore(Protocol):
    def story_article_ids(self, story_id: str) -> list[str]: ...
    def articles_by_id(self, article_ids: Iterable[str]) -> list[Article]: ...
    def articles_annotations(self, article_ids: Iterable[str]) -> Mapping[str, Any]: ...
    def entities_by_id(self, entity_ids: Iterable[str]) -> Mapping[str, CanonicalEntity]: ...
    def article_event_rows(self, article_ids: Iterable[str]) -> Mapping[str, _EventRows]: ...
    def event_references(self, article_ids: Iterable[str]) -> Mapping[str, str]: ...
    def stored_account(self, story_id: str) -> _Stored | None: ...


class _Stored(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def body(self) -> str: ...


class _AccountStore(_StoryStore, Protocol):
    """What :func:`save_accounts` needs besides reading: the pending list and saving."""

    def mark_accounts(self, story_ids: Iterable[str]) -> None: ...
    def pending_accounts(self) -> list[str]: ...
    def drop_merged_accounts(self) -> int: ...
    def save_account(self, story_id: str, key: str | None, body: str | None) -> None: ...


_annotated_memo: Memo[tuple[object, ...], dict[str, Annotations]] = Memo(_ANNOTATED_SIZE)


def _annotated(article: Article) -> dict[str, Annotations]:
    """Body, title and lead of ``article`` annotated, kept per article: its content never
    changes under its id. The key also holds what annotation reads besides the text, the
    language and the day dates resolve against, which a story's date completion may
    still change."""
    key = (article.id, article.lang, reference_key(article))
    return _annotated_memo.get(key, lambda: annotate_parts(article))


def annotated_parts(article: Article, linker: EntityLinker) -> dict[str, tuple[LinkedMention, ...]]:
    """The event mentions of ``article``'s body, title and lead, found here and linked by
    ``linker``: for an article stored without them (see the module doc)."""
    notes = _annotated(article)
    texts = part_texts(article)
    return linked_parts(
        article,
        {
            name: (n, linker.link_article(article.id, n.entities, texts[name]))
            for name, n in notes.items()
        },
    )


def account(
    records: Sequence[ArticleEvents],
    entities: Mapping[str, CanonicalEntity],
    groups: OutletGroups | None = None,
    story_id: str = "",
) -> StoryAccount:
    """The account of a story whose original articles (a reprint is not a second source)
    reported ``records``; ``entities`` names the events' places and participants."""
    events = tuple(timeline(build_events(records, entities)))
    found = {e.id: c for e in events if (c := find_conflicts(e))}
    outlets = {r.article_id: r.outlet for r in records}
    return StoryAccount(story_id, events, found, coverage(events, outlets, groups), outlets)


def stored_mentions(
    store: _StoryStore, articles: Sequence[Article]
) -> dict[str, Mapping[str, Sequence[LinkedMention]]]:
    """Article id → part → its stored event mentions, for those of ``articles`` whose
    stored mentions fit their dates (found against the date reference they have now)."""
    rows = store.article_event_rows(a.id for a in articles)
    return {
        a.id: rows[a.id].parts
        for a in articles
        if a.id in rows and rows[a.id].reference == reference_key(a)
    }


def story_records(
    store: _StoryStore, article_ids: Sequence[str]
) -> tuple[list[ArticleEvents], dict[str, CanonicalEntity]]:
    """The event records of the story's original articles, in the order the store gives
    them, and the entities their mentions name (for event titles). Read from the stored
    mentions; found here for an article stored without them or whose stored ones no
    longer fit its dates (its story re-dated it since the last ingest)."""
    found = _records(store, article_ids, stored_only=False)
    assert found is not None
    return found


def _records(
    store: _StoryStore, article_ids: Sequence[str], *, stored_only: bool
) -> tuple[list[ArticleEvents], dict[str, CanonicalEntity]] | None:
    """:func:`story_records`; with ``stored_only``, ``None`` instead of running the NLP
    for a member without usable stored mentions."""
    originals = [a for a in store.articles_by_id(article_ids) if not a.duplicate_of]
    found = stored_mentions(store, originals)
    made: dict[str, CanonicalEntity] = {}
    missing = [a for a in originals if a.id not in found]
    if missing and stored_only:
        return None
    if missing:
        linker = EntityLinker(story_entities(store, article_ids))
        found.update((a.id, annotated_parts(a, linker)) for a in missing)
        made = {e.id: e for e in linker.entities()}
    records = [article_events(a, found[a.id]) for a in originals]
    ids = {
        entity
        for record in records
        for part in record.parts
        for m in part.mentions
        for entity in (m.place, *(e for e, _ in m.participants))
        if entity and entity not in made
    }
    return records, {**store.entities_by_id(ids), **made}


def story_entities(store: _StoryStore, article_ids: Sequence[str]) -> list[CanonicalEntity]:
    """The stored entities the story's articles mention, to seed the linker of members
    stored without event mentions: their titles and leads then link to the same entities
    as the bodies, without loading the whole store."""
    found = store.articles_annotations(article_ids).values()
    ids = [e["entity_id"] for notes in found for e in notes.entities if e["entity_id"]]
    return list(store.entities_by_id(ids).values())


def account_key(members: Sequence[str], references: Mapping[str, str]) -> str:
    """What a story's account is built from, as a short string: its members in store
    order and the date reference of each one's stored mentions (``""``: none stored), and
    the stored format. Two accounts with equal keys merged the same rows."""
    text = "\n".join(f"{m}\t{references.get(m, '')}" for m in members)
    digest = hashlib.sha256(f"{account_codec.FORMAT}\n{text}".encode()).hexdigest()
    return digest[:40]


def _stored(
    store: _StoryStore, story_id: str, key: str, groups_path: str | Path | None
) -> StoryAccount | None:
    """The stored account of ``story_id`` if it was built for ``key``, its events named as
    the stored entities name them now and its coverage grouped by ``groups_path`` now:
    names and groups change without the story changing (another story's pages name an
    entity anew; the outlet registry or a groups file is edited), and both are cheap to
    apply (60-page story: one query of 86 entities, 3.5 ms; regrouping, 0.2 ms)."""
    row = store.stored_account(story_id)
    if row is None or row.key != key:
        return None
    try:
        found = account_codec.loads(row.body)
    except (ValueError, KeyError, TypeError):  # another format: merged again instead
        return None
    found = account_codec.with_names(
        found, store.entities_by_id(account_codec.named_entities(found))
    )
    return replace(found, coverage=coverage(found.events, found.outlets, load_groups(groups_path)))


def build_account(
    store: _StoryStore, story_id: str, members: Sequence[str], *, stored_only: bool = False
) -> StoryAccount | None:
    """The account of ``story_id`` merged from its ``members``' rows (default outlet
    groups); with ``stored_only``, ``None`` when a member has no usable stored mentions."""
    found = _records(store, members, stored_only=stored_only)
    if found is None:
        return None
    records, entities = found
    return account(records, entities, load_groups(None), story_id)


class AccountCache:
    """Story accounts by (story id, its member ids, their mentions' date references): a
    story that gained an article or had one re-dated is read again, one that did not is
    served from memory. Read from the stored account when it was built for the same
    members and references (:func:`account_key`), else merged here. Thread-safe, bounded."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._memo: Memo[tuple[object, ...], StoryAccount] = Memo(size)

    def get(
        self, store: _StoryStore, story_id: str, groups_path: str | Path | None = None
    ) -> StoryAccount:
        members = tuple(store.story_article_ids(story_id))
        references = store.event_references(members)
        version = tuple(references.get(m, "") for m in members)

        def build() -> StoryAccount:
            found = _stored(store, story_id, account_key(members, references), groups_path)
            if found is not None:
                return found
            records, entities = story_records(store, members)
            return account(records, entities, load_groups(groups_path), story_id)

        return self._memo.get((story_id, members, version, str(groups_path or "")), build)


def save_accounts(store: _AccountStore, changed: Iterable[str] = ()) -> int:
    """Build and store the account of every story whose account is pending (changed by
    the ingest; see :mod:`storyline.store.accounts`) or ``changed`` (by hand: a merge, a
    split); returns how many were stored.

    Once per story per batch, at its end, however many windows changed the story. A
    story merged into another loses its row; so does one with a member whose mentions
    are not stored (its readers merge it themselves, see the module doc)."""
    saved = 0
    store.mark_accounts(changed)
    store.drop_merged_accounts()
    for story_id in store.pending_accounts():
        members = tuple(store.story_article_ids(story_id))
        # the key is read before the rows it names: were they to change meanwhile (a merge
        # through the library, which takes no writer lock), the row keeps an older key no
        # reader matches, never a newer key over older rows
        key = account_key(members, store.event_references(members))
        found = build_account(store, story_id, members, stored_only=True) if members else None
        if found is None:
            store.save_account(story_id, None, None)
            continue
        store.save_account(story_id, key, account_codec.dumps(found))
        saved += 1
    return saved


_default_cache = AccountCache()


def warm_up() -> None:
    """Load what reading an account needs besides its rows (the outlet registry coverage
    groups outlets by, the country ids a merge sets apart), so a fresh server's first
    account pays for its own read only."""
    load_groups(None)
    country_ids()


def story_account(
    store: _StoryStore, story_id: str, groups_path: str | Path | None = None
) -> StoryAccount:
    """The account of a stored story (see the module doc); cached in this process."""
    return _default_cache.get(store, story_id, groups_path)
