"""When a page was published, inferred from its text when the page does not say.

Two kinds of evidence, strongest first:

* a **label** the page prints before its own date ('PUBLISHED: 17/07/2023',
  'Posted at 6:28 AM, Mar 29, 2022'; ``resources/published_labels.json``);
* a **reporting clause**: a page reports speech that has already happened, so a
  date in a clause with a reporting verb («Об этом 12 января пишет ТАСС»,
  «Песков заявил журналистам 12 января») is on or before publication, and the
  latest such date is the best estimate of the publication day.

A page's address often carries its date (``/2022/07/22/``, ``-2023-07-17-``);
:func:`published_from_url` reads it, as htmldate and trafilatura do, and the extractor
trusts it above anything inferred from the text.

Years left out are resolved against the latest date the page writes with its
year (or, when it writes none, against an ``anchor`` the caller knows, such as
its story's dates); with no year to go by we do not guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from storyline import resources
from storyline.document import Precision
from storyline.nlp.dates import WrittenDate, find_written_dates, latest_explicit, resolve_year

_CLAUSE_END = re.compile(r"(?<=[.!?…])\s+|\n+|[,;:()«»\"“”]|\s[–—]\s")
"""Clause boundaries: a date tied to a reporting verb sits in the verb's own clause
(«29 декабря в Госдепартаменте сообщили, что … 12 января проходит встреча» dates
the statement to 29 December, not to the 12 January meeting it announces)."""

_LABEL_REACH = 30
"""How far after a publication label its date may start ('Posted at 6:28 AM, ')."""


@cache
def _reporting_pattern() -> re.Pattern[str]:
    stems = sorted({s for stems in resources.load("reporting").values() for s in stems}, key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, stems)) + r")", re.IGNORECASE)


@cache
def _label_pattern() -> re.Pattern[str]:
    labels = {x for labels in resources.load("published_labels").values() for x in labels}
    alternation = "|".join(map(re.escape, sorted(labels, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?:{alternation})", re.IGNORECASE)


def _clause_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _CLAUSE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _reporting_dates(text: str, mentions: list[WrittenDate]) -> list[WrittenDate]:
    pattern = _reporting_pattern()
    chosen = []
    for start, end in _clause_bounds(text):
        inside = [m for m in mentions if start <= m.start < end and m.day is not None]
        if inside and pattern.search(text, start, end):
            chosen.extend(inside)
    return chosen


def _labelled_date(text: str, mentions: list[WrittenDate]) -> date | None:
    """The full date printed right after a publication label, if any."""
    for label in _label_pattern().finditer(text):
        for m in mentions:
            gap = text[label.end() : m.start]
            if (
                m.year is not None
                and m.day is not None
                and m.end_day is None
                and 0 <= len(gap) <= _LABEL_REACH
                and "\n" not in gap
            ):
                return resolve_year(m, date(m.year, 1, 1))
    return None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def infer_published(
    text: str, anchor: date | None = None
) -> tuple[datetime | None, Precision | None]:
    """Estimated publication date of ``text`` (title, lead and body), or ``(None, None)``.

    Day precision when a label or a reporting sentence dates it; month precision
    when the page only shows which month it speaks from (the latest date it
    mentions). ``anchor`` resolves years only for a page that writes none.
    """
    mentions = find_written_dates(text)
    labelled = _labelled_date(text, mentions)
    if labelled is not None:
        return _midnight(labelled), "day"
    reference = latest_explicit(mentions) or anchor
    if reference is None or not mentions:
        return None, None
    reported = _reporting_dates(text, mentions)
    if reported:
        return _midnight(max(resolve_year(m, reference) for m in reported)), "day"
    latest = max(resolve_year(m, reference) for m in mentions)
    return _midnight(date(latest.year, latest.month, 1)), "month"


_URL_DAY = re.compile(
    r"(?<![\d])(20\d\d)([/_.-]?)(0[1-9]|1[0-2]|[1-9])\2(0[1-9]|[12]\d|3[01]|[1-9])(?![\d])"
)
_URL_MONTH = re.compile(r"/(20\d\d)/(0[1-9]|1[0-2])/")


def published_from_url(url: str | None) -> tuple[datetime | None, Precision | None]:
    """The date a page's address carries, or ``(None, None)``: a day from ``/2022/07/22/``,
    ``2022-07-22`` or ``20220722`` in the path, a month from ``/2022/07/``.

    The path only (a query string's numbers are ids and timestamps), and only a digit run
    that is the date itself: ``2207238339`` (an id) and ``1689614765`` (a timestamp) are
    not dates."""
    if not url:
        return None, None
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1].partition("/")[2]
    for m in _URL_DAY.finditer(path):
        year, sep, month, day = m.groups()
        if not sep and (len(month) != 2 or len(day) != 2):
            continue  # "2022722": not a date anyone writes
        try:
            return _midnight(date(int(year), int(month), int(day))), "day"
        except ValueError:
            continue
    m = _URL_MONTH.search("/" + path)
    if m:
        return _midnight(date(int(m.group(1)), int(m.group(2)), 1)), "month"
    return None, None
