"""Roles next to names and roles used alone (storyline.nlp.roles)."""

from __future__ import annotations

import re

import pytest

from paths import seed
from storyline.nlp.annotations import EntityMention
from storyline.nlp.roles import attach_roles, drop_role_words, find_role_references, role_matches


def people(text: str, lang: str, surfaces: list[str]) -> list[EntityMention]:
    """PER mentions at every word-bounded occurrence of the surfaces (longest first)."""
    taken: list[tuple[int, int]] = []
    out = []
    for surface in sorted(surfaces, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            out.append(EntityMention(m.start(), m.end(), surface, "PER", surface, lang))
    return sorted(out, key=lambda m: m.start)


def roles(text: str, lang: str, surfaces: list[str]) -> dict[str, set[str | None]]:
    got: dict[str, set[str | None]] = {}
    for m in attach_roles(text, people(text, lang, surfaces), lang):
        got.setdefault(m.text, set()).add(m.role)
    return got


def seed_text(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


def test_roles_before_names_in_a_russian_page() -> None:
    got = roles(
        seed_text("000"),
        "ru",
        [
            "Йенса Столтенберга",
            "Александр Грушко",
            "Александр Фомин",
            "Венди Шерман",
            "Дмитрий Песков",
            "Энтони Блинкен",
            "Сергей Рябков",
            "Джулианна Смит",
        ],
    )
    assert got["Йенса Столтенберга"] == {"NATO Secretary General"}
    assert got["Александр Грушко"] == {"deputy foreign minister"}  # «замглавы МИД»
    assert got["Александр Фомин"] == {"deputy defence minister"}
    assert got["Венди Шерман"] == {"deputy Secretary of State"}  # «замгоссекретаря США»
    assert got["Дмитрий Песков"] == {"Kremlin spokesman"}  # «Пресс-секретарь президента РФ»
    assert got["Энтони Блинкен"] == {"Secretary of State"}
    assert got["Сергей Рябков"] == {"deputy foreign minister"}
    assert got["Джулианна Смит"] == {"permanent representative"}


def test_roles_in_ukrainian_and_russian_seeds() -> None:
    got = roles(seed_text("001"), "uk", ["Єнс Столтенберг", "Сергій Рябков", "Ентоні Блінкен"])
    assert got["Єнс Столтенберг"] == {"NATO Secretary General"}
    # «заступник міністра закордонних справ РФ Сергій Рябков»
    assert got["Сергій Рябков"] == {"deputy foreign minister"}
    assert got["Ентоні Блінкен"] == {"Secretary of State"}
    got = roles(seed_text("003"), "ru", ["Сергей Рябков", "Рябков"])
    assert got["Сергей Рябков"] == {"deputy foreign minister"}
    assert got["Рябков"] == {None}  # «— заявил Рябков»: no role next to it
    got = roles(seed_text("004"), "ru", ["Сергей Лавров", "Дмитрий Песков", "Уэнди Шерман"])
    assert got["Сергей Лавров"] == {"foreign minister"}
    assert got["Дмитрий Песков"] == {"Kremlin spokesman"}  # «пресс-секретарь президента России»


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("US Secretary of State Antony Blinken said", "Antony Blinken", "Secretary of State"),
        (
            "NATO Secretary General Jens Stoltenberg said",
            "Jens Stoltenberg",
            "NATO Secretary General",
        ),
        (
            "Russian Deputy Foreign Minister Sergei Ryabkov said",
            "Sergei Ryabkov",
            "deputy foreign minister",
        ),
        ("Kremlin spokesman Dmitry Peskov said", "Dmitry Peskov", "Kremlin spokesman"),
        ("Dmitry Peskov, the Kremlin spokesman, said", "Dmitry Peskov", "Kremlin spokesman"),
        ("said Dmitry Peskov on Monday", "Dmitry Peskov", None),
    ],
)
def test_english_roles(text: str, name: str, role: str | None) -> None:
    assert roles(text, "en", [name])[name] == {role}


def test_a_role_already_set_is_kept_and_other_types_pass() -> None:
    text = "генеральный секретарь НАТО Йенс Столтенберг"
    person = EntityMention(27, 43, "Йенс Столтенберг", "PER", "Йенс Столтенберг", "ru", role="x")
    org = EntityMention(22, 26, "НАТО", "ORG", "НАТО", "ru")
    assert attach_roles(text, [org, person], "ru") == (org, person)
    assert attach_roles(text, [person], "fr") == (person,)


def test_roles_used_alone() -> None:
    text = seed_text("000")
    mentions = attach_roles(text, people(text, "ru", ["Дмитрий Песков", "Песков"]), "ru")
    refs = find_role_references(text, mentions, "ru")
    # Roles right before a name are not references, even when that name is not a mention
    # («замглавы МИД Александр Грушко», «генерального секретаря НАТО Йенса Столтенберга»).
    assert [(r.text, r.role, r.source, r.type) for r in refs] == [
        ("спикера Кремля", "Kremlin spokesman", "role", "PER")
    ]
    text = seed_text("001")
    mentions = attach_roles(text, people(text, "uk", ["Єнс Столтенберг", "Столтенберг"]), "uk")
    refs = {(r.text, r.role) for r in find_role_references(text, mentions, "uk")}
    assert ("Генсек", "Secretary General") in refs
    assert ("Генеральний секретар НАТО", "NATO Secretary General") in refs
    assert all(text[r.start : r.end] == r.text for r in find_role_references(text, mentions, "uk"))
    text = seed_text("003")
    mentions = attach_roles(text, people(text, "ru", ["Сергей Рябков", "Рябков"]), "ru")
    assert [(r.text, r.role) for r in find_role_references(text, mentions, "ru")] == [
        ("замминистра", "deputy minister")
    ]


def test_role_matching() -> None:
    assert role_matches("Secretary General", "NATO Secretary General")
    assert role_matches("deputy minister", "deputy foreign minister")
    assert role_matches("Kremlin spokesman", "Kremlin spokesman")
    assert not role_matches("minister", "deputy foreign minister")
    assert not role_matches("deputy minister", "foreign minister")
    assert not role_matches("Secretary General", "Secretary of State")


def test_a_role_word_tagged_as_a_name_becomes_a_role_reference() -> None:
    # seed 001: «Генсек вказав, що Альянс готовий…» — a tagger reads the capitalised
    # sentence-initial «Генсек» as a person
    text = seed("001").read_text(encoding="utf-8")
    start = text.index("Генсек вказав")
    wrong = EntityMention(start, start + 6, "Генсек", "PER", "Генсек", "uk", source="uk-ner")
    name_start = text.index("Єнс Столтенберг")
    right = EntityMention(
        name_start, name_start + 15, "Єнс Столтенберг", "PER", "Єнс Столтенберг", "uk"
    )
    kept = drop_role_words(text, [wrong, right], "uk")
    assert kept == (right,)
    references = find_role_references(text, kept, "uk")
    assert any(r.start == start and r.role for r in references)
