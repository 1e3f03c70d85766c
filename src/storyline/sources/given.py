"""Length caps on the metadata a container states (JSONL fields, feed entries).

Given metadata wins over what extraction finds, so an absurd value would win too: a
2,000,000-character "title" became the title (and, being most of the text, decided the
page's language), a 100,000-character outlet became a facet value. A value over its cap
is therefore not kept in its field; its text is not dropped either, but put at the head
of the body (title, then author, then outlet), where it is read as the page's text.

=========  ============
field      at most
=========  ============
title      1,000 characters (the longest real headlines are a few hundred)
author     300 characters (a long list of names still fits)
outlet     200 characters (a host name is at most 253, a site's name far less)
=========  ============
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from storyline.document import ContentKind, GivenMetadata

TITLE_MAX = 1_000
AUTHOR_MAX = 300
OUTLET_MAX = 200

_CAPS = (("title", TITLE_MAX), ("author", AUTHOR_MAX), ("outlet", OUTLET_MAX))
_BODY_TAG = re.compile(r"<body\b[^>]*>", re.I)


def capped(given: GivenMetadata, body: str, kind: ContentKind) -> tuple[GivenMetadata, str]:
    """``given`` without its over-long fields, and ``body`` with their text at its head:
    a paragraph each, escaped and placed inside ``<body>`` when ``kind`` is HTML."""
    moved = [
        (name, value)
        for name, limit in _CAPS
        if (value := getattr(given, name)) is not None and len(value) > limit
    ]
    if not moved:
        return given, body
    kept = replace(given, **{name: None for name, _ in moved})
    if kind != "html":
        return kept, "".join(f"{value}\n\n" for _, value in moved) + body
    head = "".join(f"<p>{html.escape(value, quote=False)}</p>\n" for _, value in moved)
    opening = _BODY_TAG.search(body)
    at = opening.end() if opening else 0
    return kept, body[:at] + head + body[at:]
