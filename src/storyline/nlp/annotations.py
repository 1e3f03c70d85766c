"""What the annotate stage says about one article.

Plain frozen values with character offsets into the article's cleaned text
(Python string indices), so every fact later stages derive can point back to
the words that report it. ``annotate`` builds one :class:`Annotations` per
article and nothing else; linking across articles happens in ``assemble``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["PER", "ORG", "LOC", "EVT", "MISC"]
DateGrain = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    pass


@dataclass(frozen=True, slots=True)
class Token(Span):
    text: str
    lemma: str
    pos: str | None = None
    """Universal POS tag where the analyser gives one."""


@dataclass(frozen=True, slots=True)
class EntityMention(Span):
    text: str
    """The surface form, exactly ``article.text[start:end]``."""
    type: EntityType
    normal: str
    """Nominative, lemma-normalized form: «Йенса Столтенберга» → «Йенс Столтенберг»."""
    lang: str
    role: str | None = None
    """A role descriptor attached in the text («заместитель министра иностранных дел»)."""
    source: str = ""
    """Which component found it (natasha, spacy, uk-ner, rules): for evaluation and debugging."""


@dataclass(frozen=True, slots=True)
class DateMention(Span):
    text: str
    value: str
    """ISO 8601: ``2022-01-10``; ``2021-12`` (month); ``2022`` (year); ``A/B`` (range)."""
    grain: DateGrain
    inferred: bool = False
    """True when the year (or the whole date, for relative expressions) was resolved, not read."""
    kind: Literal["absolute", "partial", "range", "relative"] = "absolute"


@dataclass(frozen=True, slots=True)
class DurationMention(Span):
    text: str
    value: str
    """ISO 8601 duration: ``PT7H30M``, ``P8Y``."""
    approximate: bool = False
    """«около четырех часов», «майже вісім годин», "about 1.5 hours"."""


@dataclass(frozen=True, slots=True)
class QuoteMention(Span):
    """Words the article attributes to someone (:mod:`storyline.nlp.quotes`).

    ``start``/``end`` delimit the quoted words themselves: no quotation marks for a
    direct quote, the reported clause for indirect speech.
    """

    text: str
    """Exactly ``article.text[start:end]``."""
    kind: Literal["direct", "indirect"]
    cue: str
    """The speech verb or phrase as written: «заявил», "said", «По его словам»."""
    speaker_text: str | None = None
    """The speaker as written: a name, a pronoun («он»), a role («замминистра»)."""
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker: int | None = None
    """Index into ``Annotations.entities`` of the PER/ORG mention the speaker resolves to."""


@dataclass(frozen=True, slots=True)
class Annotations:
    article_id: str
    lang: str | None
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = field(default=(), repr=False)
    entities: tuple[EntityMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    durations: tuple[DurationMention, ...] = ()
    quotes: tuple[QuoteMention, ...] = ()
