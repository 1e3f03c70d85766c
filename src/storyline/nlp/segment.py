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
* :func:`razdel_tokens` — razdel's tokens for a text, cached for the last few
  texts, so the Russian NER (which runs on the same tokens) does not tokenize
  an article a second time.
"""

from __future__ import annotations

import re
from functools import lru_cache

from storyline import resources
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


@lru_cache(maxsize=4)
def razdel_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """razdel's ``(start, end, text)`` tokens of ``text`` (the last few texts are cached)."""
    from razdel import tokenize

    return tuple((t.start, t.stop, t.text) for t in tokenize(text))


def _spacy_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    from storyline.nlp.ner.en import nlp

    return tuple(
        (t.idx, t.idx + len(t.text), t.text) for t in nlp().tokenizer(text) if not t.is_space
    )


_TOKENIZERS = {"razdel": razdel_tokens, "spacy": _spacy_tokens}


def tokens(text: str, lang: str | None = None) -> tuple[Token, ...]:
    """Tokens with lemma and POS, in text order (whitespace is never a token)."""
    name = resources.load("morph")["tokenizers"].get(lang or "", "razdel")
    raw = _TOKENIZERS[name](text)
    if morph.analyzer(lang) is None:
        return tuple(Token(s, e, t, t.lower()) for s, e, t in raw)
    return tuple(Token(s, e, t, morph.lemma(t, lang), morph.pos(t, lang)) for s, e, t in raw)
