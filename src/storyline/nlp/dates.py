"""Calendar dates written in a page, and the year they belong to.

Only what is written as a date is found here: day and month (with or without a
year), numeric dates, ISO dates, and a month with a year. Years are resolved
against a reference date by choosing the year that puts the date closest to it
(«13 января» in a page of 12 January 2022 is 2022-01-13; «29 декабря» in the
same page is 2021-12-29).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from storyline import resources

Grain = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class DateMention:
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


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    names = sorted(resources.month_numbers(), key=len, reverse=True)
    # An abbreviation ("янв", "Sept") may carry a period; a full name never takes the
    # sentence's full stop with it.
    abbreviations = {n for n in names if any(o != n and o.startswith(n) for o in names)}
    alternatives = [re.escape(n) + (r"\.?" if n in abbreviations else "") for n in names]
    month = r"(?P<month>" + "|".join(alternatives) + r")(?![\w])"
    year = r"(?P<year>(?:19|20)\d\d)"
    join = r"\s*(?:-|–|—|и|і|й|та|and|to)\s*"
    return (
        # 9 января 2022, 9–10 січня, 7 декабря 2021 года
        re.compile(
            rf"(?<![\w.,])(?P<day>[0-3]?\d)(?:{join}(?P<end_day>[0-3]?\d))?\s+{month}"
            rf"(?:\s*,?\s*{year}(?!\d))?",
            re.IGNORECASE,
        ),
        # Jan. 10, January 10, 2022
        re.compile(
            rf"(?<![\w]){month}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\w])(?:,?\s+{year}(?!\d))?",
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
        re.compile(rf"(?<![\w]){month}\s+{year}(?!\d)", re.IGNORECASE),
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


def find_dates(text: str) -> list[DateMention]:
    """Every date written in ``text``, in order; overlapping matches keep the longest."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    lookup = resources.month_numbers()
    for pattern in _patterns():
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
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
            found.append(DateMention(m.start(), m.end(), m.group(0), day, month, year, end_day))
    return sorted(found, key=lambda d: d.start)


def resolve_year(mention: DateMention, reference: date) -> date:
    """The date a mention stands for, given the date the page speaks from.

    A written year wins. Otherwise the year that puts the date closest to the
    reference — not 'prefer the past': news announces what comes next as often
    as it recalls what happened.
    """
    day = mention.day or 1
    if mention.year is not None:
        return date(mention.year, mention.month, min(day, 28) if mention.month == 2 else day)
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


def latest_explicit(mentions: Iterable[DateMention]) -> date | None:
    """The latest date written with its year: the page's best anchor in time."""
    dated = [date(m.year, m.month, m.day or 1) for m in mentions if m.year is not None]
    return max(dated, default=None)
