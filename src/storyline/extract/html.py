"""HTML pages → article text and metadata, through trafilatura.

trafilatura finds the main text and the metadata a page declares (title,
author, site name, date). What it does not give we add here:

* the publication time to the minute when the page states it — in
  machine-readable form (``article:published_time``, JSON-LD, ``entry_date``…),
  which outranks the day htmldate guesses from the dates printed on the page
  (sidebars print older dates), or printed in the page's date element
  ("02.10.2014 | 07:21") on the day htmldate found;
* the lead when the page declares one (meta description) and the body repeats it;
* the page furniture trafilatura leaves inside the main text: "read also"
  teasers (often glued to their headline by inline markup: «Читайте такожУкраїна…»),
  share/CTA lines, printed timestamps, and everything after a sidebar or footer
  heading — judged by the plain-text classifier's phrase tables
  (:mod:`storyline.extract.lines`), so both extractors agree on what furniture is;
* a title without the " | Section | Site" tail of ``<title>`` when the page's
  own headline shows where the tail starts.

Before any of it, :func:`check_markup` refuses markup that would hold the parser for
minutes: libxml2 checks each attribute against the element's others, so one element
with 40k attributes takes 14 s to parse (80k: about a minute), and trafilatura walks
every element in Python (200k elements: 15 s). A regex scan over the raw text finds
both in milliseconds; real pages stay far below the caps.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml import html as lxml_html

from storyline.document import Precision
from storyline.errors import ExtractionError
from storyline.extract.lines import (
    Tables,
    ends_sentence,
    find_stamp,
    is_prose,
    normalize,
    phrase_reason,
    tables,
)

_DECLARED_TIME_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='publish-date']/@content",
    "//meta[@name='publishdate']/@content",
    "//meta[@name='publication_date']/@content",
    "//meta[@name='entry_date']/@content",
    "//meta[@name='parsely-pub-date']/@content",
    "//meta[@name='DC.date.issued']/@content",
    "//meta[@property='og:published_time']/@content",
)
"""Where a page declares its publication time outright: trusted over htmldate's day."""
_NEARBY_TIME_XPATHS = (
    "//article//time/@datetime",
    "//time[@pubdate]/@datetime",
)
"""A ``<time>`` inside the article may also date a related item or an update: it only
adds the time of day to the day htmldate found."""
_PRINTED_DATE_XPATH = (
    "//*[self::time or contains(@class, 'date') or contains(@class, 'time')"
    " or contains(@id, 'date')]"
)
_MAX_PRINTED_CHARS = 80
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|:·•»/]{1,2}|[-–—]{1,2})\s+")
_GLUE = re.compile(r"(?<=[a-zа-яёіїєґ])(?=[A-ZА-ЯЁІЇЄҐ])")
_TEASER_LIST_MAX = 8
_LIST_HEADING_MAX_WORDS = 5
_EXTRA_LIST_OPENERS = frozenset({"other"})
""""Other …" is the English opener missing from the sidebar headings of the phrase tables."""
_JSON_LD = "//script[@type='application/ld+json']/text()"
MAX_ATTRIBUTES_PER_ELEMENT = 1_000
"""Parsing cost grows with the square of an element's attributes (1k: a millisecond)."""
MAX_ELEMENTS = 100_000
"""Start tags; a long real article page has a few thousand, a heavy portal page 20k."""
_START_TAG = re.compile(r"<[A-Za-z][^<>]*")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
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


def _first_timestamp(values: list[str]) -> datetime | None:
    for value in values:
        parsed = _parse_iso(value)
        if parsed is not None:
            return parsed
    return None


def declared_time(tree: lxml_html.HtmlElement) -> datetime | None:
    """The publication timestamp the page declares in meta tags or JSON-LD, with a time of day."""
    values = [str(v) for xp in _DECLARED_TIME_XPATHS for v in tree.xpath(xp)]
    return _first_timestamp(values + _json_ld_dates(tree))


def published_time(tree: lxml_html.HtmlElement) -> datetime | None:
    """The first machine-readable publication timestamp that carries a time of day.

    htmldate (inside trafilatura) is good at finding the day but drops the time;
    the time matters to order articles that report the same day's events.
    """
    declared = declared_time(tree)
    if declared is not None:
        return declared
    return _first_timestamp([str(v) for xp in _NEARBY_TIME_XPATHS for v in tree.xpath(xp)])


def printed_times(tree: lxml_html.HtmlElement) -> list[datetime]:
    """Dates with a time of day printed in the page's date elements ("02.10.2014 | 07:21")."""
    found: list[datetime] = []
    for node in tree.xpath(_PRINTED_DATE_XPATH):
        text = " ".join(node.text_content().split())
        if not text or len(text) > _MAX_PRINTED_CHARS:
            continue
        stamp = find_stamp(text)
        if (
            stamp is not None
            and stamp.value is not None
            and stamp.precision == "minute"
            and not stamp.is_update
        ):
            found.append(stamp.value)
    return found


def _publication(
    tree: lxml_html.HtmlElement | None, day: str | None
) -> tuple[datetime | None, Precision | None]:
    """Declared timestamp, else htmldate's day made exact by a timestamp on that day.

    A printed timestamp ("02.10.2014 | 07:21") only ever adds the time to the day
    htmldate found: without that agreement it may be a sidebar item's.
    """
    if tree is not None:
        declared = declared_time(tree)
        if declared is not None:
            return declared, "minute"
    try:
        day_value = datetime.fromisoformat(day) if day else None
    except ValueError:
        day_value = None
    if tree is not None:
        nearby = published_time(tree)
        if nearby is not None and (day_value is None or nearby.date() == day_value.date()):
            return nearby, "minute"
        if day_value is not None:
            for printed in printed_times(tree):
                if printed.date() == day_value.date():
                    return printed, "minute"
    if day_value is not None:
        return day_value, "day"
    return None, None


def _headings(tree: lxml_html.HtmlElement | None) -> list[str]:
    if tree is None:
        return []
    texts = (" ".join(h.text_content().split()) for h in tree.xpath("//h1"))
    return [t for t in texts if t]


def clean_title(title: str, headings: list[str], sitename: str | None = None) -> str:
    """``title`` without a " | Section | Site" tail.

    The tail goes when the page's own headline (an ``<h1>``) is the part before a
    separator, or when the last part is the site's declared name. A title with no
    such evidence is kept whole: separators also occur inside headlines.
    """
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    heads = {_norm(h) for h in headings}
    for match in _TITLE_SEPARATORS.finditer(title):
        head = title[: match.start()].strip()
        if _norm(head) in heads:
            return head
    if sitename and _norm(parts[-1]) == _norm(sitename):
        last = list(_TITLE_SEPARATORS.finditer(title))[-1]
        return title[: last.start()].strip()
    return title


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def _furniture(line: str, t: Tables) -> str | None:
    """Why a line of trafilatura's main text is page furniture, if it is.

    Teasers ("Читайте також …") go even when they read like a sentence; other
    phrase-table hits (share buttons, CTAs, counters) only when the line is not
    prose, so a paragraph that mentions "Google News" stays. Inline markup often
    glues a label to the link after it («Читайте такожУкраїна…»): the line is
    also judged with a space put back at each lower→upper case seam.
    """
    for variant in dict.fromkeys((line, _GLUE.sub(" ", line))):
        reason = phrase_reason(variant, t)
        if reason is not None and (reason == "teaser" or not is_prose(variant)):
            return reason
    if not is_prose(line) and find_stamp(line) is not None:
        return "timestamp"
    return None


def _list_openers(t: Tables) -> frozenset[str]:
    """First words of the sidebar headings ("другие", "інші", "more", "related"…), plus
    "other": the words that open the heading of a list of other stories."""
    return frozenset({p.split()[0] for p in t.sidebar_start if p} | _EXTRA_LIST_OPENERS)


def _is_list_heading(line: str, following: str | None, t: Tables) -> bool:
    """A heading that opens a list of other stories ("Other Opinion Columns", "Інші новини
    регіону"): a short label opened by a list word, followed by a headline, not by prose.

    The next line decides: a subheading inside an article is followed by a paragraph.
    """
    key = normalize(line)
    tokens = key.split()
    if not (1 <= len(tokens) <= _LIST_HEADING_MAX_WORDS) or ends_sentence(line):
        return False
    if line.rstrip().endswith((":", ";", ",")) or is_prose(line):
        return False
    if tokens[0] not in _list_openers(t):
        return False
    return following is not None and not is_prose(following)


def clean_body(lines: list[str], t: Tables | None = None) -> list[str]:
    """The body lines without furniture (see :func:`_furniture`).

    A bare teaser heading ("Читайте також") takes the non-prose headlines after
    it; after the first paragraph, a sidebar or footer heading ("Другие новости",
    "Теги") or the heading of a list of other stories ("Other Opinion Columns")
    ends the body.
    """
    t = t or tables()
    kept: list[str] = []
    teasers_left = 0
    for i, line in enumerate(lines):
        key = normalize(line)
        if kept and (key in t.sidebar_start or key in t.tail_start):
            break
        following = lines[i + 1] if i + 1 < len(lines) else None
        if any(is_prose(k) for k in kept) and _is_list_heading(line, following, t):
            break
        if teasers_left and not is_prose(line):
            teasers_left -= 1
            continue
        teasers_left = 0
        if key in t.teaser_heads:
            teasers_left = _TEASER_LIST_MAX
            continue
        if _furniture(line, t) is None:
            kept.append(line)
    return kept


def _same_text(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\W+", " ", s).strip().casefold()  # noqa: E731
    return bool(a) and norm(a) == norm(b)


class HostileMarkupError(ExtractionError):
    """Markup over a cap of :func:`check_markup`: it would hold the parser for minutes."""

    reason = "markup too large to parse in bounded time"


def check_markup(html: str, source: str = "HTML page") -> None:
    """Refuse, before lxml sees it, markup over :data:`MAX_ELEMENTS` start tags or with
    an element of more than :data:`MAX_ATTRIBUTES_PER_ELEMENT` attributes.

    Only a start tag long enough to hold that many attributes (two characters each at
    least) has its attributes counted, with quoted values left out: the scan stays a
    few milliseconds on a large page.
    """
    elements = 0
    for match in _START_TAG.finditer(html):
        elements += 1
        tag = match.group()
        if len(tag) > 2 * MAX_ATTRIBUTES_PER_ELEMENT:
            attributes = len(_QUOTED.sub(" ", tag).split()) - 1  # the tag name is no attribute
            if attributes > MAX_ATTRIBUTES_PER_ELEMENT:
                raise HostileMarkupError(
                    source,
                    f"an element with {attributes} attributes, over the cap of "
                    f"{MAX_ATTRIBUTES_PER_ELEMENT} per element",
                )
    if elements > MAX_ELEMENTS:
        raise HostileMarkupError(
            source, f"{elements} elements, over the cap of {MAX_ELEMENTS} per page"
        )


def extract_html(html: str, url: str | None = None) -> HtmlExtraction:
    """Main text and metadata of an HTML page; empty paragraphs when no article text is found.

    Raises :class:`HostileMarkupError` (named by ``url``, or "HTML page") for markup over
    the caps of :func:`check_markup`."""
    check_markup(html, url or "HTML page")
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
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        tree = None
    sitename = (meta.get("sitename") or "").strip() or None
    title = (meta.get("title") or "").strip() or None
    if title:
        title = clean_title(title, _headings(tree), sitename)
    lines = [ln.strip() for ln in (meta.get("text") or "").split("\n") if ln.strip()]
    if lines and title and _same_text(lines[0], title):
        lines = lines[1:]
    description = (meta.get("description") or "").strip()
    lead = None
    if lines and description and _same_text(lines[0], description):
        lead, lines = lines[0], lines[1:]
    lines = clean_body(lines)

    published, precision = _publication(tree, meta.get("date"))
    return HtmlExtraction(
        title=title,
        lead=lead,
        paragraphs=tuple(lines),
        author=(meta.get("author") or "").strip() or None,
        published=published,
        published_precision=precision,
        sitename=sitename,
        hostname=(meta.get("hostname") or "").strip() or None,
    )
