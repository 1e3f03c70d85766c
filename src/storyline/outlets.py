"""The outlets we know: who publishes under which domains and names, where, and for whom.

A registry as data (``resources/outlet_registry.json``, documented in
``docs/outlets.md``): each outlet's domains, its names as written in ru/uk/en
(«Цензор.НЕТ», «РБК-Україна», "The Moscow Times"), country, languages, kind
(agency, state, public, independent, aggregator) and default coverage group.
Every layer asks it the same questions — which outlet is this host, this name;
what do we call it; which group is it in — so it sits at the bottom, beside the
records, and reads nothing but its table.

Outlets are identified by their id, which is their main domain: an article's
``outlet`` field holds a domain (the export contract's ``"outlet": "depo.ua"``),
and a domain of the registry maps to its outlet's id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Literal

from storyline import resources

Kind = Literal["agency", "state", "public", "independent", "aggregator"]

_HOST_PREFIXES = ("www.", "amp.", "m.", "mobile.", "wap.")


@dataclass(frozen=True, slots=True)
class Outlet:
    id: str
    """The main domain, lower case: what an article's ``outlet`` field holds."""
    domains: tuple[str, ...]
    names: Mapping[str, tuple[str, ...]]
    """Language → the names the outlet goes by in that language, the usual one first."""
    country: str | None
    languages: tuple[str, ...]
    kind: Kind | None
    group: str | None
    ambiguous_names: tuple[str, ...] = ()
    """Names that are ordinary words too («Страна», "Life"): only a header or a
    copyright line, never running text, may name the outlet by them."""

    def name(self, lang: str | None = None) -> str:
        """How a reader of ``lang`` calls the outlet: its name in that language, else
        in English, else any name, else its domain."""
        for key in (lang, "en", *self.names):
            if key and self.names.get(key):
                return self.names[key][0]
        return self.id

    def all_names(self) -> Iterator[str]:
        seen: set[str] = set()
        for names in self.names.values():
            for name in names:
                if name not in seen:
                    seen.add(name)
                    yield name


def host_of(domain_or_url: str) -> str:
    """A host without ``www.``/``amp.``/``m.`` and a trailing dot, lower case."""
    host = domain_or_url.strip().lower().rstrip(".")
    host = host.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    return host


@dataclass(frozen=True)
class NameIndex:
    """Outlet names as written, case-folded, → outlet id, and a pattern that finds them."""

    ids: Mapping[str, str]

    def outlet_of(self, name: str) -> str | None:
        return self.ids.get(name.strip().casefold())

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The names as whole words: «Цензор.НЕТ» but not «Цензор.НЕТ2»; quotes around a
        name («"Фонтанка"») are the caller's to allow. Matches nothing when empty."""
        if not self.ids:
            return re.compile(r"(?!)")
        alternation = "|".join(re.escape(n) for n in sorted(self.ids, key=len, reverse=True))
        return re.compile(rf"(?<![\w.-])(?:{alternation})(?![\w-])(?!\.\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Registry:
    outlets: Mapping[str, Outlet]
    by_domain: Mapping[str, str]
    names: NameIndex = NameIndex({})
    """The names running text may use (two letters or more)."""
    every_name: NameIndex = NameIndex({})
    """The names and the ambiguous ones («Страна»): for header and copyright lines only."""

    def by_host(self, host: str | None) -> Outlet | None:
        """The outlet publishing under ``host`` or a parent of it (``rus.delfi.lv`` is
        listed itself; ``news.tut.by`` falls back to ``tut.by``)."""
        if not host:
            return None
        parts = host_of(host).split(".")
        for n in range(len(parts) - 1):
            found = self.by_domain.get(".".join(parts[n:]))
            if found:
                return self.outlets[found]
        return None

    def canonical(self, outlet: str | None) -> str | None:
        """The registry id of a domain-shaped outlet, or the host itself when unknown."""
        if not outlet:
            return None
        known = self.by_host(outlet)
        return known.id if known else host_of(outlet)

    def display_name(self, outlet: str | None, lang: str | None = None) -> str | None:
        """What a reader should see for an article's ``outlet`` value."""
        if not outlet:
            return None
        known = self.by_host(outlet)
        return known.name(lang) if known else outlet


def _outlet(row: Mapping[str, Any]) -> Outlet:
    names = {lang: tuple(v) for lang, v in (row.get("names") or {}).items() if v}
    return Outlet(
        id=host_of(row["id"]),
        domains=tuple(host_of(d) for d in row.get("domains") or [row["id"]]),
        names=names,
        country=row.get("country"),
        languages=tuple(row.get("languages") or ()),
        kind=row.get("kind"),
        group=row.get("group"),
        ambiguous_names=tuple(row.get("ambiguous_names") or ()),
    )


def build_registry(rows: list[Mapping[str, Any]]) -> Registry:
    outlets: dict[str, Outlet] = {}
    by_domain: dict[str, str] = {}
    names: dict[str, str] = {}
    every: dict[str, str] = {}
    for row in rows:
        outlet = _outlet(row)
        outlets[outlet.id] = outlet
        for domain in (outlet.id, *outlet.domains):
            by_domain.setdefault(domain, outlet.id)
        for name in outlet.all_names():
            if len(name) >= 2:
                names.setdefault(name.casefold(), outlet.id)
        for name in (*outlet.all_names(), *outlet.ambiguous_names):
            every.setdefault(name.casefold(), outlet.id)
    return Registry(outlets, by_domain, NameIndex(names), NameIndex(every))


@cache
def registry() -> Registry:
    """The bundled registry (an empty one when the table is absent)."""
    try:
        data = resources.load("outlet_registry")
    except FileNotFoundError:
        return Registry({}, {})
    return build_registry(list(data.get("outlets", [])))
