"""What a reader sees of a story: its headline, summary, spread and rank.

A story's surface is derived from its members only, so it can be recomputed any
time they change (an article joins, two stories merge, one splits):

* **title** — the headline of the most *central* member: the one sharing the most
  entities with the others (any language) and the most title words with the
  others of its own language. Editors pick the headline that says what the others
  say; centrality is the extractive version of that. ``titles`` holds the most
  central headline per language, so a Ukrainian reader gets a Ukrainian title.
* **summary** — the first sentences (the lead, when the page has one) of the
  most central member, cut at a sentence end.
* **top entities** — the entities most of its members mention, weighted by how
  rare they are in the whole store (Russia and Ukraine are in every story).
* **score** — importance for the front page: distinct outlets, languages,
  growth, and recency. Recency decays as ``exp(-age / RECENCY_DAYS)``; since
  ``log(weight · exp(-(now - last) / τ)) = log(weight) + last / τ - now / τ``
  and the last term is the same for every story, the stored
  ``log(weight) + ordinal(last) / τ`` ranks stories exactly as the decayed score
  would at any "now", without rewriting every row each day.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Protocol

from storyline.document import Article
from storyline.records import Member, Surface, SurfaceInputs

RECENCY_DAYS = 7.0
"""A story one week older than another needs e-times the weight to rank as high."""
GROWTH_DAYS = 2
"""Members published in the last this-many days of a story's span count as growth."""
MAX_CENTRALITY_MEMBERS = 300
"""Centrality is pairwise; a larger story is judged on its latest members."""
SUMMARY_CHARS = 320
TITLE_FALLBACK_CHARS = 90
TOP_ENTITIES = 10
_WORD = re.compile(r"[^\W_]{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _title_words(article: Article) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(article.title or ""))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def centrality(members: Sequence[Member]) -> list[float]:
    """Per member: mean similarity to the others (entities across languages, title words
    within its language)."""
    words = [_title_words(m.article) for m in members]
    scores = []
    for i, m in enumerate(members):
        total = 0.0
        for j, other in enumerate(members):
            if i == j:
                continue
            total += _jaccard(m.entity_ids, other.entity_ids)
            if m.article.lang and m.article.lang == other.article.lang:
                total += _jaccard(words[i], words[j])
        scores.append(total / (len(members) - 1) if len(members) > 1 else 0.0)
    return scores


def summary_of(article: Article, limit: int = SUMMARY_CHARS) -> str | None:
    """The article's opening sentences, whole, up to about ``limit`` characters."""
    text = " ".join((article.lead or article.text or "").split())
    if not text:
        return None
    taken = ""
    for sentence in _SENTENCE_END.split(text):
        if taken and len(taken) + 1 + len(sentence) > limit:
            break
        taken = f"{taken} {sentence}".strip()
    if len(taken) > limit:
        cut = taken[:limit].rsplit(" ", 1)[0]
        taken = cut.rstrip(",;:—–-") + "…"
    return taken


def top_entities(
    members: Iterable[Member],
    df: Mapping[str, int],
    articles: int,
    limit: int = TOP_ENTITIES,
) -> tuple[str, ...]:
    """Entities by (members mentioning them) × IDF over the store (``df``: articles per
    entity, ``articles``: articles in the store)."""
    counts: Counter[str] = Counter()
    for m in members:
        counts.update(m.entity_ids)

    def weight(eid: str) -> float:
        return counts[eid] * (math.log((articles + 1) / (df.get(eid, 0) + 1)) + 1.0)

    ranked = sorted(counts, key=lambda e: (-weight(e), e))
    return tuple(e for e in ranked if counts[e] > 1 or len(counts) <= limit)[:limit]


def _day(article: Article) -> date | None:
    return article.published.date() if article.published is not None else None


def score(sources: int, languages: int, size: int, growth: int, last: date | None) -> float:
    """Front-page rank (higher first); see the module doc for the recency term.

    ``sources`` counts distinct outlets, plus each member whose outlet is unknown (a
    page of unknown origin is evidence of its own).
    """
    weight = (1 + math.log1p(sources)) ** 2 * (1 + 0.5 * max(0, languages - 1))
    weight *= 1 + growth / max(1, size)
    recency = last.toordinal() / RECENCY_DAYS if last is not None else 0.0
    return math.log(weight) + recency


def surface(
    members: Sequence[Member],
    *,
    df: Mapping[str, int] | None = None,
    articles: int = 0,
    size: int | None = None,
    languages: Mapping[str, int] | None = None,
    outlets: Mapping[str, int] | None = None,
    span: tuple[date | None, date | None] | None = None,
    unknown_outlets: int | None = None,
) -> Surface:
    """The surface of a story from (at most :data:`MAX_CENTRALITY_MEMBERS` of) its members.

    ``size``, ``languages``, ``outlets``, ``unknown_outlets`` (members without an
    outlet) and ``span`` (first and last publication day)
    may be given when the caller counted them over all members (the store does, with
    SQL) and passes only the latest members here.
    """
    originals = [m for m in members if not m.article.duplicate_of] or list(members)
    sample = originals[-MAX_CENTRALITY_MEMBERS:]
    central = centrality(sample)
    order = sorted(range(len(sample)), key=lambda i: (-central[i], sample[i].article.id))
    titles: dict[str, str] = {}
    title = summary = None
    for i in order:
        article = sample[i]
        if not article.article.title:
            continue
        if title is None:
            title, summary = article.article.title, summary_of(article.article)
        if article.article.lang and article.article.lang not in titles:
            titles[article.article.lang] = article.article.title
    if summary is None and sample:
        summary = summary_of(sample[order[0]].article)
    if title is None and summary:  # no member has a headline: its opening words stand in
        title = summary_of(sample[order[0]].article, limit=TITLE_FALLBACK_CHARS)
    langs = dict(languages) if languages is not None else _count(m.article.lang for m in members)
    outs = dict(outlets) if outlets is not None else _count(m.article.outlet for m in members)
    days = sorted(d for m in members if (d := _day(m.article)) is not None)
    first, last = (days[0], days[-1]) if days else (None, None)
    if span is not None:
        first, last = span
    growth = sum(1 for d in days if last is not None and (last - d).days < GROWTH_DAYS)
    n = size if size is not None else len(members)
    if unknown_outlets is None:
        unknown_outlets = sum(1 for m in members if not m.article.outlet)
    return Surface(
        title=title,
        titles=titles,
        summary=summary,
        languages=langs,
        outlets=outs,
        first_published=first,
        last_published=last,
        top_entities=top_entities(members, df or {}, articles),
        size=n,
        score=score(len(outs) + unknown_outlets, len(langs), n, growth, last),
    )


def surface_from(inputs: SurfaceInputs, articles: int) -> Surface:
    """The surface of a story from what the store read of it (``articles``: articles in
    the whole store); a story left without members ranks last."""
    found = surface(
        inputs.members,
        df=inputs.df,
        articles=articles,
        size=inputs.size,
        languages=inputs.languages,
        outlets=inputs.outlets,
        span=inputs.span,
        unknown_outlets=inputs.unknown_outlets,
    )
    return found if inputs.size else replace(found, score=0.0)


class SurfaceStore(Protocol):
    """What :func:`refresh_stories` needs of the store (:class:`storyline.store.Store`)."""

    def stale_stories(self) -> list[str]: ...

    def count_articles(self) -> int: ...

    def many_surface_inputs(self, story_ids: Sequence[str], latest: int) -> list[SurfaceInputs]: ...

    def save_surfaces(self, computed: Sequence[tuple[SurfaceInputs, Surface]]) -> int: ...


def refresh_stories(store: SurfaceStore, story_ids: Iterable[str] | None = None) -> int:
    """Recompute and save the surface of ``story_ids`` (default: every stale story);
    returns how many were saved.

    Computed here, not in the store: the store reads a story's rows and saves the
    result, and it does not know how a headline is chosen or a story ranked. A story
    whose membership changed between its read and its save stays stale for the next
    refresh instead of taking a surface of members it no longer has.
    """
    ids = list(dict.fromkeys(story_ids)) if story_ids is not None else store.stale_stories()
    if not ids:
        return 0
    articles = store.count_articles()
    # read together and saved together (a few statements and one commit for them all):
    # a story's surface reads nothing another's save writes
    read = store.many_surface_inputs(ids, MAX_CENTRALITY_MEMBERS)
    return store.save_surfaces([(inputs, surface_from(inputs, articles)) for inputs in read])


def _count(values: Iterable[str | None]) -> dict[str, int]:
    return dict(Counter(v for v in values if v).most_common())
