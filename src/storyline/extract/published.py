"""When a page was published, inferred from its text when the page does not say.

A page reports speech that has already happened: a date in a clause with a
reporting verb («Об этом 12 января пишет ТАСС», «Песков заявил журналистам 12
января») is on or before publication, so the latest such date is the best
estimate of the publication day. Years left out are resolved against the
latest date the page writes with its year; with no year anywhere we do not
guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from storyline import resources
from storyline.document import Precision
from storyline.nlp.dates import DateMention, find_dates, latest_explicit, resolve_year

_CLAUSE_END = re.compile(r"(?<=[.!?…])\s+|\n+|[,;:()«»\"“”]|\s[–—]\s")
"""Clause boundaries: a date tied to a reporting verb sits in the verb's own clause
(«29 декабря в Госдепартаменте сообщили, что … 12 января проходит встреча» dates
the statement to 29 December, not to the 12 January meeting it announces)."""


@cache
def _reporting_pattern() -> re.Pattern[str]:
    stems = sorted({s for stems in resources.load("reporting").values() for s in stems}, key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, stems)) + r")", re.IGNORECASE)


def _clause_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _CLAUSE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _reporting_dates(text: str, mentions: list[DateMention]) -> list[DateMention]:
    pattern = _reporting_pattern()
    chosen = []
    for start, end in _clause_bounds(text):
        inside = [m for m in mentions if start <= m.start < end and m.day is not None]
        if inside and pattern.search(text, start, end):
            chosen.extend(inside)
    return chosen


def infer_published(text: str) -> tuple[datetime | None, Precision | None]:
    """Estimated publication date of ``text`` (title, lead and body), or ``(None, None)``.

    Day precision when a reporting sentence dates it; month precision when the
    page only shows which month it speaks from (the latest date it mentions).
    """
    mentions = find_dates(text)
    anchor = latest_explicit(mentions)
    if anchor is None:
        return None, None
    reported = _reporting_dates(text, mentions)
    if reported:
        day = max(resolve_year(m, anchor) for m in reported)
        return datetime.combine(day, datetime.min.time()), "day"
    latest = max(resolve_year(m, anchor) for m in mentions)
    return datetime.combine(date(latest.year, latest.month, 1), datetime.min.time()), "month"
