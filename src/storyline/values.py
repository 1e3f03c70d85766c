"""When two values sources give for one attribute are compatible (refinement) or not.

What a normalized value (an ISO date, month or range; an ISO duration; a number)
covers, and whether two of them agree. At the bottom of the package because many
layers read these values: conflicts (:mod:`storyline.compare.conflicts`), the event
merge (which mentions may be one happening), and the labels readers see
(:mod:`storyline.display`, :mod:`storyline.report.values`).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<MO>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<H>\d+(?:[.,]\d+)?)H)?(?:(?P<MIN>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<S>\d+(?:[.,]\d+)?)S)?)?$"
)
_SECONDS = {
    "Y": 365 * 86400,
    "MO": 30 * 86400,
    "W": 7 * 86400,
    "D": 86400,
    "H": 3600,
    "MIN": 60,
    "S": 1,
}


def interval(value: str) -> tuple[date, date] | None:
    """The days an ISO date value covers: a day, a month, a year or an ``A/B`` range;
    ``None`` for what is not on the calendar (a date without its year, ``--12-15``)."""
    try:
        if "/" in value:
            first, _, last = value.partition("/")
            a, b = interval(first), interval(last)
            return (a[0], b[1]) if a and b else None
        parts = value.split("-")
        if len(parts) == 3 and parts[0]:
            day = date.fromisoformat(value)
            return day, day
        if len(parts) == 2 and parts[0]:
            year, month = int(parts[0]), int(parts[1])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if len(parts) == 1 and len(value) == 4:
            return date(int(value), 1, 1), date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def dates_compatible(a: str, b: str) -> bool:
    """One value refines the other: the same day, a day inside a month or range («середина
    декабря» and 17 December), or overlapping ranges. 15 and 17 December are not."""
    x, y = interval(a), interval(b)
    if x is None or y is None:
        return a == b
    return x[0] <= y[1] and y[0] <= x[1] and (_within(x, y) or _within(y, x))


def _within(inner: tuple[date, date], outer: tuple[date, date]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def duration_seconds(value: str) -> float | None:
    """Seconds in an ISO 8601 duration (``PT7H30M`` → 27000); ``None`` if unreadable."""
    m = _DURATION.match(value)
    if m is None or not any(m.groupdict().values()):
        return None
    return sum(float(v.replace(",", ".")) * _SECONDS[k] for k, v in m.groupdict().items() if v)


def numbers_compatible(
    a: float, a_approx: bool, b: float, b_approx: bool, tolerance: float
) -> bool:
    """Equal, or within ``tolerance`` (a fraction of the larger) when either is approximate:
    «около 4 часов» and «4 часа» agree; «около 7,5 часов» and «майже вісім годин» do not."""
    if a == b:
        return True
    if not (a_approx or b_approx):
        return False
    return abs(a - b) <= tolerance * max(abs(a), abs(b))
