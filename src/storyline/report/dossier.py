"""What a story dossier says, gathered from the store once, as plain frozen values.

Everything a template needs is resolved here — event titles in the report language,
human forms of conflicting values, each source's outlet and headline — so the
Markdown and HTML templates only lay it out and can never disagree on content.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from storyline.assemble.speakers import by_speaker
from storyline.assemble.timeline import StoryAccount, story_account
from storyline.display import outlet_label, published_label
from storyline.document import Article
from storyline.records import Event
from storyline.report.values import human_date, human_value
from storyline.store import QuoteRecord, Store, StorySummary

QUOTE_LIMIT = 500
"""Quotes a dossier lists at most: past this, a story is a cluster gone wrong, not a story."""


@dataclass(frozen=True)
class ArticleRef:
    id: str
    title: str | None
    outlet: str | None
    lang: str | None
    published: date | None
    url: str | None
    """The original page, only when it is an http(s) address a reader can open."""
    duplicate_of: str | None = None
    when: str | None = None
    """The publication date in words, at its precision ("January 2022", «26 січня 2022»)."""


@dataclass(frozen=True)
class SourceLine:
    article: ArticleRef
    part: str
    """``text``, ``title`` or ``lead``: where in the article the sentence stands."""
    sentence: str


@dataclass(frozen=True)
class TimelineEntry:
    event_id: str
    title: str
    date: str | None
    """Human form in the report language; ``None`` for an undated event."""
    date_inferred: bool
    planned: bool
    disputed: tuple[str, ...]
    """The attributes the sources disagree on (empty: no conflict)."""
    sources: tuple[SourceLine, ...]


@dataclass(frozen=True)
class QuoteLine:
    text: str
    direct: bool
    said_on: date | None
    article: ArticleRef


@dataclass(frozen=True)
class SpeakerQuotes:
    speaker: str
    quotes: tuple[QuoteLine, ...]


@dataclass(frozen=True)
class CoverageRow:
    event_id: str
    title: str
    groups: frozenset[str]


@dataclass(frozen=True)
class CoverageTable:
    groups: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    missing: tuple[tuple[str, tuple[str, ...]], ...]
    """(group, titles of the events none of its outlets reports), for every group present."""


@dataclass(frozen=True)
class ConflictValueLine:
    value: str
    """As stored (ISO date or duration, a number): what ``storyline conflicts`` prints."""
    label: str
    """As a reader says it, in the report language."""
    articles: tuple[ArticleRef, ...]


@dataclass(frozen=True)
class ConflictEntry:
    event_id: str
    event_title: str
    attribute: str
    values: tuple[ConflictValueLine, ...]


@dataclass(frozen=True)
class OutletArticles:
    outlet: str | None
    articles: tuple[ArticleRef, ...]
    """Oldest first, undated last: a dossier reads in the order things were reported."""


@dataclass(frozen=True)
class LanguageArticles:
    lang: str | None
    outlets: tuple[OutletArticles, ...]


@dataclass(frozen=True)
class Dossier:
    story_id: str
    lang: str
    """The report language: event titles, value forms and headings follow it."""
    title: str | None
    summary: str | None
    dates: str | None
    languages: tuple[tuple[str, int], ...]
    outlets: tuple[tuple[str | None, int], ...]
    """Outlet (``None``: not known) → member articles, the most prolific first."""
    size: int
    timeline: tuple[TimelineEntry, ...]
    speakers: tuple[SpeakerQuotes, ...]
    coverage: CoverageTable | None
    conflicts: tuple[ConflictEntry, ...]
    articles: tuple[LanguageArticles, ...]


def build_dossier(
    store: Store, story_id: str, lang: str = "en", groups_path: str | Path | None = None
) -> Dossier:
    """The dossier of ``story_id`` (a merged-away id gives its successor's).

    Raises :class:`~storyline.store.stories.StoryNotFound` when the store has no such story.
    """
    story = store.story(store.live_story(story_id))
    assert story is not None  # live_story raised otherwise
    members = store.articles_by_id(store.story_article_ids(story.id))
    refs = {a.id: _ref(a, lang) for a in members}
    found = story_account(store, story.id, groups_path)
    quotes = store.quotes(story_id=story.id, limit=QUOTE_LIMIT)
    return Dossier(
        story_id=story.id,
        lang=lang,
        title=story.title_in(lang),
        summary=story.summary,
        dates=_story_dates(story, lang),
        languages=tuple(sorted(story.languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        outlets=_outlet_counts(members),
        size=len(members),
        timeline=tuple(_timeline(found, refs, lang)),
        speakers=tuple(_speakers(quotes, refs)),
        coverage=_coverage(found, lang),
        conflicts=tuple(_conflicts(found, refs, lang)),
        articles=_by_language(refs.values()),
    )


def _ref(article: Article, lang: str = "en") -> ArticleRef:
    return ArticleRef(
        id=article.id,
        title=article.title,
        outlet=outlet_label(article.outlet, lang),
        lang=article.lang,
        published=article.published.date() if article.published else None,
        url=article.url if _openable(article.url) else None,
        duplicate_of=article.duplicate_of,
        when=published_label(article.published, article.published_precision, lang),
    )


def _openable(url: str | None) -> bool:
    """Only web addresses become links: a ``javascript:`` or ``file:`` one in a mailed
    dossier would run or leak something on the recipient's machine."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _lookup(refs: Mapping[str, ArticleRef], article_id: str) -> ArticleRef:
    """The member article, or a bare reference when an account names one no longer stored."""
    return refs.get(article_id) or ArticleRef(article_id, None, None, None, None, None)


def _story_dates(story: StorySummary, lang: str) -> str | None:
    first, last = story.first_published, story.last_published
    if first is None:
        return None
    span = first.isoformat() if last in (None, first) else f"{first}/{last}"
    return human_date(span, lang)


def _outlet_counts(articles: Sequence[Article]) -> tuple[tuple[str | None, int], ...]:
    counts = Counter(outlet_label(a.outlet) for a in articles)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or "")))


def _timeline(
    found: StoryAccount, refs: Mapping[str, ArticleRef], lang: str
) -> Iterable[TimelineEntry]:
    for event in found.events:
        yield TimelineEntry(
            event_id=event.id,
            title=event.title(lang),
            date=human_date(event.date, lang) if event.date else None,
            date_inferred=event.date_inferred,
            planned=event.planned,
            disputed=tuple(c.attribute for c in found.conflicts.get(event.id, ())),
            sources=tuple(
                SourceLine(_lookup(refs, s.article_id), s.part, s.sentence) for s in event.sources
            ),
        )


def _speakers(
    quotes: Sequence[QuoteRecord], refs: Mapping[str, ArticleRef]
) -> Iterable[SpeakerQuotes]:
    for speaker, _, said in by_speaker(quotes):
        lines = []
        for q in said:
            article = refs.get(q.article_id) or ArticleRef(
                q.article_id, q.title, q.outlet, q.lang, q.said_on, None
            )
            lines.append(QuoteLine(q.text, q.kind == "direct", q.said_on, article))
        yield SpeakerQuotes(speaker, tuple(lines))


def _coverage(found: StoryAccount, lang: str) -> CoverageTable | None:
    groups = tuple(sorted({g for row in found.coverage.events for g in row.groups}))
    if not found.events or not groups:
        return None
    events: dict[str, Event] = {e.id: e for e in found.events}
    rows = tuple(
        CoverageRow(row.event_id, events[row.event_id].title(lang), frozenset(row.groups))
        for row in found.coverage.events
    )
    missing = tuple(
        (group, tuple(events[i].title(lang) for i in ids))
        for group, ids in sorted(found.coverage.missing.items())
    )
    return CoverageTable(groups, rows, missing)


def _conflicts(
    found: StoryAccount, refs: Mapping[str, ArticleRef], lang: str
) -> Iterable[ConflictEntry]:
    events = {e.id: e for e in found.events}
    for event_id, conflicts in found.conflicts.items():
        title = events[event_id].title(lang)
        for conflict in conflicts:
            values = tuple(
                ConflictValueLine(
                    v.value,
                    human_value(conflict.attribute, v.value, lang),
                    tuple(_lookup(refs, a) for a in v.article_ids),
                )
                for v in conflict.values
            )
            yield ConflictEntry(event_id, title, conflict.attribute, values)


def _by_language(refs: Iterable[ArticleRef]) -> tuple[LanguageArticles, ...]:
    grouped: dict[str | None, dict[str | None, list[ArticleRef]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for ref in refs:
        grouped[ref.lang][ref.outlet].append(ref)
    return tuple(
        LanguageArticles(
            lang,
            tuple(
                OutletArticles(outlet, tuple(sorted(articles, key=_reported_order)))
                for outlet, articles in sorted(outlets.items(), key=lambda kv: _last_none(kv[0]))
            ),
        )
        for lang, outlets in sorted(grouped.items(), key=lambda kv: _last_none(kv[0]))
    )


def _last_none(value: str | None) -> tuple[bool, str]:
    return value is None, value or ""


def _reported_order(ref: ArticleRef) -> tuple[bool, date, str]:
    return ref.published is None, ref.published or date.min, ref.id
