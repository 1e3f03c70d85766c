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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Literal

from storyline import resources
from storyline.document import Precision
from storyline.nlp.dates import WrittenDate, find_written_dates, latest_explicit, resolve_year

Source = Literal[
    "given",
    "page",
    "label",
    "url",
    "dateline",
    "today",
    "reporting",
    "crawler",
    "caption",
    "mentions",
    "storyline",
]


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """One candidate for a page's publication date and where it came from."""

    value: datetime
    precision: Precision
    source: Source

    @property
    def inferred(self) -> bool:
        return self.source.split("+")[-1] not in STATED


_CLAUSE_END = re.compile(r"(?<=[.!?…])\s+|\n+|[,;:()]|\s[–—]\s")
"""Clause boundaries: a date tied to a reporting verb sits in the verb's own clause
(«29 декабря в Госдепартаменте сообщили, что … 12 января проходит встреча» dates
the statement to 29 December, not to the 12 January meeting it announces)."""

_LABEL_REACH = 30
"""How far after a publication label its date may start ('Posted at 6:28 AM, ')."""


@cache
def _words_pattern(table: str, key: str | None = None, after: str = "") -> re.Pattern[str]:
    """Every language's phrases of a word table (or of its ``key`` section) as one
    alternation, longest first so a phrase wins over its own prefix, then ``after``."""
    data = resources.load(table)
    words = {w for ws in (data[key] if key else data).values() for w in ws}
    alternation = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?:{alternation}){after}", re.IGNORECASE)


def _reporting_pattern() -> re.Pattern[str]:
    return _words_pattern("reporting")


def _label_pattern() -> re.Pattern[str]:
    return _words_pattern("published_labels")


def has_publication_label(line: str) -> bool:
    """The line names the page's publication ('Published', «Опубліковано», «время публикации»)."""
    return bool(_label_pattern().search(line))


def _clause_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _CLAUSE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _deadline_pattern() -> re.Pattern[str]:
    return _words_pattern("published_cues", "deadline", r"\s+$")


def _reporting_dates(text: str, mentions: list[WrittenDate]) -> list[WrittenDate]:
    """Dates in a clause with a reporting verb, but deadlines ("troops should return by
    May 1", «до 1 мая»): those say when something must happen, not when it was said."""
    pattern, deadline = _reporting_pattern(), _deadline_pattern()
    chosen = []
    for start, end in _clause_bounds(text):
        inside = [
            m
            for m in mentions
            if start <= m.start < end
            and m.day is not None
            and not deadline.search(text[max(0, m.start - 20) : m.start])
        ]
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


def _today_pattern() -> re.Pattern[str]:
    return _words_pattern("published_cues", "today", r"[\s,]*(?:[^\W\d_]+,\s*)?$")


_DATELINE_HEAD = re.compile(
    r"(?:^|\n)[ \t]*(?:[^\W\d_][\w.'’-]*(?:[ \t][^\W\d_][\w.'’-]*){0,2},[ \t]*)?$"
)
_DATELINE_TAIL = re.compile(r"^(?:,?\s*(?:\d{1,2}:\d{2}))?\s*(?:[—–-]|\.\s)")


def _cued_dates(text: str, mentions: list[WrittenDate]) -> list[DateEvidence]:
    """Full dates the page gives as the day it speaks from.

    * after a word for today: «Сегодня, 12.02.2015, около восьми утра…»;
    * as a **dateline** opening a paragraph, perhaps after a place and before a dash:
      «Багдад, 17 ноября, 2021, 22:21 — ИА Регнум», "July 17, 2023 - Russia has…".
    """
    today = _today_pattern()
    found: list[DateEvidence] = []
    for m in mentions:
        if m.year is None or m.day is None or m.end_day is not None:
            continue
        day = date(m.year, m.month, m.day)
        before = text[max(0, m.start - 40) : m.start]
        if today.search(before):
            found.append(DateEvidence(_midnight(day), "day", "today"))
        elif _DATELINE_HEAD.search(before) and _DATELINE_TAIL.match(text[m.end : m.end + 20]):
            found.append(DateEvidence(_midnight(day), "day", "dateline"))
    return found


_LINE_END = re.compile(r"[ \t.)\]]*(?:\n|$)")


def closing_dates(text: str, mentions: list[WrittenDate] | None = None) -> list[DateEvidence]:
    """A full date closing a line is how photo captions and embedded posts are dated
    ("…addresses the Russian parliament, March 18, 2014.", "— IAEA (@iaeaorg) September
    6, 2022"): the day of the picture or the post, the page's own day or just before."""
    if mentions is None:
        mentions = list(page_mentions(text)[1])
    return [
        DateEvidence(_midnight(date(m.year, m.month, m.day)), "day", "caption")
        for m in mentions
        if m.year is not None
        and m.day is not None
        and m.end_day is None
        and _LINE_END.match(text, m.end)
        and not _deadline_pattern().search(text[max(0, m.start - 20) : m.start])
    ]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def _not_evidence_pattern() -> re.Pattern[str]:
    return _words_pattern("published_not_evidence")


def without_boilerplate_dates(text: str) -> str:
    """``text`` with the lines that date something other than the page blanked out
    (horoscopes, weather, currency tickers, copyright years, planners): a date there is
    never evidence of when the page was published. Offsets are kept (spaces replace
    the dropped lines), so mentions found in the result point into ``text``."""
    pattern = _not_evidence_pattern()
    return "".join(
        " " * len(line.rstrip("\n")) + line[len(line.rstrip("\n")) :]
        if pattern.search(line)
        else line
        for line in text.splitlines(keepends=True)
    )


@lru_cache(maxsize=16)
def page_mentions(text: str) -> tuple[str, tuple[WrittenDate, ...]]:
    """``text`` with its boilerplate lines blanked and the dates written in it.

    Every check of a page's date reads the same mentions (the evidence, each candidate's
    contradictions, the storyline's reading), so they are found once per text."""
    cleaned = without_boilerplate_dates(text)
    return cleaned, tuple(find_written_dates(cleaned))


REPORTING_SLACK_DAYS = 31
"""How far the latest date a page names may lie after its reporting clause's date for
that clause still to date the page (announced talks weeks ahead are common)."""


def text_evidence(text: str, anchor: date | None = None) -> list[DateEvidence]:
    """What a page's own words say of its publication date, strongest first.

    * a **label** before a full date ('PUBLISHED: 17/07/2023');
    * the date of a **reporting** clause («Об этом 12 января пишет ТАСС»): a page reports
      speech that has already happened, so that is on or before publication — and the
      publication day itself unless the page names dates well after it (a page of
      March 2023 that reports what Putin said on 24 February 2022 names March
      somewhere; one that announces next week's talks is still of today);
    * the **mentions**: the latest date the page writes, to the month (a page speaks
      from the month of the latest event it names), only when that date carries its
      year — a yearless «17 марта» on a page that recalls 24 February 2022 says
      nothing of the year.

    Years left out are resolved against the latest date the page writes with its
    year, else ``anchor``. Dates in boilerplate lines are never evidence.
    """
    text, written = page_mentions(text)
    mentions = list(written)
    found: list[DateEvidence] = []
    labelled = _labelled_date(text, mentions)
    if labelled is not None:
        found.append(DateEvidence(_midnight(labelled), "day", "label"))
    found.extend(_cued_dates(text, mentions))
    found.extend(closing_dates(text, mentions))
    reference = latest_explicit(mentions) or anchor
    if reference is None or not mentions:
        return found
    reported = _reporting_dates(text, mentions)
    latest = max(resolve_year(m, reference) for m in mentions)
    # a year is borrowed only from a full date the page writes, or the anchor: a
    # historical aside ("…killed in August 2011") must not date «August 15» to 2011
    sure = anchor is not None or any(m.year and m.day for m in mentions)
    if reported:
        last = max(reported, key=lambda m: resolve_year(m, reference))
        day = resolve_year(last, reference)
        if (latest - day).days <= REPORTING_SLACK_DAYS and (sure or last.year is not None):
            found.append(DateEvidence(_midnight(day), "day", "reporting"))
    if latest_explicit(mentions) is not None:
        found.append(
            DateEvidence(_midnight(date(latest.year, latest.month, 1)), "month", "mentions")
        )
    return found


def infer_published(
    text: str, anchor: date | None = None
) -> tuple[datetime | None, Precision | None]:
    """Estimated publication date of ``text`` (title, lead and body), or ``(None, None)``:
    the strongest of :func:`text_evidence` that the page's content does not contradict."""
    chosen = choose_published(text_evidence(text, anchor), text)
    return (chosen.value, chosen.precision) if chosen else (None, None)


STORYLINE_COHERENT_DAYS = 92
"""A storyline dates its pages only while the days its pages state gather within about
three months of their median: a cluster that mixes 2008 and 2019 pages dates nothing."""
STORYLINE_COHERENT_SHARE = 0.75
STORYLINE_TAIL_DAYS = 7
"""How long after a storyline's last stated day one of its pages may still appear."""
STORYLINE_AHEAD_DAYS = 31
"""How far past a storyline's last stated day a page's newest reported day may lie."""


@dataclass(frozen=True, slots=True)
class StorylineWindow:
    """When a storyline's pages say they were published: the median day and the span."""

    median: date
    first: date
    last: date


def storyline_window(days: Iterable[date]) -> StorylineWindow | None:
    """The window of a storyline's stated publication days, or ``None`` when they do not
    gather (none, or a quarter of them more than three months from the median)."""
    ordered = sorted(days)
    if not ordered:
        return None
    median = ordered[(len(ordered) - 1) // 2]
    near = [d for d in ordered if abs((d - median).days) <= STORYLINE_COHERENT_DAYS]
    if len(near) < STORYLINE_COHERENT_SHARE * len(ordered):
        return None
    return StorylineWindow(median, near[0], near[-1])


def published_from_storyline(text: str, window: StorylineWindow) -> DateEvidence | None:
    """A date for a page that states none, from its own words read in its storyline's
    time: «Столтенберг передав … відповідь 26 січня» on a page of a January 2022
    storyline is 26 January 2022.

    What a page names is a lower bound of its date, so only what the window pins down
    is claimed: the day of a reporting clause when it is the latest date the page
    names and the storyline's newest news (on or after its last stated day, within a
    month: before it, the clause is only a lower bound); else the month of the latest
    date named, when it lies inside the window (or a week past its end) and everything
    from it to a week later falls in that one month. Nothing otherwise: a page of 3
    January 2012 that last names 30 December 2011 is not of December."""
    mentions = page_mentions(text)[1]
    if not mentions:
        return None
    anchor = window.median
    latest = max(resolve_year(m, anchor) for m in mentions)
    end = max(window.last, latest) + timedelta(days=STORYLINE_TAIL_DAYS)
    for e in text_evidence(text, anchor):
        day = e.value.date()
        newest = window.last <= day <= window.last + timedelta(days=STORYLINE_AHEAD_DAYS)
        if e.source == "reporting" and day == latest and newest:
            return DateEvidence(e.value, "day", "storyline")
    inside = window.first <= latest <= window.last + timedelta(days=STORYLINE_TAIL_DAYS)
    if inside and (latest.year, latest.month) == (end.year, end.month):
        return DateEvidence(_midnight(date(latest.year, latest.month, 1)), "month", "storyline")
    return None


# --------------------------------------------------------------------------- choosing

STRENGTH: dict[str, int] = {
    "given": 100,
    "page": 60,
    "label": 55,
    "url": 50,
    "dateline": 48,
    "today": 45,
    "reporting": 30,
    "caption": 25,
    "crawler": 35,
    "mentions": 10,
    "storyline": 5,
}
"""How far each kind of evidence is trusted when two disagree. What the container or
the page states outright (its header, its address) beats what we read between the
lines; a crawler's token is the crawl's date as often as the page's."""

STATED = frozenset({"given", "page", "label", "url", "dateline", "today"})
"""Evidence the page or its container states; the rest is inferred (``published_inferred``)."""

CRAWLER_SLACK_DAYS = 400
"""How far before a crawler token's period the latest date a page mentions may lie before
the token is taken for the crawl's date rather than the page's: pages recall the past
(an ICC warrant page of March 2023 names only 24 February 2022), so only a gap of more
than a year is taken as the crawl's date."""

DATING = frozenset({*STATED, "crawler", "reporting", "caption", "storyline"})
"""Evidence that may date a page on its own. The latest month mentioned is a lower
bound, not the publication date: a page of 2023 recalls 2021 as readily as it
reports today. It only refines a date that dating evidence gives."""

NEVER_REFINES = frozenset({"caption"})
"""A caption dates its picture, often the day before the report: it may date a page
that has nothing better, never make another date finer."""

TODAY_SLACK_DAYS = 3
"""A page written on the 17th («сегодня, 17 марта») and stamped on the 18th is one page."""

_FINE = {"minute": 0, "hour": 1, "day": 2, "month": 3, "year": 4}


def _period(e: DateEvidence) -> tuple[date, date]:
    start = e.value.date()
    if e.precision == "year":
        return date(start.year, 1, 1), date(start.year, 12, 31)
    if e.precision == "month":
        nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return date(start.year, start.month, 1), nxt - timedelta(days=1)
    return start, start


def agree(a: DateEvidence, b: DateEvidence) -> bool:
    """The two name the same time at the coarser of their precisions."""
    (a0, a1), (b0, b1) = _period(a), _period(b)
    return a0 <= b1 and b0 <= a1


def _crawler_contradicted(crawler: DateEvidence, text: str) -> bool:
    """A crawler token is the crawl's date, not the page's, when everything the page
    mentions lies well before it: a page of 21 January 2022 crawled in March 2025."""
    mentions = page_mentions(text)[1]
    if not mentions:
        return False
    start, _ = _period(crawler)
    latest = max(resolve_year(m, start) for m in mentions)
    return (start - latest).days > CRAWLER_SLACK_DAYS


def _today_contradicts(candidate: DateEvidence, text: str) -> bool:
    """The page says which day "today" is («Об этом стало известно сегодня, 22 августа»),
    and a day-precise candidate is days away from it: the candidate is not the page's
    date (a site's clock in the header, "Воскресенье, 1 марта 2026", is the crawl's)."""
    if _FINE[candidate.precision] > _FINE["day"]:
        return False
    day = candidate.value.date()
    today = _today_pattern()
    for m in page_mentions(text)[1]:
        if m.day is None or m.end_day is not None:
            continue
        cued = today.search(text[max(0, m.start - 40) : m.start])
        if cued and abs((resolve_year(m, day) - day).days) > TODAY_SLACK_DAYS:
            return True
    return False


def _contradicted(candidate: DateEvidence, text: str) -> bool:
    if candidate.source == "given":
        return False
    if candidate.source == "crawler" and _crawler_contradicted(candidate, text):
        return True
    return _today_contradicts(candidate, text)


def choose_published(candidates: Iterable[DateEvidence], text: str = "") -> DateEvidence | None:
    """The publication date the evidence supports best, with the evidence that won.

    The strongest candidate that the page's content does not contradict wins; a
    weaker one that agrees with it and is finer (a day inside the URL's month)
    refines it, and the evidence then names both (``url+reporting``).
    """
    ranked = sorted(candidates, key=lambda e: (-STRENGTH[e.source], _FINE[e.precision]))
    usable = [e for e in ranked if not _contradicted(e, text)]
    if not usable or usable[0].source not in DATING:
        return None
    best = usable[0]
    for other in usable[1:]:
        if other.source in NEVER_REFINES:
            continue
        if _FINE[other.precision] < _FINE[best.precision] and agree(best, other):
            source = best.source if best.source == other.source else f"{best.source}+{other.source}"
            return DateEvidence(other.value, other.precision, source)  # type: ignore[arg-type]
    return best


_URL_DAYS = (
    # 2022/07/22, 2022-07-22, 2022_7_22, 20220722 (the time may be glued on: 201803161850)
    re.compile(
        r"(?<![\d])(?P<y>20\d\d)(?P<sep>[/_.-]?)(?P<m>0[1-9]|1[0-2]|[1-9])(?P=sep)"
        r"(?P<d>0[1-9]|[12]\d|3[01]|[1-9])(?:(?<=\d{8})(?:[01]\d|2[0-3])[0-5]\d)?(?![\d])"
    ),
    # 22/07/2022, 03.01.2012, 14-11-2022, and 14112022 between non-digits
    re.compile(
        r"(?<![\d])(?P<d>0[1-9]|[12]\d|3[01])(?P<sep>[/.-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)"
        r"(?P<y>20\d\d)(?![\d])"
    ),
)
_URL_MONTH = re.compile(r"/(20\d\d)/?(0[1-9]|1[0-2])/")


def published_from_url(url: str | None) -> tuple[datetime | None, Precision | None]:
    """The date a page's address carries, or ``(None, None)``: a day from ``/2022/07/22/``,
    ``2022-07-22``, ``20220722`` (a clock time may follow: ``201803161850``),
    ``/22/07/2022/``, ``03.01.2012`` or ``-14112022-`` in the path, a month from
    ``/2022/07/``.

    The path only (a query string's numbers are ids and timestamps), and only a digit run
    that is the date itself: ``2207238339`` (an id), ``1689614765`` (a timestamp) and
    ``20218262335`` (an unpadded day and time: 2021-8-26 or 2021-8-2?) are not dates."""
    if not url:
        return None, None
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1].partition("/")[2]
    for pattern in _URL_DAYS:
        for m in pattern.finditer(path):
            year, sep, month, day = m["y"], m["sep"], m["m"], m["d"]
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
