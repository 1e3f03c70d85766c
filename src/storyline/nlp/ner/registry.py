"""Which tagger reads which language, and :func:`recognize`, the one entry point.

A tagger is a function ``text -> list[(start, end, type)]``. The table maps a
language to the module and function that implement it, imported on first use
(so a language whose tagger has not been written yet, or whose model is not
installed, costs nothing until asked for):

======  ==================================  ===========
lang    tagger                              source
======  ==================================  ===========
ru      ``storyline.nlp.ner.ru.tag_ru``     natasha
en      ``storyline.nlp.ner.en.tag_en``     spacy
uk      ``storyline.nlp.ner.uk.tag_uk``     uk-ner
======  ==================================  ===========

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
from collections.abc import Callable
from functools import cache

from storyline.nlp import morph
from storyline.nlp.annotations import EntityMention
from storyline.nlp.ner import known

Tagger = Callable[[str], list[tuple[int, int, str]]]

TAGGERS: dict[str, tuple[str, str, str]] = {
    "ru": ("storyline.nlp.ner.ru", "tag_ru", "natasha"),
    "en": ("storyline.nlp.ner.en", "tag_en", "spacy"),
    "uk": ("storyline.nlp.ner.uk", "tag_uk", "uk-ner"),
}
"""language → (module, function, source name recorded on each mention)."""

TYPES = frozenset({"PER", "ORG", "LOC", "EVT", "MISC"})


@cache
def tagger(lang: str | None) -> Tagger | None:
    """The tagger function for ``lang``, or ``None`` when the language has none (yet)."""
    entry = TAGGERS.get(lang or "")
    if entry is None:
        return None
    module_name, function, _source = entry
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:  # not written yet: no NER for the language
            return None
        raise
    return getattr(module, function)


def source(lang: str | None) -> str:
    entry = TAGGERS.get(lang or "")
    return entry[2] if entry else ""


def recognize(text: str, lang: str | None) -> tuple[EntityMention, ...]:
    """Entity mentions of ``text`` in ``lang``, with nominative normal forms, in text order
    (a person's in the gender the text tells: :func:`storyline.nlp.morph.person_genders`)."""
    tag = tagger(lang)
    if tag is None or not text:
        return ()
    found = source(lang)
    table = known.known_names(text, lang)
    listed = {(start, end) for start, end, _ in table}
    tagged = known.amend(text, tag(text), lang, table)
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
        mentions.append(
            EntityMention(
                start=start,
                end=end,
                text=surface,
                type=type_,  # type: ignore[arg-type]  # checked against TYPES above
                normal=morph.normalize(surface, type_, lang, told.get((start, end))),
                lang=lang or "",
                source=known.SOURCE if (start, end) in listed else found,
            )
        )
    return tuple(mentions)
