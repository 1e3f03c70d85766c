"""A story's account: its events in date order, their conflicts, and who covered what.

Events are built per story, from its members, whenever a reader asks
(:func:`story_account`), rather than stored: an event's date, sources and
conflicts change with every article that joins, and rebuilding a story of a few
dozen articles takes well under a second. The build re-annotates each member's
body, title and lead (sentences and tokens are not stored; titles and leads carry
events the body omits, such as «майже вісім годин» in a headline) and links them
against the store's entities, so event participants are the entities the rest of
the product shows. Results are cached per story membership, and each member's
annotations per article, so a story that gains an article annotates only that one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from storyline.assemble.events import ArticleEvents, article_events, build_events, timeline
from storyline.assemble.linking import EntityLinker
from storyline.compare.conflicts import Conflict, find_conflicts
from storyline.compare.coverage import Coverage, OutletGroups, coverage, load_groups
from storyline.document import Article
from storyline.memo import Memo
from storyline.nlp.annotations import Annotations
from storyline.nlp.pipeline import annotate, date_reference
from storyline.records import CanonicalEntity, Event

PARTS = ("text", "title", "lead")
_CACHE_SIZE = 64
_ANNOTATED_SIZE = 4096
"""Article parts whose annotations are kept: the members of the stories readers look at.
Kilobytes each (a dev page's body pickles to 1.4 KB), so tens of MB at most."""


class _StoryStore(Protocol):
    def story_article_ids(self, story_id: str) -> list[str]: ...
    def articles_by_id(self, article_ids: Iterable[str]) -> list[Article]: ...
    def articles_annotations(self, article_ids: Iterable[str]) -> Mapping[str, Any]: ...
    def entities_by_id(self, entity_ids: Iterable[str]) -> Mapping[str, CanonicalEntity]: ...


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


_annotated: Memo[tuple[object, ...], Annotations] = Memo(_ANNOTATED_SIZE)


def _annotated_part(article: Article, name: str, text: str) -> Annotations:
    """The part ``name`` of ``article`` (its ``text``), annotated, kept per article and
    part: an article's content never changes under its id, so when a story gains a member
    its account annotates only the newcomer, not every member again (under writes, those
    full rebuilds were the story pages' slow tail). The key also holds what annotation
    reads besides the text, the language and the day dates resolve against, which a
    story's date completion may still change."""
    key = (article.id, name, article.lang, date_reference(article))
    return _annotated.get(key, lambda: annotate(article.with_(text=text)))


def annotated_parts(
    article: Article, linker: EntityLinker
) -> dict[str, tuple[Annotations, list[str]]]:
    """Body, title and lead of ``article``, each annotated and linked by ``linker``."""
    texts = {"text": article.text, "title": article.title, "lead": article.lead}
    parts: dict[str, tuple[Annotations, list[str]]] = {}
    for name in PARTS:
        text = texts[name]
        if text:
            notes = _annotated_part(article, name, text)
            parts[name] = (notes, linker.link_article(article.id, notes.entities, text))
    return parts


def account(
    articles: Sequence[Article],
    linker: EntityLinker,
    groups: OutletGroups | None = None,
    story_id: str = "",
) -> StoryAccount:
    """The account of a story made of ``articles`` (duplicates are left out: a reprint
    is not a second source)."""
    originals = [a for a in articles if not a.duplicate_of]
    records: list[ArticleEvents] = [
        article_events(a, annotated_parts(a, linker)) for a in originals
    ]
    entities = {e.id: e for e in linker.entities()}
    events = tuple(timeline(build_events(records, entities)))
    found = {e.id: c for e in events if (c := find_conflicts(e))}
    outlets = {a.id: a.outlet for a in originals}
    return StoryAccount(story_id, events, found, coverage(events, outlets, groups), outlets)


def story_entities(store: _StoryStore, article_ids: Sequence[str]) -> list[CanonicalEntity]:
    """The stored entities the story's articles mention, to seed its linker: titles and
    leads then link to the same entities as the bodies, without loading the whole store."""
    found = store.articles_annotations(article_ids).values()
    ids = [e["entity_id"] for notes in found for e in notes.entities if e["entity_id"]]
    return list(store.entities_by_id(ids).values())


class AccountCache:
    """Story accounts by (story id, its member ids): a story that gained an article is
    rebuilt, one that did not is served from memory. Thread-safe, bounded."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._memo: Memo[tuple[object, ...], StoryAccount] = Memo(size)

    def get(
        self, store: _StoryStore, story_id: str, groups_path: str | Path | None = None
    ) -> StoryAccount:
        members = tuple(store.story_article_ids(story_id))

        def build() -> StoryAccount:
            articles = store.articles_by_id(members)
            linker = EntityLinker(story_entities(store, members))
            return account(articles, linker, load_groups(groups_path), story_id)

        return self._memo.get((story_id, members, str(groups_path or "")), build)


_default_cache = AccountCache()


def story_account(
    store: _StoryStore, story_id: str, groups_path: str | Path | None = None
) -> StoryAccount:
    """The account of a stored story (see the module doc); cached in this process."""
    return _default_cache.get(store, story_id, groups_path)
