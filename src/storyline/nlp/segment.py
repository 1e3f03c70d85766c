"""Sentences and tokens with character offsets into the article text.

* :func:`sentences` — razdel's sentence splitter for every language, run line by
  line: a news page's headline, captions and menu lines end without a full
  stop, and a line break always ends a sentence there.
* :func:`tokens` — the tokenizer named for the language in
  ``resources/morph.json`` (``tokenizers``; razdel by default, spaCy's English
  tokenizer for English, taken from the pipeline the English NER uses, so the
  model is loaded once), with lemma and Universal POS from
  :mod:`storyline.nlp.morph` where the language has a dictionary (lower-cased
  word and no POS otherwise).
* :func:`razdel_tokens` and :func:`spacy_tokens` — a tokenizer's tokens for a text,
  kept for the last :data:`TEXTS_KEPT` texts, so the event mentions do not tokenize
  again a text the Russian NER (which runs on razdel's tokens) or the English NER
  (whose spaCy pipeline tokenizes it) has read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from storyline import resources
from storyline.memo import Memo
from storyline.nlp import morph
from storyline.nlp.annotations import Sentence, Token

_LINE = re.compile(r"[^\n]+")


def sentences(text: str, lang: str | None = None) -> tuple[Sentence, ...]:
    """Sentence spans, trimmed of surrounding whitespace, in text order."""
    from razdel import sentenize

    result: list[Sentence] = []
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        base = line.start()
        for s in sentenize(line.group()):
            if s.text.strip():
                result.append(Sentence(base + s.start, base + s.stop))
    return tuple(result)


TEXTS_KEPT = 64
"""Texts whose tokens a tokenizer keeps. A worker's task runs the NER over the body, title
and lead of its pages (8 pages: 24 texts) before the event mentions of each page read the
same texts; with only the last few kept, the task's later texts had pushed each page's
out before it was read again, and every Russian and English text was tokenized twice."""


@lru_cache(maxsize=TEXTS_KEPT)
def razdel_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """razdel's ``(start, end, text)`` tokens of ``text`` (kept: :data:`TEXTS_KEPT`)."""
    from razdel import tokenize

    return tuple((t.start, t.stop, t.text) for t in tokenize(text))


_spacy_kept: Memo[str, tuple[tuple[int, int, str], ...]] = Memo(TEXTS_KEPT)


def spacy_tokens(text: str, doc: Any = None) -> tuple[tuple[int, int, str], ...]:
    """spaCy's ``(start, end, text)`` tokens of ``text``, whitespace left out (kept:
    :data:`TEXTS_KEPT`). ``doc``: the English pipeline's ``Doc`` of ``text`` when the caller
    has one (the NER's), read instead of tokenizing the text again."""

    def build() -> tuple[tuple[int, int, str], ...]:
        from storyline.nlp.ner.en import nlp

        made = nlp().tokenizer(text) if doc is None else doc
        return tuple((t.idx, t.idx + len(t.text), t.text) for t in made if not t.is_space)

    return _spacy_kept.get(text, build)


_TOKENIZERS = {"razdel": razdel_tokens, "spacy": spacy_tokens}


def tokens(text: str, lang: str | None = None) -> tuple[Token, ...]:
    """Tokens with lemma and POS, in text order (whitespace is never a token)."""
    name = resources.load("morph")["tokenizers"].get(lang or "", "razdel")
    raw = _TOKENIZERS[name](text)
    if morph.analyzer(lang) is None:
        return tuple(Token(s, e, t, t.lower()) for s, e, t in raw)
    return tuple(Token(s, e, t, morph.lemma(t, lang), morph.pos(t, lang)) for s, e, t in raw)
