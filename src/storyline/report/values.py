"""Conflicting values as a reader says them: «15 Dec 2021», «7 h 30 min», not ISO codes.

A dossier is read by people who never saw ``PT7H30M``; the ISO value stays beside the
human one so the reader can still match it with ``storyline conflicts`` output.
"""

from __future__ import annotations

from storyline.display import date_label
from storyline.values import duration_seconds, interval

_UNITS: dict[str, tuple[tuple[int, str], ...]] = {
    "en": ((86400, "d"), (3600, "h"), (60, "min"), (1, "s")),
    "ru": ((86400, "сут"), (3600, "ч"), (60, "мин"), (1, "с")),
    "uk": ((86400, "діб"), (3600, "год"), (60, "хв"), (1, "с")),
}


def human_date(value: str, lang: str) -> str:
    """``2021-12-15`` → «15 Dec 2021» (a month, a range likewise); unreadable ones as given."""
    if interval(value) is None:
        return value
    return date_label(value, lang)


def human_duration(value: str, lang: str) -> str:
    """``PT7H30M`` → «7 h 30 min»; unreadable ones as given."""
    seconds = duration_seconds(value)
    if seconds is None or seconds <= 0:
        return value
    rest = round(seconds)
    pieces = []
    for size, unit in _UNITS.get(lang, _UNITS["en"]):
        amount, rest = divmod(rest, size)
        if amount:
            pieces.append(f"{amount} {unit}")
    return " ".join(pieces) or value


def human_value(attribute: str, value: str, lang: str) -> str:
    """A conflicting value of ``attribute`` (``date``, ``duration``, ``count:…``) for display."""
    if attribute == "date":
        return human_date(value, lang)
    if attribute == "duration":
        return human_duration(value, lang)
    return value.removesuffix(".0")
