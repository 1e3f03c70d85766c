"""Counted words in the interface take the form their number asks for, per language."""

from __future__ import annotations

import pytest

from storyline.web.i18n import UI_LANGS, counter


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["1 article", "2 articles", "5 articles", "11 articles", "21 articles"]),
        ("uk", ["1 стаття", "2 статті", "5 статей", "11 статей", "21 стаття"]),
        ("ru", ["1 статья", "2 статьи", "5 статей", "11 статей", "21 статья"]),
    ],
)
def test_article_counts(lang: str, expected: list[str]) -> None:
    n = counter(lang)
    assert [n(k, "n_articles") for k in (1, 2, 5, 11, 21)] == expected


def test_teens_and_hundreds_in_east_slavic() -> None:
    n = counter("uk")
    assert [n(k, "n_mentions") for k in (12, 14, 22, 111, 104)] == [
        "12 згадок",
        "14 згадок",
        "22 згадки",
        "111 згадок",
        "104 згадки",
    ]


def test_every_interface_language_has_every_counted_word() -> None:
    from storyline import resources

    table = resources.load("web")
    for key in ("n_articles", "n_mentions"):
        assert all(key in table[lang] for lang in UI_LANGS), key
