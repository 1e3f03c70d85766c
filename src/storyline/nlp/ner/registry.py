"""Which tagger reads which language, and :func:`recognize`, the one entry point.

A tagger is a function ``text -> list[(start, end, type)]``, beside its batch form
``texts -> [list[(start, end, type)], …]`` (one model call for several texts: a page's
body, title and lead; :func:`recognize_many`). The table maps a language to the module
and functions that implement it, imported on first use (so a language whose tagger has
not been written yet, or whose model is not installed, costs nothing until asked for):

======  ==================================  ===============  ===========
lang    tagger                              batch            source
======  ==================================  ===============  ===========
ru      ``storyline.nlp.ner.ru.tag_ru``     ``tag_ru_many``  natasha
en      ``storyline.nlp.ner.en.tag_en``     ``tag_en_many``  spacy
uk      ``storyline.nlp.ner.uk.tag_uk``     ``tag_uk_many``  uk-ner
======  ==================================  ===============  ===========

Every tagger's spans are then amended by the names the tables know
(:func:`storyline.nlp.ner.known.amend`: the alias table, CLDR's countries and cities,
the surnames of the people a page names in full), which the taggers miss or mistype.

Other languages (be, bg, pl, fr, …) get no NER: no packaged model for them is
installed, and a Russian or English model run on another language would mostly
guess (not measured: the dev corpus has 10 such articles and no gold for them).
:func:`recognize` returns ``()`` for them, as for ``None``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from functools import cache
from types import ModuleType

from storyline.nlp import morph
from storyline.nlp.annotations import EntityMention
from storyline.nlp.ner import known

Span = tuple[int, int, str]
Tagger = Callable[[str], list[Span]]
BatchTagger = Callable[[Sequence[str]], list[list[Span]]]

TAGGERS: dict[str, tuple[str, str, str, str]] = {
    "ru": ("storyline.nlp.ner.ru", "tag_ru", "tag_ru_many", "natasha"),
    "en": ("storyline.nlp.ner.en", "tag_en", "tag_en_many", "spacy"),
    "uk": ("storyline.nlp.ner.uk", "tag_uk", "tag_uk_many", "uk-ner"),
}
"""language → (module, function, batch function, source name recorded on each mention)."""

TYPES = frozenset({"PER", "ORG", "LOC", "EVT", "MISC"})


@cache
def _module(lang: str | None) -> ModuleType | None:
    """The tagger module of ``lang``, or ``None`` when the language has none (yet)."""
    entry = TAGGERS.get(lang or "")
    if entry is None:
        return None
    try:
        return importlib.import_module(entry[0])
    except ModuleNotFoundError as error:
        if error.name == entry[0]:  # not written yet: no NER for the language
            return None
        raise


def tagger(lang: str | None) -> Tagger | None:
    """The tagger function for ``lang``, or ``None`` when the language has none (yet)."""
    module = _module(lang)
    return None if module is None else getattr(module, TAGGERS[lang or ""][1])


def batch_tagger(lang: str | None) -> BatchTagger | None:
    """The batch form of :func:`tagger` for ``lang``, or ``None``."""
    module = _module(lang)
    return None if module is None else getattr(module, TAGGERS[lang or ""][2])


def source(lang: str | None) -> str:
    entry = TAGGERS.get(lang or "")
    return entry[3] if entry else ""


def recognize(text: str, lang: str | None) -> tuple[EntityMention, ...]:
    """Entity mentions of ``text`` in ``lang``, with nominative normal forms, in text order
    (a person's in the gender the text tells: :func:`storyline.nlp.morph.person_genders`)."""
    return recognize_many([text], lang)[0]


def recognize_many(texts: Sequence[str], lang: str | None) -> list[tuple[EntityMention, ...]]:
    """:func:`recognize` of each of ``texts``, the tagger's model run once over them all."""
    tag = batch_tagger(lang)
    wanted = [i for i, text in enumerate(texts) if text] if tag is not None else []
    found: list[tuple[EntityMention, ...]] = [() for _ in texts]
    if tag is None or not wanted:
        return found
    tagged = tag([texts[i] for i in wanted])
    for i, spans in zip(wanted, tagged, strict=True):
        found[i] = _mentions(texts[i], spans, lang)
    return found


def _mentions(text: str, tagged: list[Span], lang: str | None) -> tuple[EntityMention, ...]:
    """The tagger's spans of ``text``, amended by the names the tables know, as mentions."""
    found = source(lang)
    table = known.known_names(text, lang)
    listed = {(start, end) for start, end, _ in table}
    tagged = known.amend(text, tagged, lang, table)
    spans = [
        (start, end, type_)
        for start, end, type_ in sorted(set(tagged))
        if type_ in TYPES and 0 <= start < end <= len(text)
    ]
    people = [(start, end) for start, end, type_ in spans if type_ == "PER"]
    told = dict(zip(people, morph.person_genders(text, people, lang), strict=True))
    mentions = []
    for start, end, type_ in spans:
        surface = text[start:end]
        written = known.as_written_name(surface, type_, lang) if (start, end) in listed else surface
        mentions.append(
            EntityMention(
                start=start,
                end=end,
                text=surface,
                type=type_,  # type: ignore[arg-type]  # checked against TYPES above
                normal=morph.normalize(written, type_, lang, told.get((start, end))),
                lang=lang or "",
                source=known.SOURCE if (start, end) in listed else found,
            )
        )
    return tuple(mentions)
