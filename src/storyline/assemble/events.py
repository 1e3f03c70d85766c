"""Events across articles: event mentions merged into one happening each, and a timeline.

Pages in three languages tell of one happening many times — in the headline, the
lead, a background paragraph of a later report — with different words, sometimes
different dates («15 грудня» and «17 декабря» for one publication of draft
treaties). :func:`build_events` merges the mentions of many articles
(:class:`ArticleEvents`, one per article, from :func:`article_events`) into
:class:`Event` values; :func:`timeline` orders them.

How mentions become one event, in order:

1. **Within an article.** A mention that only continues another («Переговоры
   продлились около четырех часов») joins it. An undated mention joins the one
   dated mention of its article it fits best (same type family, same place or
   shared participants): a headline «Россия и НАТО завершили переговоры в
   Брюсселе» takes the date the body gives that meeting. Fitting two equally
   well, it is an ambiguous reference and is left out; fitting none, it is
   dated by the article's publication date (marked so), if the article has one.
2. **The same day.** Mentions of one day join when their types are of one
   family (talks, meeting), their places do not differ and they share a place
   or a participant (linked entity ids, so «Женеве», «Женеві» and "Geneva" are
   one place) — or one of them names neither.
3. **A few days apart** (``tolerance.date_days`` of the table). Two events of
   one family join when they share a specific participant (a person or an
   organisation: «МИД России», NATO — not just a country) or share their place
   and a participant, and their places do not differ. This is how «15 грудня
   Росія оприлюднила пропозиції для НАТО» meets «17 декабря МИД РФ
   распространил … проекты … с НАТО», while the NATO–Russia Council in Brussels
   (12 January) and the OSCE meeting in Vienna (13 January) stay apart.
4. **A month, a range, a publication month.** A coarse mention joins the one
   event inside its dates it fits (by the rule of step 3); fitting several, it
   is left out; fitting none, it stands as its own event only if it names a
   place or a specific participant («в январе проведут переговоры с Москвой»
   does not).

Dates without a year (a page with no publication date: «15 грудня») are put in
the year that brings them closest to the middle of the story's other dates.
Values in, values out: :func:`build_events` keeps no state.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from storyline.assemble.linking import entity_id
from storyline.document import Article
from storyline.nlp.annotations import Annotations, EntityMention
from storyline.nlp.events import (
    EventMention,
    LinkedMention,
    family,
    find_event_mentions,
    link_mentions,
    table,
    tolerance,
)
from storyline.nlp.pipeline import annotate_many, date_reference
from storyline.records import AttributeValue, CanonicalEntity, Event, Source
from storyline.values import dates_compatible, interval

# --------------------------------------------------------------------------- inputs


PARTS = ("text", "title", "lead")
"""The texts of an article events are read from: titles and leads carry events the body
omits, such as «майже вісім годин» in a headline."""


def part_texts(article: Article) -> dict[str, str]:
    """The article's non-empty texts by part name, in :data:`PARTS` order."""
    texts = {"text": article.text, "title": article.title or "", "lead": article.lead or ""}
    return {name: texts[name] for name in PARTS if texts[name]}


def reference_key(article: Article) -> str:
    """The date reference of ``article`` (:func:`~storyline.nlp.pipeline.date_reference`)
    as stored with its event mentions: when its story re-dates the page, the key changes
    and the mentions are found again."""
    return "|".join(d.isoformat() if d else "" for d in date_reference(article))


def reference_of(key: str) -> tuple[date | None, date | None]:
    """The date reference :func:`reference_key` stored as ``key``: what the stored mentions
    were found against, to tell what a new reference changes in them."""
    published, anchor = (date.fromisoformat(part) if part else None for part in key.split("|"))
    return published, anchor


def part_pages(article: Article) -> dict[str, Article]:
    """The article's non-empty texts (:func:`part_texts`), each as a page of its own."""
    return {name: article.with_(text=text) for name, text in part_texts(article).items()}


def annotate_parts(
    article: Article,
    body: Annotations | None = None,
    named: Mapping[str, tuple[EntityMention, ...]] | None = None,
) -> dict[str, Annotations]:
    """Each text of ``article`` annotated as a page of its own (``body``: the body's
    annotations when already made), their NER in one model call
    (:func:`~storyline.nlp.pipeline.annotate_many`); ``named``: each part's NER mentions
    when found before, for the parts of several pages at once
    (:func:`storyline.ingest.process_window`)."""
    pages = part_pages(article)
    todo = [name for name in pages if name != "text" or body is None]
    found = None if named is None else [named[n] for n in todo]
    made = dict(zip(todo, annotate_many([pages[n] for n in todo], found), strict=True))
    return {name: body if name == "text" and body is not None else made[name] for name in pages}


def part_mentions(
    article: Article, notes: Mapping[str, Annotations]
) -> dict[str, tuple[EventMention, ...]]:
    """The event mentions of each part of ``article`` whose annotations ``notes`` gives."""
    texts = part_texts(article)
    return {
        name: find_event_mentions(texts[name], article.lang, n, name) for name, n in notes.items()
    }


def linked_parts(
    article: Article, parts: Mapping[str, tuple[Annotations, Sequence[str]]]
) -> dict[str, tuple[LinkedMention, ...]]:
    """The event mentions of each part of ``article``, with entity ids: ``parts`` maps
    ``text``/``title``/``lead`` to that text's annotations and the linker's ids of its
    entities."""
    found = part_mentions(article, {name: notes for name, (notes, _) in parts.items()})
    return {
        name: link_mentions(found[name], notes.entities, ids)
        for name, (notes, ids) in parts.items()
    }


@dataclass(frozen=True)
class TextPart:
    """One text of an article (body, title or lead) with the event mentions found in it."""

    name: str
    text: str
    mentions: tuple[LinkedMention, ...]


@dataclass(frozen=True)
class ArticleEvents:
    """One article's event mentions and what the merge needs to know about the article."""

    article_id: str
    outlet: str | None
    lang: str | None
    published: datetime | None
    published_precision: str | None
    published_inferred: bool
    parts: tuple[TextPart, ...]


def article_events(article: Article, parts: Mapping[str, Sequence[LinkedMention]]) -> ArticleEvents:
    """The record of ``article``: ``parts`` maps ``text``/``title``/``lead`` to the event
    mentions found in that text (:func:`linked_parts`, or as the store keeps them)."""
    texts = part_texts(article)
    return ArticleEvents(
        article.id,
        article.outlet,
        article.lang,
        article.published,
        article.published_precision,
        article.published_inferred,
        tuple(TextPart(name, texts.get(name, ""), tuple(m)) for name, m in parts.items()),
    )


# --------------------------------------------------------------------------- items


@cache
def country_ids() -> frozenset[str]:
    """Entity ids of countries (the linker keys them ``country:`` + ISO code): a country
    is a participant of almost everything, so it never identifies a happening alone."""
    from babel import Locale

    return frozenset(entity_id(f"country:{code}") for code in Locale("en").territories)


@dataclass
class _Item:
    article_id: str
    part: str
    index: int
    mention: LinkedMention
    sentence: str
    type: str
    place: str | None
    participants: frozenset[str]
    ordered: tuple[tuple[str, str], ...]
    """(entity id, entity type) of the participants in text order."""
    persons: frozenset[str]
    specific: frozenset[str]
    span: tuple[date, date] | None = None
    value: str | None = None
    date_from: str = "text"
    attributes: tuple[AttributeValue, ...] = ()


def _items(record: ArticleEvents) -> list[_Item]:
    countries = country_ids()
    out: list[_Item] = []
    for part in record.parts:
        for index, m in enumerate(part.mentions):
            place = m.place
            attributes = tuple(
                AttributeValue(
                    a.name, a.value, a.approximate, record.article_id, part.name, a.start, a.end
                )
                for a in m.attributes
            )
            out.append(
                _Item(
                    record.article_id,
                    part.name,
                    index,
                    m,
                    part.text[m.sentence_start : m.sentence_end],
                    m.type,
                    place,
                    frozenset(e for e, _ in m.participants) - ({place} if place else set()),
                    tuple((e, kind) for e, kind in m.participants if e != place),
                    frozenset(e for e, kind in m.participants if kind == "PER"),
                    frozenset(
                        e
                        for e, kind in m.participants
                        if kind in ("PER", "ORG") and e not in countries
                    ),
                    value=m.date,
                    attributes=attributes,
                )
            )
    return out


def _anchor(records: Sequence[ArticleEvents], items: Iterable[_Item]) -> date | None:
    """The middle of the story's dates: publication days, then dates the pages give."""
    days = [r.published.date() for r in records if r.published is not None]
    for item in items:
        span = interval(item.value) if item.value else None
        if span and span[0] == span[1]:
            days.append(span[0])
    if not days:
        return None
    return date.fromordinal(int(statistics.median(d.toordinal() for d in days)))


def _resolve_year(value: str, anchor: date | None) -> str | None:
    """``--12-15`` → the year that puts it closest to ``anchor``; ``None`` without one."""
    if anchor is None:
        return None
    month, day = (int(x) for x in value[2:].split("-")[:2])
    best: date | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - anchor).days) < abs((best - anchor).days):
            best = candidate
    return best.isoformat() if best else None


def _published_value(record: ArticleEvents) -> str | None:
    if record.published is None:
        return None
    if record.published_precision in ("minute", "hour", "day"):
        return record.published.date().isoformat()
    if record.published_precision == "month":
        return record.published.strftime("%Y-%m")
    return None


# --------------------------------------------------------------------------- groups


@dataclass
class _Group:
    items: list[_Item]

    @property
    def span(self) -> tuple[date, date] | None:
        spans = [i.span for i in self.items if i.span and i.date_from != "published"]
        if not spans:
            spans = [i.span for i in self.items if i.span]
        if not spans:
            return None
        return min(spans, key=lambda s: ((s[1] - s[0]).days, s[0]))

    @property
    def point(self) -> bool:
        span = self.span
        return span is not None and span[0] == span[1]

    @property
    def family(self) -> str:
        return Counter(family(i.type) for i in self.items).most_common(1)[0][0]

    @property
    def places(self) -> set[str]:
        return {i.place for i in self.items if i.place}

    @property
    def participants(self) -> set[str]:
        return set().union(*(i.participants for i in self.items))

    @property
    def persons(self) -> set[str]:
        return set().union(*(i.persons for i in self.items))

    @property
    def specific(self) -> set[str]:
        return set().union(*(i.specific for i in self.items))


def _place_conflict(a: _Group, b: _Group) -> bool:
    """Two different places — but a country never contradicts a city or region (it may
    contain it: «в России» and «в Тверской области»)."""
    if a.places & b.places:
        return False
    countries = country_ids()
    x, y = a.places - countries, b.places - countries
    if x and y:
        return True
    return bool(a.places and b.places and a.places <= countries and b.places <= countries)


def _same_day_score(a: _Group, b: _Group) -> float | None:
    """How well two groups of one day fit as one happening; ``None`` if they do not."""
    if a.family != b.family or _place_conflict(a, b):
        return None
    shared_place = bool(a.places & b.places)
    overlap = len(a.participants & b.participants)
    if a.persons and b.persons and not (a.persons & b.persons) and not shared_place:
        return None
    if a.participants and b.participants and not overlap and not shared_place:
        return None
    return 3 * shared_place + overlap + 0.5 * bool(a.specific & b.specific)


def _near_score(a: _Group, b: _Group) -> float | None:
    """How well two groups of different (or coarse) dates fit: step 3 of the module doc."""
    if a.family != b.family or _place_conflict(a, b):
        return None
    specific = len(a.specific & b.specific)
    shared_place = bool(a.places & b.places)
    overlap = len(a.participants & b.participants)
    if a.persons and b.persons and not (a.persons & b.persons):
        return None
    if specific or (shared_place and overlap):
        return 2 * specific + 3 * shared_place + overlap
    return None


def _days_apart(a: tuple[date, date], b: tuple[date, date]) -> int:
    return abs((a[0] - b[0]).days)


def _within(inner: tuple[date, date], outer: tuple[date, date]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _best(scored: list[tuple[float, int]]) -> int | None:
    """The index of the single best candidate; ``None`` when two tie for best."""
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


def _within_article(record: ArticleEvents, items: list[_Item]) -> list[_Group]:
    """Step 1 of the module doc: an article's mentions grouped, undated ones dated or left out."""
    by_key = {(i.part, i.index): i for i in items}
    groups: list[_Group] = []
    home: dict[int, _Group] = {}
    for item in items:
        ante = item.mention.antecedent
        if (
            ante is not None
            and (item.part, ante) in by_key
            and id(by_key[(item.part, ante)]) in home
        ):
            group = home[id(by_key[(item.part, ante)])]
            group.items.append(item)
            item.date_from = "context"
        else:
            group = _Group([item])
            groups.append(group)
        home[id(item)] = group
    dated = [g for g in groups if g.span is not None]
    undated = [g for g in groups if g.span is None]
    for _ in range(2):
        left: list[_Group] = []
        for group in undated:
            scored = [
                (score, n)
                for n, other in enumerate(dated)
                if (score := _same_day_score(group, other)) is not None
                and (group.places & other.places or group.participants & other.participants)
                and (not group.specific or group.specific & other.specific)
            ]
            choice = _best(scored)
            if choice is not None:
                for item in group.items:
                    item.date_from = "context"
                dated[choice].items.extend(group.items)
            elif scored:
                continue  # ambiguous: a reference to one of several happenings of the page
            else:
                left.append(group)
        undated = left
    published = _published_value(record)
    span = interval(published) if published else None
    for group in undated:
        if span is None:
            continue
        for item in group.items:
            item.value, item.span, item.date_from = published, span, "published"
        dated.append(group)
    return dated


def _cluster(groups: list[_Group]) -> list[_Group]:
    """Steps 2–4 of the module doc."""
    points = sorted((g for g in groups if g.point), key=lambda g: g.span or (date.min, date.min))
    coarse = [g for g in groups if not g.point and g.span is not None]
    clusters: list[_Group] = []
    for group in points:
        scored = [
            (score, n)
            for n, c in enumerate(clusters)
            if c.span == group.span and (score := _same_day_score(group, c)) is not None
        ]
        choice = _best(scored) if scored else None
        if choice is None and scored:
            choice = max(scored)[1]
        if choice is None:
            clusters.append(_Group(list(group.items)))
        else:
            clusters[choice].items.extend(group.items)
    days = tolerance("date_days")
    merged = True
    while merged:
        merged = False
        pairs = []
        spans = [c.span for c in clusters]  # once per round, not once per pair
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                a, b = clusters[x], clusters[y]
                span_a, span_b = spans[x], spans[y]
                if span_a is None or span_b is None:
                    continue
                apart = _days_apart(span_a, span_b)
                if 0 < apart <= days and (score := _near_score(a, b)) is not None:
                    pairs.append((apart, -score, x, y))
        if pairs:
            _, _, x, y = min(pairs)
            clusters[x].items.extend(clusters[y].items)
            del clusters[y]
            merged = True
    for group in sorted(coarse, key=lambda g: (g.span[1] - g.span[0]).days if g.span else 0):
        span = group.span
        assert span is not None
        scored = [
            (score, n)
            for n, c in enumerate(clusters)
            if c.span is not None
            and (_within(c.span, span) or _within(span, c.span))
            and (score := _near_score(group, c)) is not None
        ]
        choice = _best(scored)
        if choice is not None:
            clusters[choice].items.extend(group.items)
        elif not scored and (group.places or group.specific):
            clusters.append(_Group(list(group.items)))
    return clusters


# --------------------------------------------------------------------------- events


def build_events(
    records: Sequence[ArticleEvents], entities: Mapping[str, CanonicalEntity] | None = None
) -> list[Event]:
    """The events the articles of ``records`` report (see the module doc).

    ``entities`` (id → canonical entity, e.g. from :meth:`EntityLinker.entities`) gives
    the names titles are made of; without it titles show entity ids.
    """
    per_article = [(r, _items(r)) for r in records]
    anchor = _anchor(records, (i for _, items in per_article for i in items))
    groups: list[_Group] = []
    for record, items in per_article:
        for item in items:
            if item.value and item.value.startswith("--"):
                item.value = _resolve_year(item.value, anchor)
            item.span = interval(item.value) if item.value else None
            if item.span is None:
                item.value = None
        groups.extend(_within_article(record, items))
    events = [_event(c, entities or {}) for c in _cluster(groups)]
    seen: Counter[str] = Counter()
    unique = []
    for event in sorted(events, key=_order):
        seen[event.id] += 1
        if seen[event.id] > 1:
            event = _replace_id(event, f"{event.id}{seen[event.id]}")
        unique.append(event)
    return unique


def _replace_id(event: Event, new: str) -> Event:
    from dataclasses import replace

    return replace(event, id="ev_" + hashlib.sha1(new.encode()).hexdigest()[:16])


def _event(cluster: _Group, entities: Mapping[str, CanonicalEntity]) -> Event:
    items = sorted(cluster.items, key=lambda i: (i.article_id, i.part, i.mention.start))
    order = [n for n, _ in enumerate(table()["types"])]
    type_rank = {t: n for n, t in zip(order, table()["types"], strict=True)}
    types = Counter(i.type for i in items)
    event_type = min(types, key=lambda t: (-types[t], type_rank.get(t, 99)))
    value, inferred = _agreed_date(items)
    places = Counter(i.place for i in items if i.place)
    place = places.most_common(1)[0][0] if places else None
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    kinds: dict[str, str] = {}
    position = 0
    for item in items:
        for p, kind in item.ordered:
            counts[p] += 1
            first.setdefault(p, position)
            kinds.setdefault(p, kind)
            position += 1
    rank = {"PER": 0, "ORG": 1, "LOC": 2}
    participants = tuple(
        sorted(
            (p for p in counts if p != place),
            key=lambda p: (-counts[p], rank.get(kinds[p], 3), first[p]),
        )
    )
    sources = tuple(
        Source(
            i.article_id,
            i.part,
            i.mention.sentence_start,
            i.mention.sentence_end,
            i.sentence,
            i.mention.trigger,
            i.value if i.date_from != "published" else None,
            i.date_from,
        )
        for i in items
    )
    key = f"{family(event_type)}|{value}|{place}"
    names: dict[str, dict[str, str]] = {}
    for entity in {place, *participants} - {None}:
        assert entity is not None
        known = entities.get(entity)
        if known is not None:
            names[entity] = {"": known.name, **known.names}
    return Event(
        id="ev_" + hashlib.sha1(key.encode()).hexdigest()[:16],
        type=event_type,
        date=value,
        date_inferred=inferred,
        place=place,
        participants=participants,
        participant_types=tuple(kinds[p] for p in participants),
        attributes=tuple(a for i in items for a in i.attributes),
        sources=sources,
        planned=all(i.mention.planned for i in items),
        names=names,
    )


def _agreed_date(items: Sequence[_Item]) -> tuple[str | None, bool]:
    """The date most articles state, finest first; the publication date if none states one."""
    stated = [i for i in items if i.value and i.date_from != "published"]
    pool = stated or [i for i in items if i.value]
    if not pool:
        return None, False
    support: dict[str, set[str]] = defaultdict(set)
    for item in pool:
        assert item.value is not None
        for other in pool:
            assert other.value is not None
            if dates_compatible(item.value, other.value):
                support[item.value].add(other.article_id)

    def rank(value: str) -> tuple[int, int, int, str]:
        span = interval(value)
        width = (span[1] - span[0]).days if span else 9999
        exact = sum(1 for i in pool if i.value == value)
        return (width, -len(support[value]), -exact, value)

    return min(support, key=rank), not stated


def _order(event: Event) -> tuple[date, date, str]:
    span = interval(event.date) if event.date else None
    if span is None:
        return date.max, date.max, event.id
    return span[0], span[1], event.id


def timeline(events: Iterable[Event]) -> list[Event]:
    """The events with a date, in date order (a month before the days inside it)."""
    return sorted((e for e in events if e.date), key=_order)
