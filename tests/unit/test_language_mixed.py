"""Language of mixed pages (storyline.nlp.language): the body's majority decides.

Pages are assembled from real train-corpus pages whose manifest language is known:
a block in one language (boilerplate or a long quotation) before a longer body in
another must not decide the page, and the confidence says the page is mixed.
"""

from __future__ import annotations

import json

import pytest

from paths import TRAIN
from storyline.config import DEFAULT_LANGUAGES
from storyline.nlp.language import detect_language

pytestmark = pytest.mark.skipif(not TRAIN.exists(), reason="train corpus not available")


def pages(lang: str, n: int) -> list[str]:
    """The first ``n`` train pages the manifest says are in ``lang``."""
    rows = [json.loads(x) for x in (TRAIN / "manifest.jsonl").read_text().splitlines() if x]
    ids = [r["id"] for r in rows if r["lang"] == lang][:n]
    return [(TRAIN / "articles" / f"{i}.txt").read_text(encoding="utf-8") for i in ids]


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_an_english_block_before_a_longer_body_does_not_decide(lang: str) -> None:
    english = "\n".join(pages("en", 3))
    body = "\n".join(pages(lang, 8))
    assert letters(body) > letters(english)
    guess = detect_language(english + "\n" + body, DEFAULT_LANGUAGES)
    assert guess.lang == lang
    assert 0.5 < guess.confidence < 0.9


def test_a_long_quotation_inside_a_paragraph_does_not_vote() -> None:
    # a Russian paragraph quoting an English statement longer than its own words
    english = pages("en", 1)[0].replace("\n", " ").replace('"', "")[:900]
    russian = pages("ru", 1)[0].splitlines()
    lead = max(russian, key=len)
    page = f"{lead} Заявление гласит: «{english}»"
    assert letters(english) > letters(lead)
    assert detect_language(page, DEFAULT_LANGUAGES).lang == "ru"


def test_a_page_in_one_language_is_certain() -> None:
    for lang in ("ru", "uk", "en"):
        for text in pages(lang, 3):
            guess = detect_language(text, DEFAULT_LANGUAGES)
            assert (guess.lang, guess.confidence >= 0.9) == (lang, True)
