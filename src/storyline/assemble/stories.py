"""Incremental story clustering: each new article joins the best story so far or starts one.

An article comes in as a :class:`StoryInput` (built by :func:`story_input` from the
article, its annotations and its linked entity ids). Candidate stories come from an
inverted index on entity ids (the stories sharing the article's rarest entities; never
a scan of all stories). Each candidate is scored by a logistic combination of

* entity overlap: IDF-weighted cosine of the article's entity ids with the story's,
  and the share of the article's entity IDF mass the story covers (IDF over the
  articles seen so far);
* date proximity: how far the article's date falls outside the story's own span
  (the first and last date of its members), plus shared day dates mentioned;
* lexical similarity: TF-IDF cosine with the story's members in the article's own
  language (none when the story has no member in that language).

The article joins the best candidate when its probability reaches the threshold, else
it founds a new story. A story none of whose days is near the day the article opens with
is never a candidate (:attr:`Weights.day_veto`): close-but-different stories are often the
same place and people a year apart. Weights, bias and threshold live in ``resources/stories.json``
(fitted on the dev corpus by ``storyline.evaluation.stories.fit``; see its ``_doc``).
Story ids are stable: ``"s_"`` + a hash of the founding article's id.
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import islice
from sys import intern

from storyline.document import Article
from storyline.nlp.annotations import Annotations
from storyline.nlp.morph import lemma

FEATURES = (
    "entity_cosine",
    "entity_cover",
    "lexical_cosine",
    "no_same_language",
    "date_near",
    "date_gap",
    "date_unknown",
    "shared_days",
    "lead_day_match",
    "lead_day_clash",
    "entity_mean",
    "lexical_mean",
)
_RECENT = 50
"""How many of a story's latest members the best-member features look at."""
_TYPES = frozenset({"PER", "ORG", "LOC", "EVT"})
_WORD = re.compile(r"[^\W\d_]{3,}")
_LEAD_DAY_CLASH = FEATURES.index("lead_day_clash")
_CANDIDATE_KEYS = 8
"""How many of the article's rarest already-seen entities are looked up in the index."""
_MAX_CANDIDATES = 30
_POSTING_SCAN = 500
"""How many of an entity's most recently touched stories a candidate lookup reads: an entity
in most articles ("Russia") is in most stories, and reading all of them would make the cost
per article grow with the store."""
_STORY_TERMS = 5000
"""A story's per-language token counts are pruned to this many most frequent terms whenever
they reach twice as many (only stories of hundreds of articles get there)."""
_DIRECT = 4
"""Stories with at most this many latest members score the best-member features member by
member; bigger ones keep running sums of their members' unit vectors."""
_NORM_EXACT = 500
_NORM_DRIFT = 0.01
"""A story's cached TF-IDF norms are recomputed in full whenever the article count changed
below ``_NORM_EXACT`` articles, above it once the count grew by ``_NORM_DRIFT`` since."""


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
    )


@dataclass(frozen=True, slots=True)
class Weights:
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    day_veto: bool = True
    """Never join a story none of whose members' days is within ``_DAY_SLACK`` days of the
    day the article opens with (its event day, as far as the text says; month-day only,
    since years are rarely written). A design choice, not fitted: without it whole
    look-alike stories (same bridge, another year) fuse in about half the ingest orders; with
    it dev B-cubed F1 also rises (0.80 → 0.84 in manifest order). A slack of 7 days scores
    higher still (0.88) but fuses D02/D03 (22 vs 17 July, a year apart) in most orders."""

    def probability(self, features: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@cache
def default_weights() -> Weights:
    from storyline.resources import load

    try:
        table = load("stories")
    except FileNotFoundError:
        return Weights(
            weights=(4.0, 3.0, 6.0, 0.0, 1.0, -2.0, 0.0, 1.0, 1.0, -1.0, 0.0, 0.0), bias=-4.0
        )
    by_name = table["weights"]
    return Weights(
        weights=tuple(float(by_name.get(name, 0.0)) for name in FEATURES),
        bias=float(table["bias"]),
        threshold=float(table["threshold"]),
        day_veto=bool(table.get("day_veto", True)),
    )


_Packed = tuple[tuple[str, ...], array, float]
"""A member's TF-IDF vector, compactly: terms, weights (same order), Euclidean norm."""


def _pack(vector: Mapping[str, float]) -> _Packed:
    values = array("d", vector.values())
    return tuple(vector), values, math.sqrt(sum(v * v for v in values))


@dataclass(slots=True)
class Story:
    id: str
    members: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    tokens: dict[str, Counter[str]] = field(default_factory=dict)
    """Language → summed token counts of its members in that language (a huge story's
    counts are pruned to its ``_STORY_TERMS`` most frequent terms)."""
    first: date | None = None
    last: date | None = None
    days: Counter[str] = field(default_factory=Counter)
    """Month-days its members mention (each member counted once)."""
    recent: deque[tuple[str | None, _Packed, _Packed]] = field(
        default_factory=lambda: deque(maxlen=_RECENT)
    )
    """Its latest members (at most ``_RECENT``): language, entity and token TF-IDF vectors
    (weighted with the IDF as it stood when they joined)."""
    lead_days: Counter[str] = field(default_factory=Counter)
    """The first month-day each member mentions (usually the event's day)."""
    day_numbers: set[int] = field(default_factory=set)
    """Day of the year of each readable month-day in :attr:`days`."""
    recent_langs: Counter[str | None] = field(default_factory=Counter)
    """Language → how many of :attr:`recent` are in it."""
    entity_sum: dict[str, float] | None = None
    """Sum of the unit entity vectors of :attr:`recent` (kept once it has more than
    ``_DIRECT`` members; below that the members are read one by one)."""
    token_sums: dict[str | None, dict[str, float]] | None = None
    """Language → sum of the unit token vectors of :attr:`recent` in that language."""
    evictions: int = 0
    norms: dict[str, tuple[int, int, float]] = field(default_factory=dict)
    """Cached norm of the story's per-language token TF-IDF vectors: (members then,
    articles in that language then, norm); see ``StoryClusterer._norm``."""


def story_id(founder: str) -> str:
    return "s_" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:12]


def _norm(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def _dot(packed: _Packed, vector: Mapping[str, float]) -> float:
    get = vector.get
    return sum(v * get(k, 0.0) for k, v in zip(packed[0], packed[1], strict=True))


def _mean_cosine(
    vector: Mapping[str, float], norm: float, members: Iterable[_Packed], count: int
) -> float:
    """Mean cosine of ``vector`` (of norm ``norm``) with ``count`` packed ``members``."""
    if not count or not norm:
        return 0.0
    total = 0.0
    for m in members:
        dot = _dot(m, vector)
        if dot:
            total += dot / (norm * m[2])
    return total / count


def _accumulate(into: dict[str, float], packed: _Packed, sign: float) -> None:
    """Add ``sign`` times the unit vector of ``packed`` to ``into``."""
    keys, values, norm = packed
    if not norm:
        return
    scale = sign / norm
    for k, v in zip(keys, values, strict=True):
        into[k] = into.get(k, 0.0) + scale * v


@dataclass(frozen=True, slots=True)
class _Doc:
    """What scoring needs of the incoming article, computed once for all its candidates."""

    doc: StoryInput
    idf: dict[str, float]
    entities: dict[str, float]
    entity_norm: float
    entity_mass: float
    tokens: dict[str, float]
    token_norm: float
    day_number: int | None


class StoryClusterer:
    """Holds the stories so far; :meth:`add` places one article (see the module doc).

    Cost per article does not grow with the store: candidates come from at most
    ``_POSTING_SCAN`` most recently touched stories per looked-up entity, and each
    candidate is scored in time proportional to the article (its entities and terms),
    not to the story: story-side norms are cached (:meth:`_norm`) and the best-member
    features read a running sum of the latest members' unit vectors.
    """

    def __init__(self, weights: Weights | None = None) -> None:
        self.weights = weights or default_weights()
        self.stories: dict[str, Story] = {}
        self.assignment: dict[str, str] = {}
        self._index: dict[str, dict[str, None]] = defaultdict(dict)
        """Entity id → the stories naming it, least recently touched first."""
        self._entity_df: Counter[str] = Counter()
        self._articles = 0
        self._token_df: dict[str, Counter[str]] = defaultdict(Counter)
        self._lang_articles: Counter[str] = Counter()

    # -- public -------------------------------------------------------------------------

    def add(self, doc: StoryInput) -> str:
        """The id of the story ``doc`` joins (an existing one, or a new one it founds)."""
        best, best_p = None, 0.0
        for sid, features in self.candidates(doc).items():
            p = self.weights.probability(features)
            if p > best_p:
                best, best_p = sid, p
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
        chosen = [sid for sid, _ in mass.most_common(_MAX_CANDIDATES)]
        if not chosen:
            return {}
        doc_entities = {eid: w * idf[eid] for eid, w in doc.entities}
        doc_tokens = self._tfidf(Counter(doc.tokens), doc.lang)
        scored = _Doc(
            doc=doc,
            idf=idf,
            entities=doc_entities,
            entity_norm=_norm(doc_entities),
            entity_mass=sum(idf[e] for e in doc_entities),
            tokens=doc_tokens,
            token_norm=_norm(doc_tokens),
            day_number=_day_of_year(doc.days[0]) if doc.days else None,
        )
        found = {s: self._features(scored, self.stories[s]) for s in chosen}
        if self.weights.day_veto:
            found = {s: f for s, f in found.items() if not f[_LEAD_DAY_CLASH]}
        return found

    def place(self, doc: StoryInput, sid: str | None) -> str:
        """Put ``doc`` into story ``sid`` and update the indexes. ``None`` founds a story
        named after ``doc``; a named story not seen yet is created (a story split off by
        hand has an id no founder gives)."""
        if sid is None:
            sid = story_id(doc.article_id)
        story = self.stories.setdefault(sid, Story(sid))
        story.members.append(doc.article_id)
        entities = [(intern(eid), w) for eid, w in doc.entities]
        tokens = [intern(t) for t in doc.tokens]
        token_counts = Counter(tokens)
        entity_vector = _pack({eid: w * self._entity_idf(eid) for eid, w in entities})
        token_vector = _pack(self._tfidf(token_counts, doc.lang))
        self._remember(story, (doc.lang, entity_vector, token_vector))
        self.assignment[doc.article_id] = sid
        for eid, w in entities:
            story.entities[eid] += w
            posting = self._index[eid]
            posting.pop(sid, None)  # move to the most recent end
            posting[sid] = None
            self._entity_df[eid] += 1
        self._articles += 1
        if doc.lang:
            counts = story.tokens.setdefault(doc.lang, Counter())
            counts.update(token_counts)
            if len(counts) > 2 * _STORY_TERMS:
                story.tokens[doc.lang] = Counter(dict(counts.most_common(_STORY_TERMS)))
            self._token_df[doc.lang].update(token_counts.keys())
            self._lang_articles[doc.lang] += 1
        day = doc.day
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        for month_day in set(doc.days):
            story.days[month_day] += 1
            if (number := _day_of_year(month_day)) is not None:
                story.day_numbers.add(number)
        if doc.days:
            story.lead_days[doc.days[0]] += 1
        return sid

    def follow(self, article_id: str, sid: str) -> None:
        """Record that ``article_id`` (a reprint) belongs to ``sid`` without counting it as
        evidence: a copy must not weigh twice."""
        self.assignment[article_id] = sid

    def clusters(self) -> dict[str, list[str]]:
        return {sid: list(s.members) for sid, s in self.stories.items()}

    # -- scoring --------------------------------------------------------------------------

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

    def _remember(self, story: Story, member: tuple[str | None, _Packed, _Packed]) -> None:
        """Append ``member`` to the story's latest members and keep the running sums."""
        recent = story.recent
        if len(recent) == recent.maxlen:
            old = recent[0]
            story.recent_langs[old[0]] -= 1
            story.evictions += 1
            if story.entity_sum is not None and story.token_sums is not None:
                _accumulate(story.entity_sum, old[1], -1.0)
                _accumulate(story.token_sums.setdefault(old[0], {}), old[2], -1.0)
        recent.append(member)
        story.recent_langs[member[0]] += 1
        if len(recent) <= _DIRECT:
            return
        if story.entity_sum is None or story.token_sums is None or story.evictions >= _RECENT:
            # (re)build from the members: at first, and now and then against rounding drift
            story.evictions = 0
            story.entity_sum, story.token_sums = {}, {}
            for lang, entity_vector, token_vector in recent:
                _accumulate(story.entity_sum, entity_vector, 1.0)
                _accumulate(story.token_sums.setdefault(lang, {}), token_vector, 1.0)
        else:
            _accumulate(story.entity_sum, member[1], 1.0)
            _accumulate(story.token_sums.setdefault(member[0], {}), member[2], 1.0)

    def _norm(self, story: Story, lang: str) -> float:
        """Norm of the story's ``lang`` token TF-IDF vector.

        Cached until the story changes or the language's article count it was computed at
        grew by more than ``_NORM_DRIFT`` (exact below ``_NORM_EXACT`` articles). Unlike
        entities, a story's terms are many and mostly common, so their IDF moves slowly.
        """
        n = self._lang_articles[lang]
        cached = story.norms.get(lang)
        if (
            cached is not None
            and cached[0] == len(story.members)
            and (
                n == cached[1]
                or (cached[1] >= _NORM_EXACT and n - cached[1] <= cached[1] * _NORM_DRIFT)
            )
        ):
            return cached[2]
        norm = _norm(self._tfidf(story.tokens[lang], lang))
        story.norms[lang] = (len(story.members), n, norm)
        return norm

    def _features(self, scored: _Doc, story: Story) -> tuple[float, ...]:
        doc = scored.doc
        idf = scored.idf
        entities = story.entities
        dot = sum(v * entities[e] * idf[e] for e, v in scored.entities.items() if e in entities)
        if dot:  # the story side exactly: a rare entity's IDF moves fast
            norm = math.sqrt(sum((c * self._entity_idf(e)) ** 2 for e, c in entities.items()))
            entity_cosine = dot / (scored.entity_norm * norm)
        else:
            entity_cosine = 0.0
        shared = sum(idf[e] for e in scored.entities if e in entities)
        entity_cover = shared / scored.entity_mass if scored.entity_mass else 0.0
        lang = doc.lang
        same = story.tokens.get(lang) if lang else None
        lexical = 0.0
        if same and lang:
            df, n = self._token_df[lang], self._lang_articles[lang]
            dot = sum(
                v * (1 + math.log(same[t])) * (math.log((n + 1) / (df[t] + 1)) + 0.1)
                for t, v in scored.tokens.items()
                if t in same
            )
            if dot:
                lexical = dot / (scored.token_norm * self._norm(story, lang))
        day = doc.day
        if day is None or story.first is None or story.last is None:
            near, gap, unknown = 0.0, 0.0, 1.0
        else:
            outside = max(0, (story.first - day).days, (day - story.last).days)
            near, gap, unknown = math.exp(-outside / 3), math.log1p(outside) / math.log(366), 0.0
        doc_days = set(doc.days)
        shared_days = (
            sum(1 for d in doc_days if d in story.days) / len(doc_days) if doc_days else 0.0
        )
        lead_match = lead_clash = 0.0
        if doc.days and story.lead_days:
            if doc.days[0] in story.lead_days:
                lead_match = 1.0
            elif not self._near_day(scored.day_number, story.day_numbers):
                lead_clash = 1.0
        # average link over the latest members: resists chaining through one look-alike
        recent = story.recent
        same_count = story.recent_langs[doc.lang]
        if story.entity_sum is None or story.token_sums is None:
            entity_mean = _mean_cosine(
                scored.entities, scored.entity_norm, (m[1] for m in recent), len(recent)
            )
            lexical_mean = _mean_cosine(
                scored.tokens,
                scored.token_norm,
                (m[2] for m in recent if m[0] == doc.lang),
                same_count,
            )
        else:
            entity_mean = _sum_cosine(scored.entities, scored.entity_norm, story.entity_sum)
            entity_mean /= len(recent)
            lexical_mean = 0.0
            if same_count:
                sums = story.token_sums.get(doc.lang, {})
                lexical_mean = _sum_cosine(scored.tokens, scored.token_norm, sums) / same_count
        return (
            entity_cosine,
            entity_cover,
            lexical,
            0.0 if same else 1.0,
            near,
            gap,
            unknown,
            shared_days,
            lead_match,
            lead_clash,
            entity_mean,
            lexical_mean,
        )

    @staticmethod
    def _near_day(number: int | None, numbers: set[int]) -> bool:
        """Whether a day of the year is within ``_DAY_SLACK`` days of one of ``numbers``
        (around the year end, as :func:`_day_distance`)."""
        if number is None:
            return False
        return any(
            (number - 1 + k) % 366 + 1 in numbers for k in range(-_DAY_SLACK, _DAY_SLACK + 1)
        )


def _sum_cosine(vector: Mapping[str, float], norm: float, sums: Mapping[str, float]) -> float:
    """Sum over members of the cosine of ``vector`` with each, from their unit-vector sum."""
    if not norm:
        return 0.0
    get = sums.get
    return sum(v * get(k, 0.0) for k, v in vector.items()) / norm


def cluster(docs: Iterable[StoryInput], weights: Weights | None = None) -> dict[str, str]:
    """Article id → story id, ingesting ``docs`` in the order given."""
    clusterer = StoryClusterer(weights)
    for doc in docs:
        clusterer.add(doc)
    return dict(clusterer.assignment)
