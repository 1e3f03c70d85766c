"""Who reports what: the outlets and outlet groups behind each event, and what each
group leaves out.

Groups come from the outlet registry (each outlet's default group) and a
user-editable JSON mapping over it (``resources/outlet_groups.json`` by default:
outlet domain → "Russian media", "Ukrainian media", "international"…; a domain
ending such as ``.ua`` as a fallback), so a reader can regroup outlets without
touching code. An event a group's outlets never
mention, among the events of a story the group covers at all, is what that
group leaves out — the starting point for comparing how sides tell a story.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline import resources
from storyline.outlets import registry
from storyline.records import Event

UNKNOWN = "unknown"


@dataclass(frozen=True)
class OutletGroups:
    domains: Mapping[str, str]
    suffixes: Mapping[str, str]

    def group(self, outlet: str | None) -> str:
        """The group of ``outlet`` (a domain: "amp.ren.tv" is "ren.tv"); ``unknown`` if none."""
        if not outlet:
            return UNKNOWN
        domain = outlet.lower().strip().removeprefix("www.")
        parts = domain.split(".")
        for n in range(len(parts) - 1):
            found = self.domains.get(".".join(parts[n:]))
            if found:
                return found
        for suffix in sorted(self.suffixes, key=len, reverse=True):
            if domain.endswith(suffix):
                return self.suffixes[suffix]
        return UNKNOWN


def load_groups(path: str | Path | None = None) -> OutletGroups:
    """The mapping at ``path``, or the bundled default: each registry outlet's default
    group (every domain it publishes under), then ``outlet_groups.json`` over it."""
    data: dict[str, Any]
    if path is None:
        data = resources.load("outlet_groups")
        domains = {
            domain: outlet.group
            for outlet in registry().outlets.values()
            if outlet.group
            for domain in (outlet.id, *outlet.domains)
        }
    else:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        domains = {}
    domains.update(data.get("domains", {}))
    return OutletGroups(domains, dict(data.get("suffixes", {})))


@dataclass(frozen=True)
class EventCoverage:
    event_id: str
    outlets: tuple[str, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    events: tuple[EventCoverage, ...]
    missing: Mapping[str, tuple[str, ...]]
    """Group → ids of the events none of its outlets reports (groups present in the input)."""


def coverage(
    events: Iterable[Event],
    outlets: Mapping[str, str | None],
    groups: OutletGroups | None = None,
) -> Coverage:
    """Coverage of ``events``; ``outlets`` maps each article id to its outlet."""
    groups = groups or load_groups()
    rows = []
    for event in events:
        names = sorted({outlets.get(a) or UNKNOWN for a in event.article_ids})
        rows.append(
            EventCoverage(
                event.id,
                tuple(names),
                tuple(sorted({groups.group(outlets.get(a)) for a in event.article_ids})),
            )
        )
    present = sorted({groups.group(o) for o in outlets.values()})
    missing = {g: tuple(r.event_id for r in rows if g not in r.groups) for g in present}
    return Coverage(tuple(rows), missing)
