"""What makes a story page readable at a glance, beside its account: key facts, who
reported each event first, each outlet's group (the colour of its chip), pages per day
per group, what each group left out, and the counts in the page's header.

Built from the story's account and member articles, which the page has read already,
so it costs no query of its own; the HTML page and ``GET /api/v1/stories/{id}/reading``
both call :func:`story_reading`, so they cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from storyline.assemble.timeline import StoryAccount, story_account
from storyline.compare.conflicts import Conflict
from storyline.compare.coverage import UNKNOWN, OutletGroups, load_groups
from storyline.display import first_reported
from storyline.document import Article
from storyline.records import Event
from storyline.store import QuoteRecord, Store, StorySummary

KEY_FACTS = 5
"""Events a story page lists as key facts: the most widely reported, in date order."""
COARSE = ("month", "year")
"""Precisions too coarse for a per-day chart: a page known only to January 2022 has no
day to stand on (it is counted in the header, not drawn on the first of the month)."""
GROUP_COLOURS = 8
"""Distinct chip colours in the stylesheet (``.g0`` … ``.g7``); ``.g-unknown`` is grey."""


@dataclass(frozen=True)
class Chip:
    """One outlet beside an event, coloured by its group."""

    outlet: str | None
    group: str
    colour: str
    """The chip's CSS class: stable per group across every page of the site."""


@dataclass(frozen=True)
class EventReading:
    first: Article | None
    """The page that reported the event first (its outlet is "first reported by")."""
    chips: tuple[Chip, ...]
    """Every outlet reporting it, each once, the first reporter first."""
    participants: tuple[tuple[str, str], ...]
    """(entity id, name in the reader's language) of who took part."""


@dataclass(frozen=True)
class StoryReading:
    key_facts: tuple[Event, ...]
    events: Mapping[str, EventReading]
    groups: tuple[tuple[str, str], ...]
    """(group, colour class) of every group among the story's outlets, for the legend."""
    per_day: tuple[tuple[date, str], ...]
    """(publication day, group) of every dated member: the coverage-over-time chart."""
    left_out: tuple[tuple[str, tuple[Event, ...]], ...]
    """(group, events none of its outlets reports), for groups that leave any out."""
    pages: int
    outlets: int
    languages: int
    sides: int
    """Groups with at least one page, the unknown group not counted."""
    articles: Mapping[str, Article]
    """The members by id: a source is shown by its outlet and headline, never its id."""
    conflicts: Mapping[str, tuple[Conflict, ...]] = field(default_factory=dict)
    """Event id → what its sources disagree on (shown inline in the timeline)."""


def colour_of(group: str, known: Sequence[str]) -> str:
    """A group's chip class: its place among every group the mapping knows (so one group
    is one colour on every page), ``g-unknown`` for outlets no group claims."""
    if group == UNKNOWN or group not in known:
        return "g-unknown"
    return f"g{known.index(group) % GROUP_COLOURS}"


def key_facts(events: Sequence[Event], limit: int = KEY_FACTS) -> tuple[Event, ...]:
    """The ``limit`` events most pages report (then most sources), in the account's
    (date) order: what a reader must know of the story, one line each."""
    reach = {e.id: (len({s.article_id for s in e.sources}), len(e.sources)) for e in events}
    top = set(sorted(reach, key=lambda i: (-reach[i][0], -reach[i][1], i))[:limit])
    return tuple(e for e in events if e.id in top)


def key_event(store: Store, story_id: str) -> Event | None:
    """The event most pages of the story report (the front page's one line of it)."""
    found = key_facts(story_account(store, story_id).events, 1)
    return found[0] if found else None


def story_reading(
    found: StoryAccount,
    articles: Sequence[Article],
    groups: OutletGroups,
    known_groups: Sequence[str],
    lang: str = "en",
) -> StoryReading:
    """The reading aids of one story from its account and its member ``articles``."""
    by_id = {a.id: a for a in articles}

    def chip(outlet: str | None) -> Chip:
        group = groups.group(outlet)
        return Chip(outlet, group, colour_of(group, known_groups))

    events: dict[str, EventReading] = {}
    for event in found.events:
        reporting = [
            by_id[a] for a in dict.fromkeys(s.article_id for s in event.sources) if a in by_id
        ]
        first = first_reported(reporting)
        ordered = ([first] if first else []) + [a for a in reporting if a is not first]
        outlets = list(dict.fromkeys(a.outlet for a in ordered))
        people = tuple((e, _name(event, e, lang)) for e in event.participants)
        events[event.id] = EventReading(first, tuple(chip(o) for o in outlets), people)
    present = sorted({groups.group(a.outlet) for a in articles})
    titles = {e.id: e for e in found.events}
    left_out = tuple(
        (g, tuple(titles[i] for i in ids if i in titles))
        for g, ids in sorted(found.coverage.missing.items())
        if ids and g != UNKNOWN
    )
    return StoryReading(
        key_facts=key_facts(found.events),
        events=events,
        groups=tuple((g, colour_of(g, known_groups)) for g in present),
        per_day=tuple(
            (a.published.date(), groups.group(a.outlet))
            for a in articles
            if a.published and a.published_precision not in COARSE
        ),
        left_out=left_out,
        pages=len(articles),
        outlets=len({a.outlet for a in articles if a.outlet}),
        languages=len({a.lang for a in articles if a.lang}),
        sides=len({g for g in present if g != UNKNOWN}),
        articles=by_id,
        conflicts=found.conflicts,
    )


def day_counts(per_day: Sequence[tuple[date, str]]) -> dict[str, Counter[date]]:
    """Group → pages per day, for the chart."""
    counts: dict[str, Counter[date]] = {}
    for day, group in per_day:
        counts.setdefault(group, Counter())[day] += 1
    return counts


def _name(event: Event, entity_id: str, lang: str) -> str:
    names = event.names.get(entity_id, {})
    return names.get(lang) or names.get("") or entity_id


def reading_for(
    store: Store,
    story_id: str,
    articles: Sequence[Article],
    lang: str = "en",
    account: StoryAccount | None = None,
) -> StoryReading:
    """:func:`story_reading` of a stored story, grouped by the bundled outlet groups;
    ``account``: the story's, when the caller holds it already (the story page)."""
    groups = outlet_groups()
    found = account if account is not None else story_account(store, story_id)
    return story_reading(found, articles, groups, group_names(groups), lang)


@cache
def outlet_groups() -> OutletGroups:
    """The outlet → group mapping coverage uses, so a group means the same everywhere."""
    return load_groups()


def group_outlets(store: Store, group: str | None) -> list[str] | None:
    """The stored outlets the bundled mapping puts in ``group`` (``None``: no group
    asked). Groups are computed in Python (subdomains, suffix fallbacks), not in SQL, so
    the store's distinct outlets are read and grouped here, and filters ask by name."""
    if group is None:
        return None
    groups = outlet_groups()
    return [o for o in store.outlets() if groups.group(o) == group]


def group_names(groups: OutletGroups) -> list[str]:
    """Every group the mapping can assign (the filters' choices, the chips' colours)."""
    return sorted(set(groups.domains.values()) | set(groups.suffixes.values()))


OUTLET_STORIES = 20
"""Stories an outlet page lists (most important first)."""
OUTLET_LEFT_OUT = 3
"""Stories whose accounts an outlet page reads to say what the outlet left out: each
account annotates its members, so only the outlet's top stories are asked."""


@dataclass(frozen=True)
class OutletReading:
    outlet: str
    group: str
    colour: str
    stories: tuple[StorySummary, ...]
    articles: tuple[Article, ...]
    """Its newest pages."""
    quotes: tuple[QuoteRecord, ...]
    """Words its newest pages quote."""
    left_out: tuple[tuple[StorySummary, tuple[Event, ...]], ...]
    """(story, events of the story none of its pages reports), for its top stories."""


def outlet_reading(store: Store, outlet: str, limit: int = OUTLET_STORIES) -> OutletReading | None:
    """What an outlet covered, left out and quoted; ``None`` when no page is from it."""
    articles = store.articles(outlet=outlet, limit=limit)
    if not articles:
        return None
    groups = outlet_groups()
    group = groups.group(outlet)
    stories = store.stories(outlet=outlet, limit=limit)
    quotes = [q for a in articles for q in store.quotes(article_id=a.id)]
    left_out = []
    for story in stories[:OUTLET_LEFT_OUT]:
        found = story_account(store, story.id)
        mine = {a for a, o in found.outlets.items() if o == outlet}
        missed = tuple(e for e in found.events if not mine & {s.article_id for s in e.sources})
        if missed:
            left_out.append((story, missed))
    return OutletReading(
        outlet,
        group,
        colour_of(group, group_names(groups)),
        tuple(stories),
        tuple(articles),
        tuple(quotes),
        tuple(left_out),
    )


def group_shares(outlets: Mapping[str, int]) -> list[tuple[str, int, str]]:
    """A story's pages per outlet group, ``(group, pages, colour class)``, largest first
    (the front page's coverage bar); pages of no known outlet count as unknown."""
    groups = outlet_groups()
    known = group_names(groups)
    counts: Counter[str] = Counter()
    for outlet, n in outlets.items():
        counts[groups.group(outlet)] += n
    return [(g, n, colour_of(g, known)) for g, n in counts.most_common()]
