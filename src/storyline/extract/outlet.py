"""Which outlet published a page, and which outlets it cites — never a guess.

The publisher, most trusted first: what the container names (a JSONL field, a
sidecar), the page's address (a host of the outlet registry, or the host itself),
the HTML's declared site name, and then what the page's own text says clearly:

* a **copyright line** naming a known outlet or a domain («© 2022 РБК-Україна»,
  "Copyright © The Moscow Times"), not a photo credit («Фото: © РИА Новости»);
* a **self-reference** by domain («Про це повідомляє Depo.ua», «Більше новин на
  Depo.ua»): a plain agency name after a reporting verb («Об этом пишет ТАСС») is
  usually a citation of someone else, so only domain-shaped names count here;
* a **site-name line** in the page header: a short line that is exactly a known
  outlet's name («Цензор.НЕТ», "The Moscow Times").

Two different outlets claiming the page mean we do not know.

A cited outlet («пишет ТАСС», «з посиланням на Reuters», "according to Reuters") is
the source of a claim, not the publisher: :func:`cited_outlets` lists them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from storyline import resources
from storyline.outlets import host_of, registry

_DOMAIN = re.compile(
    r"(?<![\w@/.-])((?:[a-zа-яіїєґ0-9-]+\.)+(?:ua|ru|com|net|org|info|by|md|kz|uk|eu|de|fr|pl|news|tv|fm|media|online|today|rf|рф|укр|io|lv|lt|ee|ge|am|az|press))(?![\w-])(?!\.\w)",
    re.IGNORECASE,
)
HEADER_LINES = 5
"""How many non-empty lines from the top may hold the site's name."""
SITE_NAME_MAX_WORDS = 5
CITE_REACH = 40
"""How far before an outlet's name a citing phrase may end («пишет агентство Reuters»)."""


def outlet_from_url(url: str | None) -> str | None:
    """The outlet behind an address: the registry's id for a known host, else the
    host without ``www.``/``amp.``/``m.`` (how the field names outlets)."""
    if not url:
        return None
    host = host_of(url)
    return registry().canonical(host) if host else None


@cache
def _phrases(kind: str) -> tuple[str, ...]:
    table = resources.load("outlet_phrases")[kind]
    return tuple(sorted({p for phrases in table.values() for p in phrases}, key=len, reverse=True))


@cache
def _phrase_pattern(kind: str) -> re.Pattern[str]:
    alternation = "|".join(re.escape(p) for p in _phrases(kind))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


_GAP = re.compile(r"[\s\"«“'„]*")


def _named_at(text: str, pos: int) -> tuple[str, int, bool] | None:
    """The outlet named right at ``pos`` (quotes and spaces skipped): its id, where the
    name ends, and whether it was written as a domain."""
    pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
    names = registry().names
    name = names.pattern.match(text, pos)
    if name:  # «Корреспондент.net» is a known name before it is a host
        return names.ids[name.group(0).casefold()], name.end(), "." in name.group(0)
    domain = _DOMAIN.match(text, pos)
    if domain:
        return registry().canonical(domain.group(1)) or domain.group(1).lower(), domain.end(), True
    return None


def _self_claims(text: str) -> Counter[str]:
    """Outlets the page names as itself: a domain or a known name after a phrase only
    the publisher uses («Більше новин на Depo.ua», "Читать на tass.ru"), or a domain
    after a reporting verb when the page goes on to say whom it cites («Про це
    повідомляє Depo.ua із посиланням на…»). Alone, «…, пишет nv.ua.» cites another
    site, and «сообщает РИА Новости со ссылкой на…» is as often another outlet's
    report as the page's own: sites sign themselves by their domain."""
    claimed: Counter[str] = Counter()
    for m in _phrase_pattern("self_reference").finditer(text):
        named = _named_at(text, m.end())
        if named:
            claimed[named[0]] += 1
    citing = _phrases("citing")
    for m in _phrase_pattern("self_reporting").finditer(text):
        named = _named_at(text, m.end())
        if named is None or not named[2]:
            continue
        after = " ".join(text[named[1] : named[1] + 30].lower().split()).lstrip(" \"»”',")
        if any(after.startswith(p) for p in citing):
            claimed[named[0]] += 1
    return claimed


def _is_credit(line: str) -> bool:
    low = line.casefold()
    return any(word in low for word in _phrases("credit"))


_DATED_MARK = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:19|20)\d\d|(?:19|20)\d\d\s*©", re.IGNORECASE
)
"""A copyright mark with its year beside it: «© 2022», "Copyright © 2023", «2005–2023 ©»."""


def _copyright_claims(lines: list[str]) -> Counter[str]:
    """Outlets named in copyright lines («© 2022 РБК-Україна. Всі права захищені»): a
    copyright mark with a year or a rights phrase, not a photo credit («Фото: © РИА
    Новости», «© kremlin.ru» over a caption)."""
    every = registry().every_name
    rights = [p for p in _phrases("copyright") if len(p) > 3]
    claimed: Counter[str] = Counter()
    for line in lines:
        low = line.casefold()
        if not any(mark in low for mark in _phrases("copyright")) or _is_credit(line):
            continue
        if not (_DATED_MARK.search(line) or any(p in low for p in rights)):
            continue
        for m in every.pattern.finditer(line):
            claimed[every.ids[m.group(0).casefold()]] += 1
        for m in _DOMAIN.finditer(line):
            claimed[registry().canonical(m.group(1)) or m.group(1).lower()] += 1
    return claimed


def _site_name_claims(lines: list[str]) -> Counter[str]:
    """A line at the top of the page that is a known outlet's distinctive name and
    nothing else («Цензор.НЕТ», "The Moscow Times"). Single plain words («Громадське»,
    «Коментарі») are menu items as often as names, and a bare agency name is a credit."""
    known = registry()
    claimed: Counter[str] = Counter()
    for line in lines[:HEADER_LINES]:
        key = line.strip(' \t|•·—–-«»"“”').casefold()
        outlet = known.names.outlet_of(key)
        if outlet is None or known.outlets[outlet].kind == "agency":
            continue
        if "." in key or len(key.split()) >= 2:
            claimed[outlet] += 1
    return claimed


def outlet_from_text(text: str) -> str | None:
    """The outlet a page names as its own, if it does so clearly (see the module)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    claimed = _self_claims(text) + _copyright_claims(lines) + _site_name_claims(lines)
    if len(claimed) != 1:  # none, or two outlets each claiming the page: not clear
        return None
    return next(iter(claimed))


def cited_outlets(text: str, publisher: str | None = None) -> tuple[str, ...]:
    """Known outlets the page cites as the source of what it reports, in order of first
    citation: a registry name or domain shortly after a citing phrase («пишет ТАСС»,
    «з посиланням на Reuters», "according to Reuters", «пишуть The Kyiv Independent та
    Reuters»). The publisher is not its own source."""
    names = registry().names
    found: list[str] = []
    own = registry().canonical(publisher) if publisher else None
    for m in _phrase_pattern("cites").finditer(text):
        for name in names.pattern.finditer(text, m.end(), min(len(text), m.end() + CITE_REACH)):
            outlet = names.ids[name.group(0).casefold()]
            if outlet != own and outlet not in found:
                found.append(outlet)
    return tuple(found)


def canonical_outlet(name: str) -> str:
    """A given outlet as the registry knows it: «Цензор.НЕТ» and ``www.censor.net`` are
    ``censor.net``; an unknown name stays as given, an unknown host loses its ``www.``."""
    name = name.strip()
    by_name = registry().every_name.outlet_of(name)
    if by_name:
        return by_name
    if "." in name and " " not in name:
        return registry().canonical(name) or name
    return name


def choose_outlet(
    given: str | None, url: str | None, sitename: str | None, text: str | None
) -> str | None:
    """The first reliable source of the outlet's name, in order of trust."""
    for candidate in (given, outlet_from_url(url), sitename):
        if candidate and candidate.strip():
            return canonical_outlet(candidate)
    return outlet_from_text(text) if text else None


def same_outlet(a: str, b: str) -> bool:
    """Two outlet names denote one publisher: the same registry outlet, equal hosts,
    or one host a subdomain of the other."""
    known = registry()
    x, y = known.canonical(a) or "", known.canonical(b) or ""
    return x == y or x.endswith("." + y) or y.endswith("." + x)
