"""Which language an article is written in, with a confidence.

lingua is restricted to the configured languages: on short news text the
ru/uk/be/bg confusions are what matter, and an open set of 75 languages only
adds ways to be wrong.

A page is decided by the majority of its body, not by its first screen: every
paragraph of at least ``_MIN_LETTERS`` letters votes for its language with the
number of its letters (times lingua's confidence in it), words in quotation
marks left out when the paragraph has enough of its own (a Russian report quoting
a long English statement stays Russian); short lines (menus, dates, captions)
vote only when there is nothing else. The confidence is the winner's share of
the votes: 1.0 for a page in one language, about 0.6 for a page that is 60 %
Russian and 40 % English.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from storyline.errors import ConfigError

_SAMPLE_CHARS = 4000
"""Enough text for a stable answer about one stretch of text."""
_PARAGRAPH_CHARS = 1000
"""Enough of one paragraph for its vote."""
_BUDGET = 20000
"""Characters of paragraphs read at most: long pages are decided by their first 20k."""
_MIN_LETTERS = 40
_QUOTED = re.compile(r"«[^»\n]*»|„[^“”\n]*[“”]|“[^”\n]*”|\"[^\"\n]*\"")


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


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))  # a third of a generator's time: every page's text


def detect_language(text: str, languages: tuple[str, ...]) -> LanguageGuess:
    """The language of most of the text among ``languages``, and the share of the
    paragraph votes it won (0–1; see the module doc)."""
    detector = _detector(tuple(languages))
    votes: dict[str, float] = defaultdict(float)
    read = 0
    for paragraph in re.split(r"\n\s*", text):
        if read >= _BUDGET:
            break
        unquoted = _QUOTED.sub(" ", paragraph)
        body = unquoted if _letters(unquoted) >= _MIN_LETTERS else paragraph
        letters = _letters(body)
        if letters < _MIN_LETTERS:
            continue
        read += len(body)
        values = detector.compute_language_confidence_values(body[:_PARAGRAPH_CHARS])
        if values and values[0].value > 0.0:
            best = values[0]
            votes[best.language.iso_code_639_1.name.lower()] += letters * best.value
    if votes:
        lang = max(votes, key=lambda k: votes[k])
        return LanguageGuess(lang, round(votes[lang] / sum(votes.values()), 4))
    return _whole(text, detector)


def _whole(text: str, detector: LanguageDetector) -> LanguageGuess:
    """Short text with no paragraph long enough to vote: lingua on its start."""
    sample = text[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return LanguageGuess(None, 0.0)
    values = detector.compute_language_confidence_values(sample)
    if not values or values[0].value <= 0.0:
        return LanguageGuess(None, 0.0)
    best = values[0]
    return LanguageGuess(best.language.iso_code_639_1.name.lower(), round(best.value, 4))
