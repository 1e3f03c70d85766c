"""Scraped text made inert in Markdown: a headline with ``|``, ``*`` or ``<script>`` must
read as the same words, not break a table, turn bold or become raw HTML.

The Markdown template environment escapes every ``{{ … }}`` output with
:func:`escape` (see :mod:`storyline.report.render`), the way HTML autoescaping
works; only values wrapped in :class:`MarkdownText` — built here from escaped
pieces — pass through as markup.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#|&~!$])")
_LEADING_ORDERED = re.compile(r"^(\d+)([.)])")
_LEADING_BULLET = re.compile(r"^([-+=])")
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"
"""Kept in a link destination; anything else (spaces, ``<``, ``>``, quotes, parentheses,
non-ASCII) is percent-encoded, so the address cannot end the link early."""


class MarkdownText(str):
    """Text that is already Markdown: the template writes it as is."""


def escape(value: object) -> MarkdownText:
    """``value`` as one line of literal Markdown text.

    Whitespace (newlines included) collapses to single spaces: a line break inside a
    table cell or a list item would end it.
    """
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return MarkdownText("")
    text = " ".join(str(value).split())
    text = _SPECIAL.sub(r"\\\1", text)
    text = _LEADING_ORDERED.sub(r"\1\\\2", text)
    return MarkdownText(_LEADING_BULLET.sub(r"\\\1", text))


def link(text: object, url: str | None) -> MarkdownText:
    """``[text](url)`` with both parts escaped; just the text when there is no address."""
    label = escape(text)
    if not url:
        return label
    return MarkdownText(f"[{label}]({quote(url, safe=_URL_SAFE)})")
