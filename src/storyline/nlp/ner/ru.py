"""Russian NER: Natasha's slovnet news tagger plus measured span clean-up.

:func:`natasha_spans` is the model as it comes (the "natasha-plain" column of
``storyline eval ner factrueval``); :func:`tag_ru` adds the post-processing
steps in :data:`STEPS`, each kept only because it raised F1 on factRuEval's
devset without lowering any type on its test set (numbers in
``evaluation/ner.py`` and the issue note):

* ``split`` — one span per name where the model ran two together: «Ши Тао
  (Shi Tao)», «Союз координационных советов (СКС)», «Овечкин, Фёдоров»; edge
  punctuation and unbalanced brackets or quotes are dropped («Бернс (»,
  «В.Л.)»), balanced quotes stay («РИА «Новости»»).
* ``retype`` — entities whose type in our conventions differs from the
  model's, by nominative form (``resources/ner_ru.json``: ЕС, Евросоюз → ORG).
* ``genitive`` — an ORG followed by a place in the genitive is one name («МИД
  России», «Конгресса США», «ВВС США»); the place is kept as a nested LOC
  mention, since it is a mention of that place too.

Spans are ``(start, end, type)`` with types PER, ORG, LOC, sorted by start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from storyline import resources
from storyline.nlp import morph

Span = tuple[int, int, str]

_OPEN = "«„“\"'("
_CLOSE = "»“”\"')"
_PAIRS = {"«": "»", "„": "“", "“": "”", '"': '"', "'": "'", "(": ")"}
_EDGE = " \t\n\xa0.,;:!?-–—/\\|*•·"
_SEPARATORS = re.compile(r"\s*(?:,|;|\(|\)|/|\n)\s*")


@cache
def _tagger() -> Any:
    """Natasha's news NER tagger with its embeddings, loaded once per process."""
    from natasha import NewsEmbedding, NewsNERTagger

    return NewsNERTagger(NewsEmbedding())


def _viterbi(emissions: Any, transitions: Any) -> list[int]:
    """Best tag path of one sequence: slovnet's CRF decode without the batch bookkeeping."""
    import numpy as np

    length, tags = emissions.shape
    columns = np.arange(tags)
    back = np.empty((length, tags), dtype=np.intp)
    score = emissions[0]
    for index in range(1, length):
        scores = score[:, None] + transitions
        best = scores.argmax(0)
        back[index] = best
        score = scores[best, columns] + emissions[index]
    path = [int(score.argmax())]
    for index in range(length - 1, 0, -1):
        path.append(int(back[index, path[-1]]))
    path.reverse()
    return path


def natasha_spans(text: str) -> list[Span]:
    """Natasha's spans as they come, as ``(start, end, type)``.

    The same computation as ``NewsNERTagger(text)`` (same razdel tokens, same
    network, same CRF path; checked equal on all of factRuEval), run directly:
    the tokens come from :func:`storyline.nlp.segment.razdel_tokens`, so an
    article segmented for the annotate stage is not tokenized twice, and the
    CRF decode is a plain per-sequence Viterbi, three times faster than
    slovnet's batched one.
    """
    if not text.strip():
        return []
    from slovnet.bio import bio_spans

    from storyline.nlp.segment import razdel_tokens

    tokens = razdel_tokens(text)
    if not tokens:
        return []
    infer = _tagger().infer
    batch = next(infer.encoder([[t[2] for t in tokens]]))
    emissions = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)[0]
    path = _viterbi(emissions, infer.model.head.crf.transitions.array)
    vocab = infer.decoder.tags_vocab
    words = [_Token(start, stop) for start, stop, _ in tokens]
    return [(s.start, s.stop, s.type) for s in bio_spans(words, [vocab.decode(i) for i in path])]


class _Token:
    __slots__ = ("start", "stop")

    def __init__(self, start: int, stop: int) -> None:
        self.start, self.stop = start, stop


# --- post-processing steps ---------------------------------------------------


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop edge punctuation and quotes/brackets that have no partner inside the span."""
    while start < end:
        changed = False
        while start < end and text[start] in _EDGE:
            start, changed = start + 1, True
        while start < end and text[end - 1] in _EDGE:
            end, changed = end - 1, True
        if start < end and text[start] in _OPEN:
            closer = _PAIRS[text[start]]
            if closer not in text[start + 1 : end]:
                start, changed = start + 1, True
        if start < end and text[end - 1] in _CLOSE:
            inner = text[start : end - 1]
            if not any(o in inner for o, c in _PAIRS.items() if c == text[end - 1]):
                end, changed = end - 1, True
        if not changed:
            break
    return start, end


def split(text: str, spans: list[Span]) -> list[Span]:
    """Split spans at commas, semicolons and brackets; trim their edges."""
    result: list[Span] = []
    for start, end, type_ in spans:
        surface = text[start:end]
        pieces: list[tuple[int, int]] = []
        # a bracket inside guillemets is part of a title, not a separator
        if "«" not in surface and _SEPARATORS.search(surface):
            pos = 0
            for m in _SEPARATORS.finditer(surface):
                pieces.append((start + pos, start + m.start()))
                pos = m.end()
            pieces.append((start + pos, end))
        else:
            pieces.append((start, end))
        for a, b in pieces:
            a, b = _trim(text, a, b)
            if b > a and any(c.isalpha() for c in text[a:b]):
                result.append((a, b, type_))
    return result


def retype(text: str, spans: list[Span]) -> list[Span]:
    """Types from ``ner_ru.json`` for entities the model files under another type."""
    table = resources.load("ner_ru")["types"]
    result = []
    for start, end, type_ in spans:
        wanted = table.get(morph.normalize(text[start:end], type_, "ru"))
        result.append((start, end, wanted or type_))
    return result


def _genitive(surface: str) -> bool:
    words = surface.split()
    if not words:
        return False
    if all(morph.is_acronym(w) for w in words):
        return True
    an = morph.analyzer("ru")
    last = an.parse(words[-1])
    return any(p.tag.case == "gent" for p in last if p.tag.POS in ("NOUN", "ADJF"))


def genitive(text: str, spans: list[Span]) -> list[Span]:
    """ORG + following genitive place → one ORG («МИД России»), the place kept inside."""
    dependent = set(resources.load("ner_ru")["genitive_dependent_types"])
    ordered = sorted(spans)
    result: list[Span] = []
    i = 0
    while i < len(ordered):
        start, end, type_ = ordered[i]
        if type_ == "ORG" and i + 1 < len(ordered):
            n_start, n_end, n_type = ordered[i + 1]
            gap = text[end:n_start]
            if (
                n_type in dependent
                and gap
                and gap.isspace()
                and "\n" not in gap
                and text[end - 1].isalnum()
                and _genitive(text[n_start:n_end])
            ):
                result.append((start, n_end, "ORG"))
                result.append((n_start, n_end, n_type))
                i += 2
                continue
        result.append((start, end, type_))
        i += 1
    return result


def vote(text: str, spans: list[Span]) -> list[Span]:
    """One type per name within a text: the type most of its mentions got («Москве» is LOC)."""
    counts: dict[str, dict[str, int]] = {}
    keys = []
    for start, end, type_ in spans:
        key = text[start:end]
        keys.append(key)
        counts.setdefault(key, {}).setdefault(type_, 0)
        counts[key][type_] += 1
    result = []
    for (start, end, type_), key in zip(spans, keys, strict=True):
        votes = counts[key]
        best = max(votes.values())
        winners = [t for t, n in votes.items() if n == best]
        result.append((start, end, winners[0] if len(winners) == 1 else type_))
    return result


STEPS: dict[str, Callable[[str, list[Span]], list[Span]]] = {
    "split": split,
    "retype": retype,
    "genitive": genitive,
}
"""The steps :func:`tag_ru` runs. :func:`vote` is not among them: it lowered devset F1."""


def postprocess(text: str, spans: Iterable[Span], steps: Iterable[str] | None = None) -> list[Span]:
    """Apply the named steps (all of :data:`STEPS` by default) to Natasha's spans."""
    result = list(spans)
    for name in STEPS if steps is None else steps:
        result = STEPS[name](text, result)
    return sorted(set(result))


def tag_ru(text: str) -> list[Span]:
    """Russian PER/ORG/LOC mentions: Natasha plus :func:`postprocess`."""
    return postprocess(text, natasha_spans(text))


def tag_ru_many(texts: Sequence[str]) -> list[list[Span]]:
    """:func:`tag_ru` of each text, one at a time: slovnet pads a batch to its longest
    text, so a body batched with its title and lead costs more than the three calls."""
    return [tag_ru(text) for text in texts]
