"""Dates in an article's text, put on the calendar.

Two layers:

* :func:`find_written_dates` finds what is written as a date — day and month
  (with or without a year), day ranges within one month, numeric and ISO dates,
  a month with its year — and nothing else. Publication-date inference
  (:mod:`storyline.extract.published`) works from these alone.
* :func:`find_dates` adds what a reader resolves against the day the page speaks
  from — a month alone («в декабре», «в середине декабря», 'last July'), a bare
  year («в 2014 году», 'Dakar Rally 2024'), weekdays («в понедельник», 'Tuesday')
  and relative words («вчора», «на следующей неделе», «Еще через день»,
  'last week') — and returns :class:`~storyline.nlp.annotations.DateMention`
  values with ISO 8601 values.

Years left out are resolved against the publication date by choosing the year
that puts the date closest to it — not 'prefer the past': news announces what
comes next as often as it recalls what happened («13 января» in a page of
12 January 2022 is 2022-01-13; «29 декабря» in the same page is 2021-12-29).
Durations («через вісім років», «около четырех часов») are never dates: they
live in :mod:`storyline.nlp.durations`. Per-language words come from the JSON
tables ``months``, ``month_phrases``, ``weekdays``, ``relative_dates`` and
``years`` in :mod:`storyline.resources`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any, Literal

from storyline import resources
from storyline.nlp.annotations import DateMention

Grain = Literal["day", "month", "year"]

_APOSTROPHE = "['’ʼ`]"
_YEAR = r"(?P<year>(?:19|20)\d\d)"


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """A date as the page writes it, before any year is resolved."""

    start: int
    end: int
    text: str
    day: int | None
    month: int
    year: int | None
    """None when the page leaves the year out; see :func:`resolve_year`."""
    end_day: int | None = None
    """Last day of a range written with one month («9 и 10 января», «9–10 січня»)."""

    @property
    def grain(self) -> Grain:
        return "day" if self.day is not None else "month"


# --------------------------------------------------------------------------- tables


def _phrase(words: str) -> str:
    """A table phrase as a regex: spaces match any whitespace, apostrophes any apostrophe."""
    parts = [re.escape(w).replace("'", _APOSTROPHE) for w in words.split()]
    return r"\s+".join(parts)


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(_phrase(p) for p in sorted(set(phrases), key=len, reverse=True))


def _languages(table: dict[str, Any], lang: str | None) -> list[str]:
    """The table's languages to apply: the page's own, or all of them when unknown."""
    return [lang] if lang in table else list(table)


def _abbreviations(names: Iterable[str]) -> set[str]:
    names = set(names)
    return {n for n in names if any(o != n and o.startswith(n) for o in names)}


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    names = sorted(resources.month_numbers(), key=len, reverse=True)
    # An abbreviation ("янв", "Sept") may carry a period; a full name never takes the
    # sentence's full stop with it.
    abbreviations = _abbreviations(names)
    alternatives = [re.escape(n) + (r"\.?" if n in abbreviations else "") for n in names]
    month = r"(?P<month>" + "|".join(alternatives) + r")(?![\w])"
    join = r"\s*(?:-|–|—|и|і|й|та|and|to)\s*"
    return (
        # 9 января 2022, 9–10 січня, 7 декабря 2021 года, 27 Sep, 2022
        re.compile(
            rf"(?<![\w.,])(?P<day>[0-3]?\d)(?:{join}(?P<end_day>[0-3]?\d))?\s+{month}"
            rf"(?:\s*,?\s*{_YEAR}(?!\d))?",
            re.IGNORECASE,
        ),
        # Jan. 10, January 10, 2022, July 22,2022, June 23-24
        re.compile(
            rf"(?<![\w]){month}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
            rf"(?:\s*[-–—]\s*(?P<end_day>[0-3]?\d)(?:st|nd|rd|th)?)?(?![\w])"
            rf"(?:\s*,?\s*{_YEAR}(?!\d))?",
            re.IGNORECASE,
        ),
        # 10.01.2022, 17/07/2023
        re.compile(
            r"(?<![\w.,/])(?P<day>[0-3]?\d)[./](?P<nmonth>[01]?\d)[./](?P<year>(?:19|20)\d\d)(?![\w])"
        ),
        # 2022-01-10
        re.compile(
            r"(?<![\w-])(?P<year>(?:19|20)\d\d)-(?P<nmonth>[01]\d)-(?P<day>[0-3]\d)(?![\w])"
        ),
        # в декабре 2021 года, December 2021
        re.compile(rf"(?<![\w]){month}\s+{_YEAR}(?!\d)", re.IGNORECASE),
        # a crawler's " date 2023-06": year and month only
        re.compile(r"(?<![\w-])(?P<year>(?:19|20)\d\d)-(?P<nmonth>0[1-9]|1[0-2])(?![\w-])"),
    )


def _valid(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29 February stays valid
    except ValueError:
        return False
    return True


def _overlaps(start: int, end: int, taken: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def find_written_dates(text: str) -> list[WrittenDate]:
    """Every date written in ``text``, in order; overlapping matches keep the first pattern's."""
    return list(_written_dates(text))


TEXTS_KEPT = 64
"""Texts whose written dates are kept: each text of a page is read for its dates and then
for its durations (which step around the dates), and six patterns over a page's body are
0.5 ms; a worker's task reads the texts of 8 pages (body, title, lead) one after another."""


@lru_cache(maxsize=TEXTS_KEPT)
def _written_dates(text: str) -> tuple[WrittenDate, ...]:
    found: list[WrittenDate] = []
    taken: list[tuple[int, int]] = []
    lookup = resources.month_numbers()
    for pattern in _patterns():
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), taken):
                continue
            groups = m.groupdict()
            month = (
                lookup[groups["month"].lower().rstrip(".")]
                if groups.get("month")
                else int(groups["nmonth"])
            )
            day = int(groups["day"]) if groups.get("day") else None
            year = int(groups["year"]) if groups.get("year") else None
            end_day = int(groups["end_day"]) if groups.get("end_day") else None
            if not _valid(year, month, day) or (
                end_day is not None and not _valid(year, month, end_day)
            ):
                continue
            if end_day is not None and day is not None and end_day <= day:
                continue
            taken.append((m.start(), m.end()))
            found.append(WrittenDate(m.start(), m.end(), m.group(0), day, month, year, end_day))
    return tuple(sorted(found, key=lambda d: d.start))


def resolve_year(mention: WrittenDate, reference: date) -> date:
    """The date a mention stands for, given the date the page speaks from.

    A written year wins. Otherwise the year that puts the date closest to the
    reference — not 'prefer the past': news announces what comes next as often
    as it recalls what happened.
    """
    day = mention.day or 1
    if mention.year is not None:
        return date(mention.year, mention.month, day)
    best: date | None = None
    for year in range(reference.year - 4, reference.year + 5):  # 29 February needs a leap year
        try:
            candidate = date(year, mention.month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - reference).days) < abs((best - reference).days):
            best = candidate
    assert best is not None  # every valid day-month exists within four years
    return best


def latest_explicit(mentions: Iterable[WrittenDate]) -> date | None:
    """The latest date written with its year: the page's best anchor in time."""
    dated = [date(m.year, m.month, m.day or 1) for m in mentions if m.year is not None]
    return max(dated, default=None)


def weekday_days(text: str, lang: str | None = None) -> tuple[tuple[int, int, int], ...]:
    """``(month, day, weekday)`` (0 = Monday) of each day the text writes without a year
    but with its weekday («у четвер, 1 квітня», 'on Monday (July 17)', «10 жовтня
    (субота)»). A page that states no date still tells its year this way, up to a few:
    1 April was a Thursday in 2010, 2021 and 2027, not in 2014."""
    hits = _weekday_hits(text, _languages(resources.load("weekdays"), lang))
    found = []
    for w in find_written_dates(text):
        if w.day is None or w.year is not None or w.end_day is not None:
            continue
        hit = _weekday_named(hits, text, w.start, w.end)
        if hit is not None and not hit.direction:
            found.append((w.month, w.day, hit.weekday))
    return tuple(found)


# --------------------------------------------------------------------------- resolved mentions


def _as_date(value: date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _closest_month(month: int, reference: date, direction: int = 0) -> int:
    """The year of the month ``month`` nearest ``reference`` (ties go to the past).

    ``direction`` -1 asks for the latest such month before the reference's month
    ('last July'), +1 for the first one after it ('next July').
    """
    here = reference.year * 12 + reference.month - 1
    years = range(reference.year - 2, reference.year + 3)
    if direction < 0:
        return max(y for y in years if y * 12 + month - 1 < here)
    if direction > 0:
        return min(y for y in years if y * 12 + month - 1 > here)
    return min(years, key=lambda y: (abs(y * 12 + month - 1 - here), y))


def _from_written(w: WrittenDate, reference: date | None) -> DateMention:
    if w.day is None:  # a month with its year: always written in full
        assert w.year is not None
        value, kind, inferred = f"{w.year:04d}-{w.month:02d}", "absolute", False
        return DateMention(w.start, w.end, w.text, value, "month", inferred, kind)
    kind = "range" if w.end_day is not None else "absolute" if w.year else "partial"
    if w.year is None and reference is None:
        # No year anywhere: ISO 8601's truncated form, for a later stage to resolve.
        value = f"--{w.month:02d}-{w.day:02d}"
        if w.end_day is not None:
            value += f"/--{w.month:02d}-{w.end_day:02d}"
        return DateMention(w.start, w.end, w.text, value, "day", False, kind)
    first = resolve_year(w, reference or date(w.year or 2000, 1, 1))
    value = first.isoformat()
    if w.end_day is not None:
        value += "/" + first.replace(day=w.end_day).isoformat()
    return DateMention(w.start, w.end, w.text, value, "day", w.year is None, kind)


@cache
def _month_only_patterns(lang: str) -> re.Pattern[str]:
    table = resources.load("month_phrases")[lang]
    forms = [f for f in resources.load("months")[lang] for f in f]
    abbreviations = _abbreviations(forms)
    names = [f for f in sorted(set(forms), key=len, reverse=True) if f not in abbreviations]
    if lang == "en":  # 'may', 'march' are verbs: an English month name is capitalized
        months = "(?-i:" + "|".join(re.escape(n.capitalize()) for n in names) + ")"
    else:
        months = "|".join(re.escape(n) for n in names)
    modifiers = [m for m in table["modifiers"] if not m.endswith("-")]
    glued = [m for m in table["modifiers"] if m.endswith("-")]
    modifier = rf"(?:{_alternation(modifiers)})\s+"
    if glued:
        modifier = rf"(?:{modifier}|(?:{'|'.join(map(re.escape, glued))}))"
    return re.compile(
        rf"(?<![\w-])(?:(?:{_alternation(table['before'])})\s+)?"
        rf"(?P<mention>(?:(?P<last>{_alternation(table['last'])})\s+"
        rf"|(?P<next>{_alternation(table['next'])})\s+)?"
        rf"(?P<modifier>{modifier})?(?P<month>{months}))(?![\w])",
        re.IGNORECASE,
    )


def _month_only(text: str, langs: list[str], reference: date) -> Iterator[DateMention]:
    lookup = resources.month_numbers()
    for lang in langs:
        for m in _month_only_patterns(lang).finditer(text):
            if m.group(0) == m.group("month"):  # a bare name: «Март», 'May'
                continue
            month = lookup[m.group("month").casefold()]
            direction = -1 if m.group("last") else 1 if m.group("next") else 0
            year = _closest_month(month, reference, direction)
            yield DateMention(
                m.start("mention"),
                m.end("mention"),
                m.group("mention"),
                f"{year:04d}-{month:02d}",
                "month",
                True,
                "partial",
            )


@cache
def _year_pattern() -> re.Pattern[str]:
    year = r"(?:1[89]\d\d|20\d\d)"
    return re.compile(
        rf"(?<![\w$€£₽№#+.,:/\\-])(?P<y1>{year})"
        rf"(?:\s*[-–—]\s*(?P<y2>{year}))?(?![\w%$€₽]|[.,:/]\d|-\d)"
    )


@cache
def _year_after_words() -> frozenset[str]:
    return frozenset(w for t in resources.load("years").values() for w in t["after"])


_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_][\w'’-]*)")


def _years(text: str) -> Iterator[DateMention]:
    after = _year_after_words()
    for m in _year_pattern().finditer(text):
        if re.search(r"\d[ \u00a0]$", text[max(0, m.start() - 2) : m.start()]):
            continue  # «1 193», '12 000': a digit group, not a year
        following = _NEXT_WORD.match(text, m.end())
        if following:
            word = following.group(1)
            if word[0].islower() and word.casefold() not in after:
                continue  # '2000 человек', '1500 tonnes'
        first, last = m.group("y1"), m.group("y2")
        if last and int(last) > int(first):
            value, kind = f"{first}/{last}", "range"
            end = m.end()
        else:
            value, kind, end = first, "absolute", m.end("y1")
        yield DateMention(m.start(), end, text[m.start() : end], value, "year", False, kind)


@cache
def _weekday_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, int]]:
    table = resources.load("weekdays")[lang]
    index = {
        re.sub(_APOSTROPHE, "'", form): i for i, forms in enumerate(table["days"]) for form in forms
    }
    direction = (
        rf"(?:(?P<next>{_alternation(table['next'])})|(?P<last>{_alternation(table['last'])}))\s+"
        if table["next"]
        else ""
    )
    pattern = re.compile(
        rf"(?<![\w'’ʼ-])(?P<mention>(?:{direction})?(?P<day>{_alternation(index)}))(?![\w'’ʼ])",
        re.IGNORECASE,
    )
    return pattern, index


def _preceding_word(text: str, start: int) -> str:
    m = re.search(r"([^\W\d_]+)\s+$", text[max(0, start - 30) : start])
    return m.group(1).casefold() if m else ""


@dataclass(frozen=True, slots=True)
class _WeekdayHit:
    start: int
    end: int
    text: str
    weekday: int
    """0 = Monday."""
    direction: int
    """-1 'last Monday', +1 «в следующий понедельник», 0 plain."""


def _weekday_hits(text: str, langs: list[str]) -> list[_WeekdayHit]:
    hits = []
    for lang in langs:
        table = resources.load("weekdays")[lang]
        guarded = {g.casefold() for g in table["guarded"]}
        prepositions = {p.casefold() for p in table["prepositions"]}
        pattern, index = _weekday_pattern(lang)
        for m in pattern.finditer(text):
            word = re.sub(_APOSTROPHE, "'", m.group("day").casefold())
            direction = -1 if m.group("last") else 1 if m.group("next") else 0
            preceding = _preceding_word(text, m.start("day"))
            if word in guarded and not direction and preceding not in prepositions:
                continue  # «окружающая среда»
            hits.append(
                _WeekdayHit(
                    m.start("mention"), m.end("mention"), m.group("mention"), index[word], direction
                )
            )
    return hits


_WEEKDAY_TO_DATE = re.compile(r"[\s,(]*(?:[^\W\d_]+[\s,(]+)?")
"""What may stand between a weekday and the date it names: «у середу ввечері, 23 серпня»."""


def _year_from_weekday(
    hits: list[_WeekdayHit], mentions: list[DateMention], text: str, reference: date
) -> list[DateMention]:
    """Yearless dates named with their weekday take the nearest year where the two agree.

    «четверг, 2 мая» in a page that otherwise speaks of March 2022 is 2 May 2024,
    not 2022 (a Monday): a header or sidebar printed when the page was crawled.
    """
    result = []
    for mention in mentions:
        hit = _weekday_named(hits, text, mention.start, mention.end)
        if (
            hit is None
            or not mention.inferred
            or mention.kind != "partial"
            or mention.grain != "day"
            or date.fromisoformat(mention.value).weekday() == hit.weekday
        ):
            result.append(mention)
            continue
        written = date.fromisoformat(mention.value)
        years = [
            y
            for y in range(reference.year - 6, reference.year + 7)
            if _weekday_of(y, written.month, written.day) == hit.weekday
        ]
        if not years:
            result.append(mention)
            continue
        year = min(years, key=lambda y: abs((_safe_date(y, written) - reference).days))
        value = _safe_date(year, written).isoformat()
        result.append(
            DateMention(mention.start, mention.end, mention.text, value, "day", True, "partial")
        )
    return result


def _weekday_named(hits: list[_WeekdayHit], text: str, start: int, end: int) -> _WeekdayHit | None:
    """The weekday written with the date at ``start``–``end``: just before it («четверг,
    2 мая») or in brackets just after it («з 12:00 10 жовтня (субота)», '10 October
    (Saturday)'), as agencies print a day's weekday."""
    return next(
        (
            h
            for h in hits
            if (
                h.end <= start
                and start - h.end <= 20
                and _WEEKDAY_TO_DATE.fullmatch(text, h.end, start)
            )
            or (
                h.start >= end
                and _DATE_TO_BRACKETED_WEEKDAY.fullmatch(text, end, h.start)
                and _BRACKET_CLOSE.match(text, h.end)
            )
        ),
        None,
    )


_DATE_TO_BRACKETED_WEEKDAY = re.compile(r"\s*\(\s*")
"""What stands between a date and the weekday bracketed after it: «10 жовтня (субота)»."""
_BRACKET_CLOSE = re.compile(r"\s*\)")


def _weekday_of(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).weekday()
    except ValueError:
        return None


def _safe_date(year: int, written: date) -> date:
    return written.replace(year=year)


def _weekdays(
    text: str,
    hits: list[_WeekdayHit],
    reference: date | None,
    exact: bool,
    days: list[tuple[int, int, date]],
) -> Iterator[DateMention]:
    for hit in hits:
        value = _weekday_date(text, hit, reference, exact, days)
        if value is not None:
            yield DateMention(
                hit.start, hit.end, hit.text, value.isoformat(), "day", True, "relative"
            )


def _weekday_date(
    text: str,
    hit: _WeekdayHit,
    reference: date | None,
    exact: bool,
    days: list[tuple[int, int, date]],
) -> date | None:
    """The day a weekday refers to.

    The date written right after it is the one meant when it falls on that weekday
    («у середу ввечері, 23 серпня»; 'on Monday (July 17)'); else a date of the page
    that does — within a week of the publication date when that is known, the
    nearest in the text otherwise. Failing that, the latest such
    weekday on or before the publication date (news reports what has happened), or
    the next/previous one after «в следующий»/'last'; against a reference that is
    only an estimate, the nearest such weekday.
    """
    weekday, direction = hit.weekday, hit.direction
    candidates = [(s, e, d) for s, e, d in days if d.weekday() == weekday]
    for start, _, day in candidates:  # «у середу ввечері, 23 серпня»: the date it names
        if 0 <= start - hit.end <= 20 and _WEEKDAY_TO_DATE.fullmatch(text, hit.end, start):
            return day
    if exact and reference is not None:
        candidates = [c for c in candidates if abs((c[2] - reference).days) <= 7]
        if direction:
            candidates = [c for c in candidates if (c[2] - reference).days * direction > 0]
    if candidates:
        return min(candidates, key=lambda c: min(abs(c[0] - hit.start), abs(c[1] - hit.start)))[2]
    if reference is None:
        return None
    if direction > 0:
        return reference + timedelta(days=(weekday - reference.weekday() - 1) % 7 + 1)
    if direction < 0:
        return reference - timedelta(days=(reference.weekday() - weekday - 1) % 7 + 1)
    back = reference - timedelta(days=(reference.weekday() - weekday) % 7)
    if not exact and (reference - back).days > 3:
        return back + timedelta(days=7)
    return back


@cache
def _relative_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, tuple[str, int, bool]]]:
    table = resources.load("relative_dates")[lang]
    meaning: dict[str, tuple[str, int, bool]] = {}
    for chained, key in ((False, "phrases"), (True, "chained")):
        for phrase, (unit, offset) in table[key].items():
            meaning[phrase] = (unit, offset, chained)
    pattern = re.compile(rf"(?<![\w-])(?:{_alternation(meaning)})(?![\w-])", re.IGNORECASE)
    return pattern, meaning


def _shift_month(reference: date, months: int) -> tuple[int, int]:
    index = reference.year * 12 + reference.month - 1 + months
    return index // 12, index % 12 + 1


@cache
def _eve_words(lang: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """(eve words, words after which they stay adverbs, verb endings) of ``lang``."""
    table = resources.load("relative_dates")[lang]
    return (
        frozenset(table.get("eve", ())),
        frozenset(table.get("adverb_before", ())),
        tuple(table.get("verb_endings", ())),
    )


_PREVIOUS_WORD = re.compile(r"([^\W\d_][\w'’-]*)[ \t]+$")


def _in_a_name(text: str, start: int) -> bool:
    """A capitalised relative word right after a capitalised word is part of a name:
    "Russia Today", "USA Today" quote, they are not dates."""
    if not text[start : start + 1].isupper():
        return False
    previous = _PREVIOUS_WORD.search(text[max(0, start - 40) : start])
    return previous is not None and previous.group(1)[:1].isupper()


def _before_a_noun(
    text: str, end: int, adverb_before: frozenset[str], verb_endings: tuple[str, ...]
) -> bool:
    """«накануне переговоров» is "on the eve of the talks", no day of its own; «накануне
    она заявила», «накануне заявил», «сделанные накануне.» use the adverb."""
    following = _NEXT_WORD.match(text, end)
    if following is None:
        return False
    word = following.group(1)
    low = word.casefold()
    return word[:1].islower() and low not in adverb_before and not low.endswith(verb_endings)


def _relative(
    text: str, langs: list[str], reference: date | None, days: list[tuple[int, int, date]]
) -> Iterator[DateMention]:
    for lang in langs:
        pattern, meaning = _relative_pattern(lang)
        eve, adverb_before, verb_endings = _eve_words(lang)
        for m in pattern.finditer(text):
            key = " ".join(re.sub(_APOSTROPHE, "'", m.group(0).casefold()).split())
            unit, offset, chained = meaning[key]
            if _in_a_name(text, m.start()) or (
                key in eve and _before_a_noun(text, m.end(), adverb_before, verb_endings)
            ):
                continue
            base = reference
            if chained:
                before = [
                    d for s, e, d in days if e <= m.start() and "\n" not in text[e : m.start()]
                ]
                base = before[-1] if before else reference
            if base is None:
                continue
            grain: Grain = "day"
            if unit == "day":
                value = (base + timedelta(days=offset)).isoformat()
            elif unit == "week" and chained:
                value = (base + timedelta(weeks=offset)).isoformat()
            elif unit == "week":
                monday = base - timedelta(days=base.weekday()) + timedelta(weeks=offset)
                value = f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"
            elif unit == "month":
                year, month = _shift_month(base, offset)
                value, grain = f"{year:04d}-{month:02d}", "month"
            else:
                value, grain = f"{base.year + offset:04d}", "year"
            yield DateMention(m.start(), m.end(), m.group(0), value, grain, True, "relative")


def _reference(
    written: list[WrittenDate], published: date | None, anchor: date | None
) -> tuple[date | None, bool]:
    if published is not None:
        return published, True
    if anchor is not None:
        return anchor, False
    return latest_explicit(written), False


def find_dates(
    text: str,
    published: date | None = None,
    lang: str | None = None,
    *,
    anchor: date | None = None,
) -> tuple[DateMention, ...]:
    """Every date mention in ``text`` with its ISO 8601 value, in text order.

    ``published`` is the day the page speaks from, known to the day; yearless
    dates, weekdays and relative words are resolved against it. Without it, they
    are resolved against ``anchor`` — what the caller knows the page is near: a
    month-precision estimate of its publication, its story's dates — or else the
    latest date the page writes with its year, and always marked ``inferred``.
    With no reference at all, yearless dates keep ISO's truncated form
    (``--03-29``) and weekdays and relative words are left out. ``lang`` narrows
    the word tables (weekdays, relative words, month phrases) to one language;
    month names are recognized in every language, as pages mix them.

    Today-words (сегодня, today, this week) are reported with the publication date's
    day, week, month or year; «накануне»/«напередодні» with the day before the date
    the paragraph last named (or before publication). Words that only say "now"
    (сейчас, now) are not reported.
    """
    written = find_written_dates(text)
    reference, exact = _reference(written, _as_date(published), _as_date(anchor))
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(mentions: Iterable[DateMention]) -> None:
        for mention in mentions:
            if not _overlaps(mention.start, mention.end, taken):
                taken.append((mention.start, mention.end))
                found.append(mention)

    weekdays = _weekday_hits(text, _languages(resources.load("weekdays"), lang))
    from_written = [_from_written(w, reference) for w in written]
    if reference is not None:
        from_written = _year_from_weekday(weekdays, from_written, text, reference)
    add(from_written)
    days = sorted(
        (m.start, m.end, date.fromisoformat(m.value))
        for m in found
        if m.grain == "day" and m.kind != "range" and not m.value.startswith("--")
    )
    add(_relative(text, _languages(resources.load("relative_dates"), lang), reference, days))
    add(_weekdays(text, weekdays, reference, exact, days))
    if reference is not None:
        add(_month_only(text, _languages(resources.load("month_phrases"), lang), reference))
    add(_years(text))
    return tuple(sorted(found, key=lambda m: m.start))
