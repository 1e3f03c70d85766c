"""How long things lasted: «около четырех часов», «майже вісім годин», '1.5 hours'.

A duration is a number — digits with a decimal point or comma («7,5», '1.5'),
or number words in any case form («четырех», «вісім», 'two'; ``numbers.json``) —
followed by a unit word (``durations.json``). The value is an ISO 8601 duration
(``PT4H``, ``PT7H30M``, ``P25Y``); a fraction is carried into the next smaller
unit. «около», «майже», 'about' and their kind make it ``approximate``.

What looks like a duration but is not one is left out: a year («1997 года»,
«1997 року»: a number of a thousand or more before a year word), a clock time
(«в 15 часов», «в 3 часа ночи», «24 июня около 15 часов»), an age or an
adjective glued with a hyphen ('14-year-old').
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from storyline import resources
from storyline.nlp.annotations import DurationMention
from storyline.nlp.dates import find_written_dates

_APOSTROPHE = "['’ʼ`]"
_DIGITS = r"(?<![\w.,:/-])\d{1,4}(?:[.,]\d{1,2})?(?![.,:/]?\d)"

_SMALLER = {"Y": ("MO", 12), "MO": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60)}
_SMALLER["MIN"] = ("S", 60)
_ORDER = ("Y", "MO", "W", "D", "H", "MIN", "S")
_TIME_UNITS = frozenset({"H", "MIN", "S"})
_DESIGNATOR = {"Y": "Y", "MO": "M", "W": "W", "D": "D", "H": "H", "MIN": "M", "S": "S"}
_DATE_GAP = re.compile(r"[\s,]*")


def _phrase(words: str) -> str:
    parts = [re.escape(w).replace("'", _APOSTROPHE) for w in words.split()]
    return r"\s+".join(parts)


def _alternation(phrases: Any) -> str:
    return "|".join(_phrase(p) for p in sorted(set(phrases), key=len, reverse=True))


def _key(text: str) -> str:
    return " ".join(re.sub(_APOSTROPHE, "'", text.casefold()).split())


@cache
def _pattern(lang: str) -> re.Pattern[str]:
    table = resources.load("durations")[lang]
    numbers = resources.load("numbers")[lang]
    word = rf"(?:{_alternation(numbers)})"
    number = rf"(?:{_DIGITS}|{word}(?:\s+{word})?)"
    return re.compile(
        rf"(?<![\w-])(?:(?P<approx>{_alternation(table['approximate'])})\s+"
        rf"(?:(?:{_alternation(table['between'])})\s+)?)?"
        rf"(?<![\w-])(?P<number>{number})\s+(?P<unit>{_alternation(table['units'])})(?![\w-])",
        re.IGNORECASE,
    )


def _number(text: str, lang: str) -> float | None:
    text = _key(text)
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    numbers = resources.load("numbers")[lang]
    if text in numbers:
        return float(numbers[text])
    first, _, second = text.partition(" ")
    a, b = numbers.get(first), numbers.get(second)
    if a is not None and b is not None and a >= 20 and a % 10 == 0 and 0 < b < 10:
        return float(a + b)
    return None


def iso_duration(amount: float, unit: str) -> str:
    """``amount`` of ``unit`` (Y, MO, W, D, H, MIN, S) as ISO 8601: (7.5, "H") → ``PT7H30M``."""
    parts: dict[str, float] = {}
    while True:
        whole = int(amount)
        fraction = amount - whole
        if unit == "W" and fraction:  # weeks do not mix with other units in ISO 8601
            unit, amount = "D", amount * 7
            continue
        if whole:
            parts[unit] = whole
        if not fraction or unit == "S":
            if fraction:
                parts[unit] = round(amount, 3)
            break
        unit, factor = _SMALLER[unit]
        amount = round(fraction * factor, 6)
    if not parts:
        return "PT0S"
    date_part = "".join(
        f"{_fmt(parts[u])}{_DESIGNATOR[u]}" for u in _ORDER if u in parts and u not in _TIME_UNITS
    )
    time_part = "".join(
        f"{_fmt(parts[u])}{_DESIGNATOR[u]}" for u in _ORDER if u in parts and u in _TIME_UNITS
    )
    return "P" + date_part + ("T" + time_part if time_part else "")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _clock_time(text: str, m: re.Match[str], table: dict[str, Any], date_ends: set[int]) -> bool:
    """«в 15 часов», «в 3 часа ночи», «24 июня около 15 часов»: a time of day, not a duration."""
    before = re.search(r"([^\W\d_]+)\s+$", text[max(0, m.start() - 20) : m.start()])
    if not m.group("approx") and before and before.group(1).casefold() in table["clock_before"]:
        return True
    after = _key(text[m.end() : m.end() + 30])
    if any(re.match(rf"{re.escape(w)}(?!\w)", after) for w in table["clock_after"]):
        return True
    start = m.start()
    gap_start = start
    while gap_start > 0 and _DATE_GAP.fullmatch(text[gap_start - 1 : start]):
        gap_start -= 1
    return gap_start in date_ends


def _languages(lang: str | None) -> list[str]:
    table = resources.load("durations")
    return [lang] if lang in table else list(table)


def _mentions(text: str, lang: str, date_ends: set[int]) -> Iterator[DurationMention]:
    table = resources.load("durations")[lang]
    units = table["units"]
    for m in _pattern(lang).finditer(text):
        amount = _number(m.group("number"), lang)
        unit = units[_key(m.group("unit"))]
        if amount is None or amount <= 0:
            continue
        if unit == "Y" and amount >= 1000:  # «1997 года», «1997 року»: a year
            continue
        if unit == "H" and amount <= 24 and _clock_time(text, m, table, date_ends):
            continue
        yield DurationMention(
            m.start(),
            m.end(),
            m.group(0),
            iso_duration(amount, unit),
            approximate=m.group("approx") is not None,
        )


def find_durations(text: str, lang: str | None = None) -> tuple[DurationMention, ...]:
    """Every duration in ``text`` with its ISO 8601 value, in text order.

    ``lang`` narrows the tables to one language (it matters where languages
    disagree: «3 год» is three hours in Ukrainian, and «год» a year in Russian);
    without it every language's words apply, the first listed winning.
    """
    date_ends = {d.end for d in find_written_dates(text)}
    found: list[DurationMention] = []
    for language in _languages(lang):
        for mention in _mentions(text, language, date_ends):
            if not any(mention.start < f.end and f.start < mention.end for f in found):
                found.append(mention)
    return tuple(sorted(found, key=lambda d: d.start))
