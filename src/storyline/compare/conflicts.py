"""Where sources disagree about one event: its date, how long it lasted, how many.

For each :class:`~storyline.records.Event`, the values its sources state
for an attribute are compared pairwise; a value that is incompatible with another
is reported in a :class:`Conflict` with the articles giving each value. A value
that only refines another is no disagreement (:mod:`storyline.values`):
a month and a day inside it («в середине декабря» / 17 December), a range and a
day inside it, an approximate and an exact value within the table's tolerance
(«около 4 часов» / «4 часа»). Dates taken from a publication date, not stated
by the page, are not compared: the page never said them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from storyline.nlp.events import tolerance
from storyline.records import Event
from storyline.values import dates_compatible, duration_seconds, numbers_compatible


@dataclass(frozen=True)
class ConflictValue:
    value: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    attribute: str
    """``date``, ``duration``, ``count:killed``…"""
    values: tuple[ConflictValue, ...]
    """Every value incompatible with at least one other, with the articles stating it."""


# (value, approximate) → the articles giving it
_Values = dict[tuple[str, bool], set[str]]


def _conflict(
    attribute: str,
    values: _Values,
    compatible: Callable[[tuple[str, bool], tuple[str, bool]], bool],
) -> Conflict | None:
    keys = sorted(values)
    clashing = {k for k in keys for other in keys if other != k and not compatible(k, other)}
    if not clashing:
        return None
    merged: dict[str, set[str]] = defaultdict(set)
    for key in clashing:
        merged[key[0]] |= values[key]
    return Conflict(
        attribute,
        tuple(ConflictValue(v, tuple(sorted(ids))) for v, ids in sorted(merged.items())),
    )


def _dates(a: tuple[str, bool], b: tuple[str, bool]) -> bool:
    return dates_compatible(a[0], b[0])


def _durations(a: tuple[str, bool], b: tuple[str, bool]) -> bool:
    x, y = duration_seconds(a[0]), duration_seconds(b[0])
    if x is None or y is None:
        return a[0] == b[0]
    return numbers_compatible(x, a[1], y, b[1], tolerance("duration_approximate"))


def _counts(a: tuple[str, bool], b: tuple[str, bool]) -> bool:
    try:
        x, y = float(a[0]), float(b[0])
    except ValueError:
        return a[0] == b[0]
    return numbers_compatible(x, a[1], y, b[1], tolerance("count_approximate"))


def find_conflicts(event: Event) -> tuple[Conflict, ...]:
    """The disagreements between the sources of ``event`` (see the module doc)."""
    out: list[Conflict] = []
    dates: _Values = defaultdict(set)
    for source in event.sources:
        if source.date and source.date_from == "text":
            dates[(source.date, False)].add(source.article_id)
    if (found := _conflict("date", dates, _dates)) is not None:
        out.append(found)
    by_name: dict[str, _Values] = defaultdict(lambda: defaultdict(set))
    for a in event.attributes:
        if a.name == "duration" or a.name.startswith("count:"):
            by_name[a.name][(a.value, a.approximate)].add(a.article_id)
    for name in sorted(by_name):
        rule = _durations if name == "duration" else _counts
        if (found := _conflict(name, by_name[name], rule)) is not None:
            out.append(found)
    return tuple(out)


def conflicts(events: Iterable[Event]) -> dict[str, tuple[Conflict, ...]]:
    """Event id → its conflicts, for the events that have any."""
    return {e.id: found for e in events if (found := find_conflicts(e))}


def conflict_values(conflict: Conflict) -> Sequence[str]:
    """The values of a conflict, for display."""
    return [v.value for v in conflict.values]
