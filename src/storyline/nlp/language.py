"""Which language an article is written in, with a confidence.

lingua is restricted to the configured languages: on short news text the
ru/uk/be/bg confusions are what matter, and an open set of 75 languages only
adds ways to be wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from storyline.errors import ConfigError

_SAMPLE_CHARS = 4000
"""Enough text for a stable answer; more only costs time on long pages."""


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    lang: str | None
    confidence: float


def _language(code: str) -> Language:
    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
    except (AttributeError, ValueError):
        raise ConfigError(f"language {code!r}: not an ISO 639-1 code lingua knows") from None


@lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    if len(languages) < 2:
        raise ConfigError("language detection needs at least two languages to choose from")
    return LanguageDetectorBuilder.from_languages(*(_language(c) for c in languages)).build()


def detect_language(text: str, languages: tuple[str, ...]) -> LanguageGuess:
    """Best language among ``languages`` and lingua's confidence in it (0–1)."""
    sample = text[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return LanguageGuess(None, 0.0)
    values = _detector(tuple(languages)).compute_language_confidence_values(sample)
    if not values or values[0].value <= 0.0:
        return LanguageGuess(None, 0.0)
    best = values[0]
    return LanguageGuess(best.language.iso_code_639_1.name.lower(), round(best.value, 4))
