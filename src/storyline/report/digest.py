"""What is new for each watch since a moment: new events, new conflicts, new outlets.

A reader who follows a story, a person or a query wants the changes, not the story
again. *New* is judged by when pages reached the store (see
:mod:`storyline.store.watches`), and an event is new only when every page reporting it
is new: an old event that one more outlet repeats is not news, though the outlet is.

Shared by ``storyline digest`` (text and Markdown for a mail), the watch's Atom feed
and the JSON API, so the three always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from storyline.assemble.timeline import story_account
from storyline.display import date_label, first_reported, outlet_label
from storyline.document import Article
from storyline.report.labels import attribute_label, labels
from storyline.report.markdown import escape
from storyline.report.values import human_value
from storyline.store import Store, StorySummary, Watch

RECENT_DAYS = 7
"""What a watch page, the API and ``storyline digest`` call recent when not told a moment."""
QUERY_HITS = 200
"""Search hits a query watch reads (best first): its stories are those of these pages."""


@dataclass(frozen=True)
class NewEvent:
    event_id: str
    title: str
    date: str | None
    """In words at the date's own precision («January 2022»); ``None`` when undated."""
    first_outlet: str | None
    """The outlet of the earliest-published page reporting it (first reported by)."""
    article_ids: tuple[str, ...]


@dataclass(frozen=True)
class NewConflict:
    event_id: str
    event_title: str
    attribute: str
    """As a reader says it («date», «killed»)."""
    values: tuple[str, ...]
    """Every disputed value in words."""


@dataclass(frozen=True)
class StoryNews:
    story: StorySummary
    title: str
    """The story's headline in the digest's language where it has one."""
    new_articles: tuple[str, ...]
    events: tuple[NewEvent, ...]
    conflicts: tuple[NewConflict, ...]
    outlets: tuple[str, ...]
    """Outlets that reported on the story for the first time."""

    @property
    def empty(self) -> bool:
        return not (self.events or self.conflicts or self.outlets)


@dataclass(frozen=True)
class WatchDigest:
    watch: Watch
    name: str
    """What the watch follows, as a reader names it: its label, else the entity's name,
    the story's title or the query."""
    since: datetime
    stories: tuple[StoryNews, ...]


def start_of(day: date | None, now: datetime | None = None) -> datetime:
    """The moment a digest counts from: the start of ``day`` (UTC), else
    :data:`RECENT_DAYS` days before ``now``."""
    if day is None:
        return (now or datetime.now(UTC)) - timedelta(days=RECENT_DAYS)
    return datetime.combine(day, time(), UTC)


def watched_articles(store: Store, watch: Watch) -> list[str] | None:
    """The pages a watch matches; ``None`` for a story watch (every member matches)."""
    if watch.kind == "entity":
        return store.entity_article_ids(watch.target)
    if watch.kind == "query":
        result = store.search(watch.target, limit=QUERY_HITS)
        return [hit.article_id for hit in result.hits]
    return None


def watched_stories(store: Store, watch: Watch) -> list[str]:
    """The live stories a watch follows, each once, in the order first matched."""
    matched = watched_articles(store, watch)
    if matched is None:
        found = store.resolve_story(watch.target)
        return [found] if found else []
    return list(dict.fromkeys(store.stories_of(matched).values()))


def digest(store: Store, watch: Watch, since: datetime, lang: str = "en") -> WatchDigest:
    """What is new for ``watch`` among pages stored at or after ``since`` (aware UTC or
    naive UTC); a story without new pages, or whose new pages the watch does not match,
    is left out."""
    matched = watched_articles(store, watch)
    wanted = set(matched) if matched is not None else None
    news = []
    for story_id in watched_stories(store, watch):
        found = story_news(store, story_id, since, lang, wanted)
        if found is not None:
            news.append(found)
    return WatchDigest(watch, watch_name(store, watch, lang), since, tuple(news))


def watch_name(store: Store, watch: Watch, lang: str = "en") -> str:
    if watch.label:
        return watch.label
    if watch.kind == "entity":
        entity = store.entity(watch.target)
        return entity.names.get(lang) or entity.name if entity is not None else watch.target
    if watch.kind == "story":
        story = store.story(watch.target)
        return (story.title_in(lang) if story else None) or watch.target
    return f"«{watch.target}»"


def story_news(
    store: Store,
    story_id: str,
    since: datetime,
    lang: str = "en",
    matched: set[str] | None = None,
) -> StoryNews | None:
    """The news of one story since ``since``; ``None`` when it has no new page (or none
    in ``matched``)."""
    story = store.story(story_id)
    if story is None:
        return None
    members = store.story_article_ids(story.id)
    stored = store.stored_at(members)
    cutoff = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    new = {a for a, at in stored.items() if at >= cutoff}
    if not new or (matched is not None and not new & matched):
        return None
    found = story_account(store, story.id)
    articles = {a.id: a for a in store.articles_by_id(members)}
    events = []
    for event in found.events:
        ids = tuple(dict.fromkeys(s.article_id for s in event.sources))
        if ids and new.issuperset(ids):
            events.append(
                NewEvent(
                    event.id,
                    event.title(lang),
                    date_label(event.date, lang) if event.date else None,
                    _first_outlet([articles[a] for a in ids if a in articles], lang),
                    ids,
                )
            )
    words = labels(lang)
    titles = {e.id: e.title(lang) for e in found.events}
    conflicts = [
        NewConflict(
            event_id,
            titles.get(event_id, event_id),
            attribute_label(c.attribute, words),
            tuple(human_value(c.attribute, v.value, lang) for v in c.values),
        )
        for event_id, found_conflicts in found.conflicts.items()
        for c in found_conflicts
        if any(new.intersection(v.article_ids) for v in c.values)
    ]
    old_outlets = {a.outlet for i, a in articles.items() if i not in new and a.outlet}
    new_outlets = sorted(
        {a.outlet for i, a in articles.items() if i in new and a.outlet} - old_outlets
    )
    return StoryNews(
        story,
        story.title_in(lang) or story.id,
        tuple(sorted(new)),
        tuple(events),
        tuple(conflicts),
        tuple(outlet_label(o, lang) or o for o in new_outlets),
    )


def _first_outlet(articles: Sequence[Article], lang: str) -> str | None:
    """The outlet of the page that reported first; ``None`` when that page names none
    (a later page's outlet would be a wrong "first reported by")."""
    first = first_reported(articles)
    return outlet_label(first.outlet, lang) if first is not None else None


def _lines(found: WatchDigest, md: bool) -> Iterable[str]:
    """One digest as lines: plain text (indented) or Markdown (headings and lists)."""
    esc = escape if md else str
    kind = f"{found.watch.kind} {found.watch.id}"
    yield f"## {esc(found.name)} ({kind})" if md else f"{found.name} ({kind})"
    if not found.stories:
        yield ("" if md else "  ") + "Nothing new."
    for news in found.stories:
        title = news.title
        pages = f"{len(news.new_articles)} new page{'s' if len(news.new_articles) != 1 else ''}"
        if md:
            yield ""
            yield f"### {esc(title)} ({news.story.id}, {pages})"
        else:
            yield f"  {title} ({news.story.id}, {pages})"
        pad = "" if md else "    "
        for event in news.events:
            first = f" — first reported by {esc(event.first_outlet)}" if event.first_outlet else ""
            yield f"{pad}- New event: {esc(event.title)}{first}"
        for conflict in news.conflicts:
            values = " / ".join(esc(v) for v in conflict.values)
            what = f"{esc(conflict.event_title)}: {esc(conflict.attribute)}"
            yield f"{pad}- New conflict on {what} {values}"
        if news.outlets:
            yield f"{pad}- New outlets: {', '.join(esc(o) for o in news.outlets)}"
        if news.empty:
            yield f"{pad}- New pages, nothing new in them."


def render_digests(digests: Sequence[WatchDigest], fmt: str = "text") -> str:
    """Every digest, as plain text or (``md``) as Markdown a mail can carry; scraped words
    are Markdown-escaped there, so a headline cannot become a link or markup."""
    md = fmt == "md"
    if not digests:
        return "No watches.\n"
    since = digests[0].since.strftime("%Y-%m-%d %H:%M %Z").strip()
    head = [f"# What is new since {since}" if md else f"What is new since {since}", ""]
    body: list[str] = []
    for found in digests:
        body.extend(_lines(found, md))
        body.append("")
    return "\n".join(head + body)


def watch_record(watch: Watch, name: str) -> dict[str, Any]:
    """A watch as JSON (the API's list, a digest's head)."""
    return {
        "id": watch.id,
        "kind": watch.kind,
        "target": watch.target,
        "label": watch.label,
        "name": name,
        "created_at": watch.created_at.isoformat(),
        "webhook": watch.webhook,
        "feed": f"/feeds/watches/{watch.id}.atom",
    }


def news_record(news: StoryNews) -> dict[str, Any]:
    """One story's news as JSON."""
    return {
        "story_id": news.story.id,
        "title": news.title,
        "new_article_ids": list(news.new_articles),
        "events": [
            {
                "event_id": e.event_id,
                "title": e.title,
                "date": e.date,
                "first_reported_by": e.first_outlet,
                "article_ids": list(e.article_ids),
            }
            for e in news.events
        ],
        "conflicts": [
            {
                "event_id": c.event_id,
                "event_title": c.event_title,
                "attribute": c.attribute,
                "values": list(c.values),
            }
            for c in news.conflicts
        ],
        "outlets": list(news.outlets),
    }


def digest_record(found: WatchDigest) -> dict[str, Any]:
    """A digest as JSON: what the API answers and what a webhook is posted."""
    return {
        **watch_record(found.watch, found.name),
        "since": found.since.isoformat(),
        "stories": [news_record(n) for n in found.stories],
    }
