"""Language among the configured set, with a confidence."""

import pytest

from paths import seed
from storyline.config import DEFAULT_LANGUAGES
from storyline.errors import ConfigError
from storyline.nlp.language import detect_language


@pytest.mark.parametrize(
    ("prefix", "lang"), [("000", "ru"), ("001", "uk"), ("002", "uk"), ("003", "ru"), ("004", "ru")]
)
def test_seed_languages(prefix: str, lang: str) -> None:
    guess = detect_language(seed(prefix).read_text(encoding="utf-8"), DEFAULT_LANGUAGES)
    assert guess.lang == lang
    assert guess.confidence > 0.9


def test_english_and_a_restricted_set() -> None:
    text = "Talks between Russia and the United States in Geneva lasted almost eight hours."
    assert detect_language(text, DEFAULT_LANGUAGES).lang == "en"
    # Ukrainian text, but Ukrainian is not among the languages asked for
    uk = seed("001").read_text(encoding="utf-8")
    assert detect_language(uk, ("ru", "en")).lang == "ru"


def test_no_letters_no_language() -> None:
    guess = detect_language("12:45 — 1 193 — $41.28", DEFAULT_LANGUAGES)
    assert (guess.lang, guess.confidence) == (None, 0.0)


def test_unknown_code_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="xx"):
        detect_language("текст", ("ru", "xx"))
