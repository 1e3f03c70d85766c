"""Which outlet published a page: from its URL, its declared site name, or a clear
self-reference in its text — and ``None`` otherwise, never a guess.

A page names itself by its domain («Про це повідомляє Depo.ua», «Більше новин …
на Depo.ua»); a plain agency name after a reporting verb («Об этом пишет ТАСС»)
is usually a citation of someone else, so only domain-shaped names count as
self-references.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from urllib.parse import urlsplit

from storyline import resources

_HOST_PREFIXES = ("www.", "amp.", "m.", "mobile.")
_DOMAIN = re.compile(
    r"(?<![\w@/.-])((?:[a-zа-яіїєґ0-9-]+\.)+(?:ua|ru|com|net|org|info|by|md|kz|uk|eu|de|fr|pl|news|tv|fm|media|online|today|rf|рф|укр))(?![\w-])(?!\.\w)",
    re.IGNORECASE,
)


def outlet_from_url(url: str | None) -> str | None:
    """The URL's host without ``www.``/``amp.``/``m.``: how the field names outlets."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    return host or None


@cache
def _phrases(kind: str) -> tuple[str, ...]:
    table = resources.load("outlets")[kind]
    return tuple(sorted({p for phrases in table.values() for p in phrases}, key=len, reverse=True))


def _context_before(text: str, start: int, width: int = 60) -> str:
    return " ".join(text[max(0, start - width) : start].lower().split())


def outlet_from_text(text: str) -> str | None:
    """A domain the page uses to name itself, if it does so clearly.

    Counted: a domain right after a self-reference phrase; anything after a
    citing phrase («із посиланням на», «сообщает издание», "citing") is someone
    else. Two different domains claiming the page mean we do not know.
    """
    claimed: Counter[str] = Counter()
    for m in _DOMAIN.finditer(text):
        before = _context_before(text, m.start()).rstrip(" \"«“'")
        if any(before.endswith(p) for p in _phrases("citing")):
            continue
        if any(before.endswith(p) for p in _phrases("self_reference")):
            claimed[m.group(1).lower()] += 1
    if len(claimed) != 1:  # none, or two domains each claiming the page: not clear
        return None
    return outlet_from_url("http://" + next(iter(claimed)))


def choose_outlet(
    given: str | None, url: str | None, sitename: str | None, text: str | None
) -> str | None:
    """The first reliable source of the outlet's name, in order of trust."""
    for candidate in (given, outlet_from_url(url), sitename):
        if candidate and candidate.strip():
            return candidate.strip()
    return outlet_from_text(text) if text else None


def same_outlet(a: str, b: str) -> bool:
    """Two outlet names denote one publisher: equal hosts, or one a subdomain of the other."""
    x, y = a.casefold().strip(), b.casefold().strip()
    return x == y or x.endswith("." + y) or y.endswith("." + x)
