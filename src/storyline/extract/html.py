"""HTML pages → article text and metadata, through trafilatura.

trafilatura finds the main text and the metadata a page declares (title,
author, site name, date). What it does not give we add here: the publication
time to the minute when the page states it in machine-readable form, and the
lead when the page declares one (meta description) and the body repeats it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml import html as lxml_html

from storyline.document import Precision

_TIME_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='publish-date']/@content",
    "//meta[@property='og:published_time']/@content",
    "//article//time/@datetime",
    "//time[@pubdate]/@datetime",
)
_JSON_LD = "//script[@type='application/ld+json']/text()"
_ISO_WITH_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    title: str | None
    lead: str | None
    paragraphs: tuple[str, ...]
    author: str | None
    published: datetime | None
    published_precision: Precision | None
    sitename: str | None
    hostname: str | None


def _parse_iso(value: str) -> datetime | None:
    value = value.strip()
    if not _ISO_WITH_TIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _json_ld_dates(tree: lxml_html.HtmlElement) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datePublished" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for block in tree.xpath(_JSON_LD):
        try:
            walk(json.loads(block))
        except (ValueError, TypeError):
            continue
    return found


def published_time(tree: lxml_html.HtmlElement) -> datetime | None:
    """The first machine-readable publication timestamp that carries a time of day.

    htmldate (inside trafilatura) is good at finding the day but drops the time;
    the time matters to order articles that report the same day's events.
    """
    candidates = [str(v) for xp in _TIME_XPATHS for v in tree.xpath(xp)]
    candidates += _json_ld_dates(tree)
    for value in candidates:
        parsed = _parse_iso(value)
        if parsed is not None:
            return parsed
    return None


def _same_text(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\W+", " ", s).strip().casefold()  # noqa: E731
    return bool(a) and norm(a) == norm(b)


def extract_html(html: str, url: str | None = None) -> HtmlExtraction:
    """Main text and metadata of an HTML page; empty paragraphs when no article text is found."""
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params={"original_date": True, "extensive_search": True},
    )
    if result is None:
        return HtmlExtraction(None, None, (), None, None, None, None, None)
    meta = result.as_dict()
    title = (meta.get("title") or "").strip() or None
    lines = [ln.strip() for ln in (meta.get("text") or "").split("\n") if ln.strip()]
    if lines and title and _same_text(lines[0], title):
        lines = lines[1:]
    description = (meta.get("description") or "").strip()
    lead = None
    if lines and description and _same_text(lines[0], description):
        lead, lines = lines[0], lines[1:]

    published: datetime | None = None
    precision: Precision | None = None
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        tree = None
    exact = published_time(tree) if tree is not None else None
    day = meta.get("date")
    if exact is not None and (day is None or exact.date().isoformat() == day):
        published, precision = exact, "minute"
    elif day:
        try:
            published, precision = datetime.fromisoformat(day), "day"
        except ValueError:
            published = None
    return HtmlExtraction(
        title=title,
        lead=lead,
        paragraphs=tuple(lines),
        author=(meta.get("author") or "").strip() or None,
        published=published,
        published_precision=precision,
        sitename=(meta.get("sitename") or "").strip() or None,
        hostname=(meta.get("hostname") or "").strip() or None,
    )
