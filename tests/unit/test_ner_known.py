"""Names found by table beside the taggers (storyline.nlp.ner.known), on real dev pages.

Each page is one the taggers got wrong by a kind of mistake the table fixes, not by
page: Ukrainian outlets writing «росії» in lower case, the English tagger calling Kyiv
an organisation, a region named "… Territory" taken for a body, a name the tagger
split («ГЕС» inside «Каховська ГЕС»), a surname alone after the full name.
"""

from __future__ import annotations

import json

import pytest

from paths import DEV
from storyline.nlp.ner.known import amend, known_names
from storyline.nlp.ner.registry import recognize

pytestmark = pytest.mark.skipif(not DEV.exists(), reason="dev corpus not available")


def mentions(page: str) -> set[tuple[str, str]]:
    lang = {
        json.loads(line)["id"]: json.loads(line)["lang"]
        for line in (DEV / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }[page]
    text = (DEV / "articles" / f"{page}.txt").read_text(encoding="utf-8")
    return {(m.text, m.type) for m in recognize(text, lang)}


@pytest.mark.parametrize(
    ("page", "mention"),
    [
        ("023", ("росії", "LOC")),  # lower case on purpose
        ("108", ("Kyiv", "LOC")),  # tagged ORG
        ("045", ("Krasnodar Territory", "LOC")),  # a region, tagged ORG
        ("077", ("Каховська ГЕС", "LOC")),  # the tagger found «ГЕС» alone
        ("097", ("ООН", "ORG")),  # missed
        ("067", ("Зеленський", "PER")),  # the surname of «Володимир Зеленський»
        ("014", ("The Hague", "LOC")),  # the article is part of the name
    ],
)
def test_the_pages_mention_is_found_with_its_type(page: str, mention: tuple[str, str]) -> None:
    assert mention in mentions(page)


def test_a_word_that_only_starts_like_a_name_is_not_it() -> None:
    # «Софія» (Sofia) must not take «Софійка», «Макао» not «Макара», «росія» not «росіяни»
    text = "Софійка пішла до Макара. Росіяни і росіяни. Львівдах."
    assert known_names(text, "uk") == []


def test_a_pronoun_opening_a_sentence_is_not_a_country() -> None:
    text = "Того дня все змінилося."
    assert amend(text, [], "uk") == []


def test_a_nationality_is_no_entity() -> None:
    # dev 108: the English tagger calls "Ukrainian" and "Russian" places
    found = {text for text, _ in mentions("108")}
    assert not found & {"Ukrainian", "Russian", "Ukrainians", "Russians"}
    assert ("Kyiv", "LOC") in mentions("108")


def test_a_common_nouns_acronym_is_no_organisation() -> None:
    # dev 026: «ЧВК» (a private military company) alone is no body; «ЧВК Вагнера» is one
    found = mentions("026")
    assert ("ЧВК", "ORG") not in found
    assert ("ЧВК Вагнера", "ORG") in found
