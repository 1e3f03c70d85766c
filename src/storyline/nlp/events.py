"""Event mentions: the clauses of an article that report a dated happening.

A timeline is built from what pages *say happened*: «10 января в Женеве
завершились переговоры США и России», «15 грудня Росія оприлюднила свої
пропозиції», 'the dam was destroyed on June 6'. :func:`find_event_mentions`
reads one text (an article's body, title or lead) with its
:class:`~storyline.nlp.annotations.Annotations` and returns one
:class:`EventMention` per such clause: its trigger word and type, the date the
clause gives, the place, the participants, and what the clause states about
the happening (how long it lasted, how many people, how it ended).

What counts as a report, and not a passing reference («по итогам
переговоров», «во время встречи»), is decided by three kinds of trigger from
``resources/events.json`` — matched on lemmas (:mod:`storyline.nlp.morph`), so
«переговоров», «переговорів» and «перемовин» all match, and languages are rows
of the table, never branches of code:

* a verb that names a happening («опубликовал», «підписали», 'exploded');
* a noun that names one («переговоры», «вибух») together with a verb saying it
  took place («состоялись», «тривали», 'were held') or with a date in its
  clause («10 января — диалог по стратегической стабильности»);
* a statement («заявил», «оголосив») only when its clause carries a date: a
  page is full of statements, and only the dated ones are events of a timeline.

A sentence that lists several dated happenings («10 января состоялся диалог…,
12 января проходит встреча…, а на 13 января намечена встреча…») is cut into
one clause per date, so each happening keeps its own date, place and
participants; a clause with a date but no trigger of its own continues the
happening of the clause before it («…12 января в Брюсселе и 13 января в
Вене»). A clause that names nothing but the happening («Переговоры продлились
около четырех часов») points to the mention it continues (``antecedent``) so
its attributes reach the right event.

Values in, values out: no I/O, no state; the merge across articles lives in
:mod:`storyline.assemble.events`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import pairwise
from typing import Any

from storyline import resources
from storyline.nlp import morph, segment
from storyline.nlp.annotations import Annotations, DateMention, EntityMention, Token

_PARTICIPANT_TYPES = frozenset({"PER", "ORG", "LOC"})
_QUOTE_MIN = 40
"""Quotations longer than this are speech: words in them are not the page's own report."""
_QUOTE_PAIRS = (("«", "»"), ("“", "”"), ("„", "“"), ('"', '"'))
_DELIMITER = re.compile(r"[,;:]|\s(?:и|і|й|та|а|and|but|while)\s|\s[–—]\s")
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)?$")


@dataclass(frozen=True, slots=True)
class Attribute:
    """One thing a clause states about its happening, with where it is written."""

    name: str
    """``duration`` (ISO 8601 value), ``outcome`` (agreement, failure…), ``count:killed``…"""
    value: str
    approximate: bool = False
    """«около четырех часов», «майже вісім годин», 'about 40 people'."""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class EventMention:
    """One clause reporting one happening; offsets index the text it was found in."""

    start: int
    """Clause span: the sentence, or the part of it that carries this mention's date."""
    end: int
    sentence_start: int
    sentence_end: int
    trigger_start: int
    trigger_end: int
    trigger: str
    """The trigger as written («переговоры», «оприлюднила»)."""
    type: str
    """An event type of ``resources/events.json`` (talks, meeting, publication…)."""
    date: str | None = None
    """ISO 8601 value of the clause's date (``2022-01-10``, ``2021-12``, ``--12-15`` when the
    page gives no year and none could be resolved, ``A/B`` for a range); ``None`` if none."""
    grain: str | None = None
    date_index: int | None = None
    """Index into ``annotations.dates`` of the date used."""
    date_inferred: bool = False
    place: int | None = None
    """Index into ``annotations.entities`` of the place («в Женеве»)."""
    participants: tuple[int, ...] = ()
    """Indices into ``annotations.entities`` of the people, organisations, countries named."""
    attributes: tuple[Attribute, ...] = ()
    planned: bool = False
    """The clause announces the happening («намечена», 'scheduled') rather than reports it."""
    antecedent: int | None = None
    """Index (in the same returned tuple) of the mention this one only continues."""
    part: str = "text"
    """Which text of the article: ``text`` (the body), ``title`` or ``lead``."""


@dataclass(frozen=True, slots=True)
class LinkedMention:
    """An :class:`EventMention` with its entities resolved to canonical ids: what an ingest
    worker and the writer find once and the store keeps, so a story's events are merged
    from rows when read, not found again. Entities unlinked at ingest are left out."""

    part: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    trigger: str
    type: str
    date: str | None
    grain: str | None
    date_inferred: bool
    place: str | None
    """Entity id of the place."""
    participants: tuple[tuple[str, str], ...]
    """(entity id, PER/ORG/LOC) of each linked participant, in text order (repeats kept:
    a participant named twice counts twice)."""
    attributes: tuple[Attribute, ...]
    planned: bool
    antecedent: int | None


def link_mentions(
    mentions: Iterable[EventMention],
    entities: Sequence[EntityMention],
    entity_ids: Sequence[str],
) -> tuple[LinkedMention, ...]:
    """``mentions`` of one text with their entity indices replaced by ``entity_ids`` (the
    linker's id of each of ``entities``; ``""``: not linked)."""
    linked = []
    for m in mentions:
        place = entity_ids[m.place] if m.place is not None else ""
        linked.append(
            LinkedMention(
                part=m.part,
                start=m.start,
                end=m.end,
                sentence_start=m.sentence_start,
                sentence_end=m.sentence_end,
                trigger=m.trigger,
                type=m.type,
                date=m.date,
                grain=m.grain,
                date_inferred=m.date_inferred,
                place=place or None,
                participants=tuple(
                    (entity_ids[i], entities[i].type) for i in m.participants if entity_ids[i]
                ),
                attributes=m.attributes,
                planned=m.planned,
                antecedent=m.antecedent,
            )
        )
    return tuple(linked)


# --------------------------------------------------------------------------- table


@dataclass(frozen=True)
class _Lexicon:
    verbs: dict[tuple[str, ...], str]
    nouns: dict[tuple[str, ...], str]
    generic: frozenset[tuple[str, ...]]
    continuation: frozenset[tuple[str, ...]]
    statements: frozenset[str]
    families: dict[str, str]
    stop: frozenset[str]
    locative: frozenset[str]
    negation: frozenset[str]
    planned: frozenset[str]
    outcomes: dict[str, str]
    count_nouns: dict[str, str]
    count_roles: dict[str, str]
    numbers: dict[str, float]
    approximate: frozenset[str]
    skip_duration: frozenset[str]
    reference: frozenset[str]
    complementizers: frozenset[str]
    unbound: frozenset[str]
    longest: int
    firsts: frozenset[str]
    """The first word of every trigger entry: a token that is none of them starts none."""


def table() -> dict[str, Any]:
    """The event table (``resources/events.json``)."""
    return resources.load("events")


def _langs(by_lang: dict[str, Any], lang: str | None) -> list[str]:
    """The table's languages to use: the text's own, or all of them when it is unknown."""
    return [lang] if lang in by_lang else list(by_lang)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.casefold().replace("ё", "е").split())


def _keys(by_lang: dict[str, list[str]], lang: str | None) -> list[tuple[str, ...]]:
    return [_key(p) for code in _langs(by_lang, lang) for p in by_lang.get(code, [])]


def _words(by_lang: dict[str, list[str]], lang: str | None) -> frozenset[str]:
    return frozenset(k for key in _keys(by_lang, lang) for k in key)


@cache
def _lexicon(lang: str | None) -> _Lexicon:
    t = table()
    verbs: dict[tuple[str, ...], str] = {}
    nouns: dict[tuple[str, ...], str] = {}
    for name, spec in t["types"].items():
        for key in _keys(spec["verbs"], lang):
            verbs.setdefault(key, name)
        for key in _keys(spec["nouns"], lang):
            nouns.setdefault(key, name)
    generic = frozenset(_keys(t["generic"], lang))
    continuation = frozenset(_keys(t["continuation"], lang))
    outcomes = {w: name for name, by in t["outcomes"].items() for w in _words(by, lang)}
    count_nouns = {w: name for name, by in t["count_nouns"].items() for w in _words(by, lang)}
    count_roles = {w: name for name, by in t["count_roles"].items() for w in _words(by, lang)}
    number_table = resources.load("numbers")
    numbers = {
        w: float(v) for code in _langs(number_table, lang) for w, v in number_table[code].items()
    }
    duration_table = resources.load("durations")
    approximate = frozenset(
        w
        for code in _langs(duration_table, lang)
        for phrase in duration_table[code].get("approximate", [])
        for w in _key(phrase)
    )
    keys = [*verbs, *nouns, *generic, *continuation]
    return _Lexicon(
        verbs=verbs,
        nouns=nouns,
        generic=generic,
        continuation=continuation,
        statements=frozenset(n for n, s in t["types"].items() if s.get("statement")),
        families={n: s["family"] for n, s in t["types"].items()},
        stop=_words(t["stop_forms"], lang),
        locative=_words(t["locative"], lang),
        negation=_words(t["negation"], lang),
        planned=_words(t["planned"], lang),
        outcomes=outcomes,
        count_nouns=count_nouns,
        count_roles=count_roles,
        numbers=numbers,
        approximate=approximate,
        skip_duration=frozenset(w.casefold() for w in t["skip_duration_words"]),
        reference=_words(t["reference_before"], lang),
        complementizers=_words(t["complementizers"], lang),
        unbound=_words(t["unbound"], lang),
        longest=max(len(k) for k in keys),
        firsts=frozenset(k[0] for k in keys),
    )


def family(event_type: str) -> str:
    """The family of an event type: types of one family may describe one happening."""
    return str(table()["types"].get(event_type, {}).get("family", event_type))


def tolerance(name: str) -> float:
    """A tolerance of the table (``date_days``, ``duration_approximate``…)."""
    return float(table()["tolerance"][name])


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str
    """verb, noun, generic, continuation."""
    type: str
    first: int
    """Token indices [first, last) of the sentence's token list."""
    last: int
    start: int
    end: int


def _norm(word: str) -> str:
    return word.casefold().replace("ё", "е")


def _quote_spans(text: str, longer_than: int) -> list[tuple[int, int]]:
    """Quoted spans longer than ``longer_than``: a long quotation is someone's speech, not
    the page's report; a short one is a name or a word held at a distance («нападу»)."""
    spans: list[tuple[int, int]] = []
    for opening, closing in _QUOTE_PAIRS:
        pattern = re.compile(
            re.escape(opening) + r"[^" + re.escape(closing) + r"\n]*" + re.escape(closing)
        )
        for m in pattern.finditer(text):
            if m.end() - m.start() > longer_than:
                spans.append((m.start(), m.end()))
    return spans


def _inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)


def _infinitive(word: str, lang: str | None) -> bool:
    """«обнародовать», «припинити», 'to publish': a verb of what may happen, not of what did."""
    analyzer = morph.analyzer(lang)
    if analyzer is None:
        return False
    parses = analyzer.parse(word)
    return bool(parses) and ({"INFN", "infn"} & set(parses[0].tag.grammemes))


def _hits(tokens: Sequence[Token], lex: _Lexicon, lang: str | None) -> list[_Hit]:
    """Trigger matches over a sentence's tokens, longest entry first, no overlaps.

    Left out: a verb after a negation («не мають»), a verb in the infinitive, a
    noun right after a word that makes it a reference to another happening («по
    итогам переговоров», «во время встречи», 'after the talks').
    """
    lemmas = [_norm(t.lemma) for t in tokens]
    surfaces = [_norm(t.text) for t in tokens]
    found: list[_Hit] = []
    i = 0
    while i < len(tokens):
        hit = None
        readings = [words for words in (lemmas, surfaces) if words[i] in lex.firsts]
        for n in range(min(lex.longest, len(tokens) - i), 0, -1) if readings else ():
            for words in readings:
                hit = _match(tuple(words[i : i + n]), lex, i, n, tokens)
                if hit:
                    break
            if hit:
                break
        negated = i > 0 and surfaces[i - 1] in lex.negation
        if hit is not None and hit.kind in ("verb", "generic") and negated:
            hit = None
        if hit is not None and surfaces[i] in lex.stop:
            hit = None
        if hit is not None and hit.kind != "noun" and _infinitive(tokens[i].text, lang):
            hit = None
        if hit is not None and hit.kind == "noun":
            before = surfaces[max(0, i - 3) : i]
            if any(w in lex.reference for w in before):
                hit = _Hit("reference", hit.type, hit.first, hit.last, hit.start, hit.end)
        if hit is not None:
            found.append(hit)
            i = hit.last
        else:
            i += 1
    return found


def _match(
    seq: tuple[str, ...], lex: _Lexicon, i: int, n: int, tokens: Sequence[Token]
) -> _Hit | None:
    start, end = tokens[i].start, tokens[i + n - 1].end
    if seq in lex.verbs:
        return _Hit("verb", lex.verbs[seq], i, i + n, start, end)
    if seq in lex.nouns:
        return _Hit("noun", lex.nouns[seq], i, i + n, start, end)
    if seq in lex.generic:
        return _Hit("generic", "", i, i + n, start, end)
    if seq in lex.continuation:
        return _Hit("continuation", "", i, i + n, start, end)
    return None


# --------------------------------------------------------------------------- clauses


def _event_date(d: DateMention) -> bool:
    """Dates that can date a happening: a day, a month or a short range — not a bare year
    («рубежей 1997 года») nor a week («на следующей неделе»)."""
    if d.grain == "year":
        return False
    if "/" in d.value:
        first, _, last = d.value.partition("/")
        try:
            days = (date.fromisoformat(last) - date.fromisoformat(first)).days
        except ValueError:
            return False
        return d.kind != "relative" and days <= tolerance("max_range_days")
    return True


def _cuts(text: str, start: int, end: int, dates: Sequence[DateMention]) -> list[tuple[int, int]]:
    """The sentence [start, end) cut into one clause per date: each cut at the last clause
    delimiter between two dates, or right before the later date when there is none."""
    if len(dates) <= 1:
        return [(start, end)]
    bounds = [start]
    for before, after in pairwise(dates):
        between = text[before.end : after.start]
        matches = list(_DELIMITER.finditer(between))
        bounds.append(before.end + matches[-1].start() if matches else after.start)
    bounds.append(end)
    return list(pairwise(bounds))


@dataclass
class _Clause:
    start: int
    end: int
    sentence: int
    date_index: int | None
    hits: list[_Hit]
    tokens: list[Token]


def _pick(clause: _Clause, lex: _Lexicon) -> tuple[_Hit, str] | None:
    """The clause's trigger and type, strongest evidence first (see the module doc)."""
    hits = _own_hits(clause, lex)
    dated = clause.date_index is not None
    verbs = [h for h in hits if h.kind == "verb" and h.type not in lex.statements]
    if verbs:
        return verbs[0], verbs[0].type
    nouns = [h for h in hits if h.kind == "noun" and h.type not in lex.statements]
    generic = [h for h in hits if h.kind in ("generic", "continuation")]
    paired = [n for n in nouns if any(_bound(clause, n, g, lex) for g in generic)]
    if paired:
        return paired[0], paired[0].type
    if dated:
        references = [h for h in hits if h.kind == "reference" and h.type not in lex.statements]
        for noun in [*nouns, *references]:
            return noun, noun.type
        statements = [h for h in hits if h.type in lex.statements]
        if statements:
            return statements[0], statements[0].type
    return None


def _own_hits(clause: _Clause, lex: _Lexicon) -> list[_Hit]:
    """The clause's hits, less those inside speech it reports: after «заявил, что…» the
    words are what someone said («Песков заявил 12 января, что Россия не ведет переговоры»)."""
    statement = next((h for h in clause.hits if h.type in lex.statements), None)
    if statement is None:
        return clause.hits
    cut = next(
        (
            t.start
            for t in clause.tokens
            if t.start > statement.start and _norm(t.text) in lex.complementizers
        ),
        None,
    )
    if cut is None:
        return clause.hits
    return [h for h in clause.hits if h.start < cut]


def _bound(clause: _Clause, noun: _Hit, verb: _Hit, lex: _Lexicon) -> bool:
    """Whether ``verb`` says that ``noun`` took place: nothing that opens another clause
    («а», «но», «что», ';') stands between them."""
    lo, hi = sorted((noun.end, verb.start)) if noun.start < verb.start else (verb.end, noun.start)
    return not any(lo <= t.start < hi and _norm(t.text) in lex.unbound for t in clause.tokens)


def find_event_mentions(
    text: str, lang: str | None, annotations: Annotations, part: str = "text"
) -> tuple[EventMention, ...]:
    """Every clause of ``text`` that reports a happening, in text order (see the module doc).

    ``annotations`` must be those of ``text`` (its sentences, entities, dates and
    durations); ``part`` names which text of the article it is and is copied to
    each mention.
    """
    lex = _lexicon(lang)
    tokens = annotations.tokens or segment.tokens(text, lang)
    token_starts = [t.start for t in tokens]
    quotes = _quote_spans(text, 0)
    dates = _dating(text, annotations.dates)
    mentions: list[EventMention] = []
    sentence_of: list[int] = []
    for s_index, sentence in enumerate(annotations.sentences):
        lo = bisect_left(token_starts, sentence.start)
        hi = bisect_left(token_starts, sentence.end)
        s_tokens = list(tokens[lo:hi])
        hits = [h for h in _hits(s_tokens, lex, lang) if not _inside(h.start, quotes)]
        s_dates = [(i, d) for i, d in dates if sentence.start <= d.start < sentence.end]
        cuts = _cuts(text, sentence.start, sentence.end, [d for _, d in s_dates])
        previous: EventMention | None = None
        for c_index, (c_start, c_end) in enumerate(cuts):
            date_index = s_dates[c_index][0] if s_dates else None
            clause = _Clause(
                c_start,
                c_end,
                s_index,
                date_index,
                [h for h in hits if c_start <= h.start < c_end],
                [t for t in s_tokens if c_start <= t.start < c_end],
            )
            picked = _pick(clause, lex)
            lasted = any(c_start <= d.start < c_end for d in annotations.durations)
            continuing = [
                h
                for h in clause.hits
                if h.kind == "continuation" or (h.kind == "generic" and lasted)
            ]
            if picked is None and continuing:
                # «Затем они продолжатся…», «Они продолжались около восьми часов»
                earlier = _recent(mentions, sentence_of, s_index)
                if earlier is not None:
                    picked = (continuing[0], mentions[earlier].type)
            if picked is None and previous is not None and date_index is not None:
                mention = _build(text, annotations, lex, clause, previous, part, inherited=True)
            elif picked is not None:
                hit, event_type = picked
                trigger = EventMention(
                    start=c_start,
                    end=c_end,
                    sentence_start=sentence.start,
                    sentence_end=sentence.end,
                    trigger_start=hit.start,
                    trigger_end=hit.end,
                    trigger=text[hit.start : hit.end],
                    type=event_type,
                    part=part,
                )
                mention = _build(text, annotations, lex, clause, trigger, part, inherited=False)
            else:
                continue
            if mention.date is None and mention.place is None and not mention.participants:
                earlier = _recent(mentions, sentence_of, s_index, family(mention.type))
                if earlier is None:
                    continue
                mention = _with_antecedent(mention, earlier)
            mentions.append(mention)
            sentence_of.append(s_index)
            previous = mention
    return tuple(mentions)


def _dating(text: str, dates: Sequence[DateMention]) -> list[tuple[int, DateMention]]:
    """The dates of ``text`` that can date its happenings (:func:`_event_date`), with their
    index in ``dates``: none inside someone's speech."""
    speech = _quote_spans(text, _QUOTE_MIN)
    return [(i, d) for i, d in enumerate(dates) if _event_date(d) and not _inside(d.start, speech)]


def redate_mentions(
    text: str,
    mentions: Sequence[LinkedMention],
    before: Sequence[DateMention],
    after: Sequence[DateMention],
) -> tuple[LinkedMention, ...] | None:
    """The ``mentions`` :func:`find_event_mentions` found in ``text`` with its dates
    ``before``, as it finds them with ``after`` (the same text read against another
    publication date); ``None`` when that takes finding them again.

    Only the dates that can date a happening (:func:`_dating`) decide anything in event
    finding, by where they are (how sentences are cut into clauses) and by their value,
    copied to the clause's mention. When those dates stand where they stood, every
    mention is the same clause with the same trigger, place and participants, and only
    the value, grain and ``inferred`` of its date change: no tokenizing or lemmatizing
    again. A date found or lost (a relative «сегодня» needs a reference to be read), or
    one that now can or cannot date a happening, changes the clauses: ``None``. So does a
    mention whose date cannot be told for sure (two dates of one clause, a value that is
    not the one ``before`` gives), for safety."""
    old, new = _dating(text, before), _dating(text, after)
    if [(d.start, d.end) for _, d in old] != [(d.start, d.end) for _, d in new]:
        return None
    out: list[LinkedMention] = []
    for m in mentions:
        if m.date is None:  # its sentence has no date, then as now
            out.append(m)
            continue
        inside = [k for k, (_, d) in enumerate(old) if m.start <= d.start < m.end]
        if len(inside) != 1:
            return None
        (k,) = inside
        was, now = old[k][1], new[k][1]
        if (was.value, was.grain, was.inferred) != (m.date, m.grain, m.date_inferred):
            return None
        out.append(replace(m, date=now.value, grain=now.grain, date_inferred=now.inferred))
    return tuple(out)


def _with_antecedent(mention: EventMention, index: int) -> EventMention:
    return replace(mention, antecedent=index)


def _recent(
    mentions: Sequence[EventMention],
    sentence_of: Sequence[int],
    s_index: int,
    wanted_family: str | None = None,
) -> int | None:
    """The latest earlier mention within a few sentences (of one family, if given)."""
    window = tolerance("context_sentences")
    for index in range(len(mentions) - 1, -1, -1):
        if s_index - sentence_of[index] > window:
            return None
        if wanted_family is None or family(mentions[index].type) == wanted_family:
            return index
    return None


def _build(
    text: str,
    annotations: Annotations,
    lex: _Lexicon,
    clause: _Clause,
    trigger: EventMention,
    part: str,
    inherited: bool,
) -> EventMention:
    """A mention for ``clause``, with the trigger (and type) of ``trigger``."""
    date_value = grain = None
    inferred = False
    if clause.date_index is not None:
        d = annotations.dates[clause.date_index]
        date_value, grain, inferred = d.value, d.grain, d.inferred
    entities = [
        (i, m)
        for i, m in enumerate(annotations.entities)
        if clause.start <= m.start < clause.end and m.type in _PARTICIPANT_TYPES
    ]
    entities = [
        (i, m)
        for i, m in entities
        if not (m.start < trigger.trigger_end and trigger.trigger_start < m.end)
    ]
    anchors = [trigger.trigger_start, *(h.start for h in clause.hits)]
    if clause.date_index is not None:
        anchors.append(annotations.dates[clause.date_index].start)
    place = _place(text, entities, clause.tokens, lex, anchors)
    after_place = _parenthetical(text, annotations.entities, place)
    participants = tuple(
        i for i, m in entities if i != place and i not in after_place and m.normal.strip()
    )
    sentence = annotations.sentences[clause.sentence]
    return EventMention(
        start=clause.start,
        end=clause.end,
        sentence_start=sentence.start,
        sentence_end=sentence.end,
        trigger_start=trigger.trigger_start,
        trigger_end=trigger.trigger_end,
        trigger=trigger.trigger,
        type=trigger.type,
        date=date_value,
        grain=grain,
        date_index=clause.date_index,
        date_inferred=inferred,
        place=place,
        participants=participants,
        attributes=_attributes(text, annotations, lex, clause, trigger),
        planned=any(
            _norm(t.lemma) in lex.planned or _norm(t.text) in lex.planned for t in clause.tokens
        ),
        part=part,
    )


def _place(
    text: str,
    entities: Sequence[tuple[int, EntityMention]],
    tokens: Sequence[Token],
    lex: _Lexicon,
    anchors: Sequence[int],
) -> int | None:
    """The first place named after a locative preposition («в Женеве», 'in Geneva') close
    to the trigger, a verb of the clause or its date: a place further off is usually what
    the happening is about («пропозиції … щодо безпеки в Європі»), not where it was."""
    window = int(table()["place_window"])
    starts = [t.start for t in tokens]
    positions = [bisect_left(starts, a) for a in anchors]
    by_end = {t.end: t for t in tokens}
    for index, m in entities:
        if m.type != "LOC":
            continue
        before = text[: m.start].rstrip()
        token = by_end.get(len(before))
        if token is None or _norm(token.text) not in lex.locative:
            continue
        here = bisect_left(starts, m.start)
        if any(abs(here - p) <= window for p in positions):
            return index
    return None


def _parenthetical(text: str, entities: Sequence[EntityMention], place: int | None) -> set[int]:
    """Places that only locate the place: «в Брюсселе (Бельгия)», 'in Geneva, Switzerland'."""
    if place is None:
        return set()
    anchor = entities[place]
    out: set[int] = set()
    for index in range(place + 1, len(entities)):
        m = entities[index]
        gap = text[anchor.end : m.start]
        if m.type == "LOC" and gap.strip() in ("(", ","):
            out.add(index)
        break
    return out


# --------------------------------------------------------------------------- attributes


def _attributes(
    text: str, annotations: Annotations, lex: _Lexicon, clause: _Clause, trigger: EventMention
) -> tuple[Attribute, ...]:
    out: list[Attribute] = []
    if trigger.type not in lex.statements:
        durations = [
            d
            for d in annotations.durations
            if clause.start <= d.start < clause.end
            and not any(_norm(w) in lex.skip_duration for w in d.text.split())
            and not _preceded_by(text, d.start, lex.skip_duration)
        ]
        if durations:
            d = min(durations, key=lambda d: abs(d.start - trigger.trigger_start))
            out.append(Attribute("duration", d.value, d.approximate, d.start, d.end))
    out.extend(_counts(clause.tokens, lex))
    seen: set[str] = set()
    for t in clause.tokens:
        outcome = lex.outcomes.get(_norm(t.lemma)) or lex.outcomes.get(_norm(t.text))
        if outcome and outcome not in seen:
            seen.add(outcome)
            out.append(Attribute("outcome", outcome, False, t.start, t.end))
    return tuple(out)


def _preceded_by(text: str, position: int, words: Iterable[str]) -> bool:
    before = text[max(0, position - 20) : position].split()
    return bool(before) and _norm(before[-1]) in set(words)


def _number(token: Token, lex: _Lexicon) -> float | None:
    word = _norm(token.text)
    if _DIGITS.match(word):
        return float(word.replace(",", "."))
    return lex.numbers.get(word)


def _counts(tokens: Sequence[Token], lex: _Lexicon) -> list[Attribute]:
    """«погибли три человека», '40 people were evacuated': a number before a counted noun,
    named by the role word of its clause (killed, injured…) or else by the noun's class."""
    roles = [
        lex.count_roles.get(_norm(t.lemma)) or lex.count_roles.get(_norm(t.text)) for t in tokens
    ]
    out: list[Attribute] = []
    for i, token in enumerate(tokens[:-1]):
        value = _number(token, lex)
        if value is None:
            continue
        noun = tokens[i + 1]
        kind = lex.count_nouns.get(_norm(noun.lemma)) or lex.count_nouns.get(_norm(noun.text))
        if kind is None:
            continue
        role = next((r for r in roles if r), None)
        approximate = i > 0 and _norm(tokens[i - 1].text) in lex.approximate
        shown = str(int(value)) if value.is_integer() else str(value)
        out.append(Attribute(f"count:{role or kind}", shown, approximate, token.start, noun.end))
    return out
