"""How values are shown to a reader, the same way in the web UI, the CLI and reports.

A date keeps its precision: a month is "January 2022" / «січень 2022», never a
first-of-month day; an article without a headline is shown by its first
sentence, marked as such, never by its id; an outlet by its name in the
registry, not its domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from storyline import resources
from storyline.document import Article
from storyline.outlets import registry
from storyline.values import interval

DEFAULT_LANG = "en"
HEADLINE_MAX_CHARS = 140
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


@cache
def _words(lang: str) -> Mapping[str, list[str]]:
    table = resources.load("events")["title"]
    return table.get(lang) or table[DEFAULT_LANG]


def date_label(value: str, lang: str = DEFAULT_LANG) -> str:
    """A date value in words («10 Jan 2022», "January 2022", «9–10 січня 2022»): one
    wording for event titles, reports, conflicts and article dates."""
    span = interval(value)
    if span is None:
        return value
    spec = _words(lang)
    first, last = span
    if first == last:
        return f"{first.day} {spec['months'][first.month - 1]} {first.year}"
    whole_year = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
    if whole_year and first.year == last.year:
        return str(first.year)
    same_month = last.month == first.month and last.year == first.year
    if first.day == 1 and same_month and last.day >= 28:
        return f"{spec['month_names'][first.month - 1]} {first.year}"
    if first.month == last.month and first.year == last.year:
        return f"{first.day}–{last.day} {spec['months'][first.month - 1]} {first.year}"
    return f"{date_label(first.isoformat(), lang)} – {date_label(last.isoformat(), lang)}"


def published_label(
    published: datetime | date | None, precision: str | None, lang: str = DEFAULT_LANG
) -> str | None:
    """A publication date at its own precision: «26 січня 2022, 14:05», "January 2022"."""
    if published is None:
        return None
    day = published.date() if isinstance(published, datetime) else published
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return date_label(f"{day.year:04d}-{day.month:02d}", lang)
    label = date_label(day.isoformat(), lang)
    if precision in ("minute", "hour") and isinstance(published, datetime):
        label += f", {published:%H:%M}"
    return label


def iso_at_precision(published: datetime | None, precision: str | None) -> str | None:
    """ISO 8601 cut to what is known: ``2021-12`` for a month, ``2021`` for a year."""
    if published is None:
        return None
    if precision == "month":
        return published.strftime("%Y-%m")
    if precision == "year":
        return published.strftime("%Y")
    return published.isoformat()


def published_iso(article: Article) -> str | None:
    """An article's publication date in ISO 8601 at its precision (the export's form)."""
    return iso_at_precision(article.published, article.published_precision)


def published_sort_key(article: Article) -> str:
    """Articles in time order at their precision: a page known only to January 2022 goes
    after the January days (it may be of any of them), not before them all."""
    if article.published is None:
        return "~"
    iso = published_iso(article) or ""
    return iso + ("~" if article.published_precision in ("month", "year") else "")


def first_reported(articles: Iterable[Article]) -> Article | None:
    """The page that reported first, by :func:`published_sort_key` (a dated page before
    an undated one; a month-only date after that month's days): the "first reported by"
    of an event, a digest and a feed alike."""
    return min(articles, key=lambda a: (published_sort_key(a), a.id), default=None)


@dataclass(frozen=True, slots=True)
class Headline:
    text: str
    first_sentence: bool
    """True when the page printed no headline and this is its first sentence."""


def headline(article: Article) -> Headline:
    """The article's headline, or — when the page printed none — its first sentence,
    cut to a line and marked as such. Never the article's id."""
    if article.title and article.title.strip():
        return Headline(article.title.strip(), False)
    source = (article.lead or "").strip() or article.text.strip()
    first = _SENTENCE_END.split(source, maxsplit=1)[0].strip() if source else ""
    if len(first) > HEADLINE_MAX_CHARS:
        cut = first[:HEADLINE_MAX_CHARS].rsplit(" ", 1)[0]
        first = cut.rstrip(" ,;:—–-") + "…"
    return Headline(first or "…", True)


def outlet_label(outlet: str | None, lang: str = DEFAULT_LANG) -> str | None:
    """An outlet as readers know it: «Цензор.НЕТ» for ``censor.net``; an unknown one as stored."""
    return registry().display_name(outlet, lang)
