"""A story's account: its events in date order, their conflicts, and who covered what.

Events are merged per story, from its members, whenever a reader asks
(:func:`story_account`), rather than stored: an event's date, sources and
conflicts change with every article that joins. What they are merged from is
stored: each member's event mentions, found in its body, title and lead by the
ingest workers and linked by its writer (:mod:`storyline.store.events`), so a
read is a few queries and a merge, no NLP, and every process reads the same
account. A member stored without them (before the tables existed, or ingested
without annotation) has its mentions found here, linked against the story's
stored entities, and kept per article in this process until an ingest stores
them. Accounts are cached per story membership and the date references of the
members' stored mentions, so a story that gains an article, or a page its story
re-dates, is merged again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

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
from storyline.compare.conflicts import Conflict, find_conflicts
from storyline.compare.coverage import Coverage, OutletGroups, coverage, load_groups
from storyline.document import Article
from storyline.memo import Memo
from storyline.nlp.annotations import Annotations
from storyline.nlp.events import LinkedMention
from storyline.records import CanonicalEntity, Event

__all__ = ["PARTS", "AccountCache", "StoryAccount", "annotated_parts", "story_account"]

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


@dataclass(frozen=True)
class StoryAccount:
    story_id: str
    events: tuple[Event, ...]
    """In date order (undated last)."""
    conflicts: Mapping[str, tuple[Conflict, ...]]
    """Event id → its conflicts (events without any are left out)."""
    coverage: Coverage
    outlets: Mapping[str, str | None]
    """Member article id → outlet."""


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
    originals = [a for a in store.articles_by_id(article_ids) if not a.duplicate_of]
    found = stored_mentions(store, originals)
    made: dict[str, CanonicalEntity] = {}
    missing = [a for a in originals if a.id not in found]
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


class AccountCache:
    """Story accounts by (story id, its member ids, their mentions' date references): a
    story that gained an article or had one re-dated is merged again, one that did not is
    served from memory. Thread-safe, bounded."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._memo: Memo[tuple[object, ...], StoryAccount] = Memo(size)

    def get(
        self, store: _StoryStore, story_id: str, groups_path: str | Path | None = None
    ) -> StoryAccount:
        members = tuple(store.story_article_ids(story_id))
        references = store.event_references(members)
        version = tuple(references.get(m, "") for m in members)

        def build() -> StoryAccount:
            records, entities = story_records(store, members)
            return account(records, entities, load_groups(groups_path), story_id)

        return self._memo.get((story_id, members, version, str(groups_path or "")), build)


_default_cache = AccountCache()


def warm_up() -> None:
    """Load what merging an account reads besides its rows (the outlet registry coverage
    groups outlets by, the country ids the merge sets apart), so a fresh server's first
    account pays for its own merge only."""
    load_groups(None)
    country_ids()


def story_account(
    store: _StoryStore, story_id: str, groups_path: str | Path | None = None
) -> StoryAccount:
    """The account of a stored story (see the module doc); cached in this process."""
    return _default_cache.get(store, story_id, groups_path)
