"""What a story, an article or an entity page shows, gathered from the store once.

Shared by the JSON API and the HTML pages so the two can never disagree: each
function takes the store and ids and returns plain values; rendering is elsewhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storyline.assemble.speakers import by_speaker as _by_speaker
from storyline.assemble.timeline import StoryAccount, story_account
from storyline.document import Article
from storyline.records import CanonicalEntity
from storyline.store import ArticleAnnotations, EntityDetail, Store, StoryChange, StorySummary

MAX_STORY_ARTICLES = 500
"""A story page lists at most this many articles (the biggest stories are clusters gone wrong)."""
ENTITY_ARTICLES = 200
"""Articles an entity page reads for its chart, co-occurrences and stories."""


@dataclass
class StoryView:
    story: StorySummary
    articles: list[Article]
    by_language: dict[str, dict[str, list[Article]]]
    """Language → outlet → articles (newest first); ``""`` for unknown."""
    entities: list[CanonicalEntity]
    sections: dict[str, Any] = field(default_factory=dict)
    """Timeline, quotes, coverage, conflicts: filled by later layers; empty means not shown."""
    history: list[HistoryLine] = field(default_factory=list)
    """Merges and splits that touched the story, oldest first; empty means not shown."""
    account: StoryAccount | None = None
    """The account the sections come from, for the reading aids beside them."""


@dataclass(frozen=True)
class HistoryLine:
    """One merge or split as seen from the story on the page."""

    change: StoryChange
    phrase: str
    """The interface string saying what happened: ``history_merged_with`` (another story
    was merged into this one), ``history_split_off`` (articles left this one as another
    story), ``history_split_from`` (this story was split off another), or
    ``history_merged_into`` (this one went into another)."""
    other_id: str | None
    """The story on the other side of the change."""


def story_history(store: Store, story_id: str) -> list[HistoryLine]:
    """The merges and splits of ``story_id`` (a live id), each worded from its side."""
    lines = []
    for change in store.story_history(story_id):
        if change.story_id == story_id:
            phrase = "history_merged_with" if change.action == "merge" else "history_split_off"
            other = change.other_story_id
        else:
            phrase = "history_merged_into" if change.action == "merge" else "history_split_from"
            other = change.story_id
        lines.append(HistoryLine(change, phrase, other))
    return lines


def _newest_first(articles: list[Article]) -> list[Article]:
    dated = sorted((a for a in articles if a.published), key=_day, reverse=True)
    return dated + [a for a in articles if not a.published]


def _day(article: Article) -> date:
    assert article.published is not None
    return article.published.date()


def story_view(store: Store, story_id: str) -> StoryView | None:
    story = store.story(story_id)
    if story is None:
        return None
    ids = store.story_article_ids(story.id)[:MAX_STORY_ARTICLES]
    articles = _newest_first(store.articles_by_id(ids))
    grouped: dict[str, dict[str, list[Article]]] = defaultdict(lambda: defaultdict(list))
    for article in articles:
        grouped[article.lang or ""][article.outlet or ""].append(article)
    by_language = {
        lang: dict(sorted(outlets.items(), key=lambda kv: (-len(kv[1]), kv[0])))
        for lang, outlets in sorted(grouped.items(), key=lambda kv: -sum(map(len, kv[1].values())))
    }
    entities = store.entities_by_id(list(story.top_entities))
    found = story_account(store, story.id)
    return StoryView(
        story=story,
        articles=articles,
        by_language=by_language,
        entities=[entities[i] for i in story.top_entities if i in entities],
        sections=account_sections(store, story.id, found),
        history=story_history(store, story.id),
        account=found,
    )


def account_sections(store: Store, story_id: str, found: StoryAccount) -> dict[str, Any]:
    """The story's timeline, quotes, coverage and conflicts (empty ones are left out)."""
    events = {e.id: e for e in found.events}
    sections: dict[str, Any] = {
        "timeline": [(e, e.id in found.conflicts) for e in found.events],
        "quotes": _by_speaker(store.quotes(story_id=story_id, limit=MAX_STORY_ARTICLES)),
        "conflicts": [(events[i], c) for i, c in found.conflicts.items()],
    }
    groups = sorted({g for row in found.coverage.events for g in row.groups})
    if found.events and groups:
        sections["coverage"] = {
            "groups": groups,
            "rows": [(events[row.event_id], set(row.groups)) for row in found.coverage.events],
            "missing": found.coverage.missing,
        }
    return {name: value for name, value in sections.items() if value}


@dataclass
class ArticleView:
    article: Article
    annotations: ArticleAnnotations
    story: StorySummary | None
    entities: dict[str, CanonicalEntity]


def article_view(store: Store, article_id: str) -> ArticleView | None:
    article = store.article(article_id)
    if article is None:
        return None
    annotations = store.article_annotations(article.id)
    story_id = store.story_of(article.id)
    story = store.story(story_id) if story_id else None
    linked = [e["entity_id"] for e in annotations.entities if e.get("entity_id")]
    return ArticleView(article, annotations, story, store.entities_by_id(linked))


@dataclass
class EntityView:
    detail: EntityDetail
    days: list[date]
    """One entry per mention with a dated article (for the chart)."""
    co_occurring: list[tuple[CanonicalEntity, int]]
    """Entities mentioned in the same articles, with how many articles share them."""
    stories: list[StorySummary]


def entity_view(store: Store, entity_id: str, *, top: int = 15) -> EntityView | None:
    detail = store.entity_detail(entity_id, limit=ENTITY_ARTICLES)
    if detail is None:
        return None
    article_ids = [o.article_id for o in detail.occurrences]
    days = [o.published.date() for o in detail.occurrences if o.published for _ in o.mentions]
    shared: Counter[str] = Counter()
    for found_in in store.articles_annotations(article_ids).values():
        others = {e["entity_id"] for e in found_in.entities if e.get("entity_id")}
        shared.update(others - {detail.summary.id})
    common = [eid for eid, _ in shared.most_common(top)]
    found = store.entities_by_id(common)
    story_ids = list(dict.fromkeys(store.stories_of(article_ids).values()))
    stories = [s for s in (store.story(sid) for sid in story_ids) if s is not None]
    stories.sort(key=lambda s: -s.score)
    return EntityView(
        detail=detail,
        days=days,
        co_occurring=[(found[e], shared[e]) for e in common if e in found],
        stories=stories,
    )
