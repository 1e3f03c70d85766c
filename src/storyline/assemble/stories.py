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
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

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


@dataclass(slots=True)
class Story:
    id: str
    members: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    tokens: dict[str, Counter[str]] = field(default_factory=dict)
    """Language → summed token counts of its members in that language."""
    first: date | None = None
    last: date | None = None
    days: Counter[str] = field(default_factory=Counter)
    """Month-days its members mention (each member counted once)."""
    recent: list[tuple[str | None, dict[str, float], dict[str, float]]] = field(
        default_factory=list
    )
    """Its latest members (at most ``_RECENT``): language, entity and token TF-IDF vectors
    (weighted with the IDF as it stood when they joined)."""
    lead_days: Counter[str] = field(default_factory=Counter)
    """The first month-day each member mentions (usually the event's day)."""


def story_id(founder: str) -> str:
    return "s_" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:12]


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


class StoryClusterer:
    """Holds the stories so far; :meth:`add` places one article (see the module doc)."""

    def __init__(self, weights: Weights | None = None) -> None:
        self.weights = weights or default_weights()
        self.stories: dict[str, Story] = {}
        self.assignment: dict[str, str] = {}
        self._index: dict[str, set[str]] = defaultdict(set)
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
            for sid in self._index.get(eid, ()):
                mass[sid] += idf[eid]
        chosen = [sid for sid, _ in mass.most_common(_MAX_CANDIDATES)]
        if not chosen:
            return {}
        doc_entities = {eid: w * idf[eid] for eid, w in doc.entities}
        doc_tokens = self._tfidf(Counter(doc.tokens), doc.lang)
        found = {s: self._features(doc, doc_entities, doc_tokens, self.stories[s]) for s in chosen}
        if self.weights.day_veto:
            found = {s: f for s, f in found.items() if not f[_LEAD_DAY_CLASH]}
        return found

    def place(self, doc: StoryInput, sid: str | None) -> str:
        """Put ``doc`` into story ``sid`` (or a new story for ``None``) and update the indexes."""
        if sid is None:
            sid = story_id(doc.article_id)
            self.stories.setdefault(sid, Story(sid))
        story = self.stories[sid]
        story.members.append(doc.article_id)
        entity_vector = {eid: w * self._entity_idf(eid) for eid, w in doc.entities}
        token_vector = self._tfidf(Counter(doc.tokens), doc.lang)
        story.recent = [*story.recent[-(_RECENT - 1) :], (doc.lang, entity_vector, token_vector)]
        self.assignment[doc.article_id] = sid
        for eid, w in doc.entities:
            story.entities[eid] += w
            self._index[eid].add(sid)
            self._entity_df[eid] += 1
        self._articles += 1
        if doc.lang:
            story.tokens.setdefault(doc.lang, Counter()).update(doc.tokens)
            self._token_df[doc.lang].update(set(doc.tokens))
            self._lang_articles[doc.lang] += 1
        day = doc.day
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        story.days.update(set(doc.days))
        if doc.days:
            story.lead_days[doc.days[0]] += 1
        return sid

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

    def _features(
        self,
        doc: StoryInput,
        doc_entities: Mapping[str, float],
        doc_tokens: Mapping[str, float],
        story: Story,
    ) -> tuple[float, ...]:
        story_entities = {e: c * self._entity_idf(e) for e, c in story.entities.items()}
        entity_cosine = _cosine(doc_entities, story_entities)
        total = sum(self._entity_idf(e) for e in doc_entities)
        shared = sum(self._entity_idf(e) for e in doc_entities if e in story.entities)
        entity_cover = shared / total if total else 0.0
        same = story.tokens.get(doc.lang) if doc.lang else None
        lexical = _cosine(doc_tokens, self._tfidf(same, doc.lang)) if same else 0.0
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
            elif all(_day_distance(doc.days[0], d) > _DAY_SLACK for d in story.days):
                lead_clash = 1.0
        # average link over the latest members: resists chaining through one look-alike
        entity_mean = sum(_cosine(doc_entities, m[1]) for m in story.recent) / len(story.recent)
        same_members = [m[2] for m in story.recent if m[0] == doc.lang]
        lexical_mean = (
            sum(_cosine(doc_tokens, v) for v in same_members) / len(same_members)
            if same_members
            else 0.0
        )
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


def cluster(docs: Iterable[StoryInput], weights: Weights | None = None) -> dict[str, str]:
    """Article id → story id, ingesting ``docs`` in the order given."""
    clusterer = StoryClusterer(weights)
    for doc in docs:
        clusterer.add(doc)
    return dict(clusterer.assignment)
