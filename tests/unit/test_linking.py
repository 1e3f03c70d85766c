"""Entity linking across languages, cases and name forms (storyline.assemble.linking)."""

from __future__ import annotations

import re
import time

import pytest

from paths import DEV, seed
from storyline.assemble.linking import EntityLinker
from storyline.nlp import names
from storyline.nlp.annotations import EntityMention
from storyline.nlp.morph import normalize
from storyline.nlp.roles import attach_roles, find_role_references
from storyline.records import CanonicalEntity


def build(text: str, lang: str, spans: list[tuple[str, str]]) -> list[EntityMention]:
    """Every word-bounded occurrence of each surface (longest first, no overlaps), in order."""
    taken: list[tuple[int, int]] = []
    found: list[EntityMention] = []
    for surface, type_ in sorted(spans, key=lambda s: -len(s[0])):
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            found.append(
                EntityMention(
                    m.start(), m.end(), surface, type_, normalize(surface, type_, lang), lang
                )
            )
    found.sort(key=lambda m: m.start)
    assert found, spans
    people = attach_roles(text, found, lang)
    return sorted([*people, *find_role_references(text, people, lang)], key=lambda m: m.start)


def link(linker: EntityLinker, article: str, text: str, lang: str, spans) -> dict[str, set[str]]:
    """Surface → the ids its occurrences got."""
    mentions = build(text, lang, spans)
    ids = linker.link_article(article, mentions, text)
    got: dict[str, set[str]] = {}
    for m, i in zip(mentions, ids, strict=True):
        got.setdefault(m.text, set()).add(i)
    return got


def one(ids: set[str]) -> str:
    assert len(ids) == 1, ids
    (value,) = ids
    return value


def entity(linker: EntityLinker, eid: str) -> CanonicalEntity:
    return next(e for e in linker.entities() if e.id == eid)


def seed_text(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


# --- the matching key ---------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["Сергей", "Сергій", "Sergei", "Sergey", "Serhiy"],
        ["Столтенберг", "Stoltenberg"],
        ["Рябков", "Ryabkov"],
        ["Шерман", "Sherman"],
        ["Блинкен", "Блінкен", "Blinken"],
        ["Венди", "Уэнди", "Wendy"],
        ["Аксёнов", "Аксенов", "Аксьонов", "Aksyonov"],
        ["Зеленский", "Зеленський", "Zelenskyy", "Zelensky"],
        ["Пєсков", "Песков", "Peskov"],
        ["Эрдоган", "Ердоган", "Erdoğan", "Erdogan"],
        ["Михайло", "Mykhailo"],
        ["Леонтьев", "Leontyev"],
    ],
)
def test_one_key_for_ru_uk_en_spellings(spellings: list[str]) -> None:
    assert len({names.word_key(s) for s in spellings}) == 1


def test_key_keeps_different_names_apart() -> None:
    assert names.word_key("Грушко") != names.word_key("Фомин")
    assert not names.given_compatible([names.word_key("Joe")], [names.word_key("Hunter")])
    assert not names.given_compatible([names.word_key("Александр")], [names.word_key("Алексей")])
    assert names.given_compatible([names.word_key("Владимир")], [names.word_key("Volodymyr")])
    assert names.given_compatible([names.word_key("Jens")], [names.word_key("Йенс")])


def test_a_first_name_left_inflected_is_the_same_first_name() -> None:
    # BSNLP asia_bibi: the analyser leaves «Асии Биби», «Азию Биби» (it does not know the
    # name); they are «Асия Биби», «Азия Биби»
    key = names.word_key
    assert names.given_compatible([key("Асии")], [key("Асия")])
    assert names.given_compatible([key("Азию")], [key("Азия")])
    assert not names.given_compatible([key("Асия")], [key("Анна")])


def test_name_structure() -> None:
    p = names.parse_person("Vladimir Vladimirovich Putin")
    assert (p.given, p.patronymic, p.surname) == (("Vladimir",), "Vladimirovich", "Putin")
    p = names.parse_person("Прокудін Олександр")
    assert (p.given, p.surname) == (("Олександр",), "Прокудін")
    assert names.parse_person("Рябков").given == ()
    assert names.parse_person("President Vladimir Putin").given == ("Vladimir",)
    assert names.parse_person("President Putin").surname == "Putin"


def test_display_transliteration() -> None:
    assert names.display("Сергей Рябков", "ru") == "Sergey Ryabkov"
    assert names.display("Андрій Костін", "uk") == "Andrii Kostin"
    assert names.display("Євген Пригожин", "uk") == "Yevhen Pryhozhyn"


# --- the examples on the seed pages -------------------------------------------


def test_stoltenberg_across_languages_cases_and_the_role_alone() -> None:
    linker = EntityLinker()
    ru = link(
        linker,
        "000",
        seed_text("000"),
        "ru",
        [("Йенса Столтенберга", "PER"), ("Столтенберг", "PER"), ("НАТО", "ORG")],
    )
    uk = link(
        linker,
        "001",
        seed_text("001"),
        "uk",
        [
            ("Єнс Столтенберг", "PER"),
            ("Столтенберга", "PER"),
            ("Столтенберг", "PER"),
            ("НАТО", "ORG"),
        ],
    )
    en_text = (
        "NATO Secretary General Jens Stoltenberg said the Alliance would not compromise. "
        "Stoltenberg spoke after the meeting. The NATO Secretary General added more."
    )
    en = link(linker, "en1", en_text, "en", [("Jens Stoltenberg", "PER"), ("Stoltenberg", "PER")])
    person = one(ru["Йенса Столтенберга"])
    for got in (
        ru["Столтенберг"],
        uk["Єнс Столтенберг"],
        uk["Столтенберга"],
        uk["Столтенберг"],
        en["Jens Stoltenberg"],
        en["Stoltenberg"],
    ):
        assert one(got) == person
    # «Генсек» / «Генеральний секретар НАТО» alone, "The NATO Secretary General" alone
    assert one(uk["Генсек"]) == person
    assert one(uk["Генеральний секретар НАТО"]) == person
    assert one(en["NATO Secretary General"]) == person
    stoltenberg = entity(linker, person)
    assert stoltenberg.name == "Jens Stoltenberg"
    assert "NATO Secretary General" in stoltenberg.roles
    assert stoltenberg.names["uk"] == "Єнс Столтенберг"


def test_geneva_in_three_languages() -> None:
    linker = EntityLinker()
    ru = link(linker, "000", seed_text("000"), "ru", [("Женеве", "LOC")])
    uk = link(linker, "002", seed_text("002"), "uk", [("Женеві", "LOC")])
    en = link(linker, "en", "Talks ended in Geneva on Monday.", "en", [("Geneva", "LOC")])
    assert one(ru["Женеве"]) == one(uk["Женеві"]) == one(en["Geneva"])
    assert entity(linker, one(en["Geneva"])).name == "Geneva"


def test_foreign_ministry_of_russia_in_its_forms() -> None:
    linker = EntityLinker()
    ru = link(linker, "003", seed_text("003"), "ru", [("МИД России", "ORG"), ("МИД", "ORG")])
    uk = link(
        linker,
        "uk",
        "У МЗС РФ заявили, що Росія не піде на поступки.",
        "uk",
        [("МЗС РФ", "ORG"), ("Росія", "LOC")],
    )
    en = link(
        linker,
        "en",
        "The Russian Foreign Ministry said talks were over.",
        "en",
        [("Russian Foreign Ministry", "ORG")],
    )
    ministry = one(ru["МИД России"])
    assert one(ru["МИД"]) == ministry  # the bare «МИД» of an article about Russia's MFA
    assert one(uk["МЗС РФ"]) == one(en["Russian Foreign Ministry"]) == ministry
    assert entity(linker, ministry).name == "Ministry of Foreign Affairs of Russia"
    # A bare «МИД» with no country in its article stays an entity of its own.
    alone = link(linker, "x", "В МИД заявили о переговорах.", "ru", [("МИД", "ORG")])
    assert one(alone["МИД"]) != ministry
    # The US foreign ministry is the State Department.
    us = link(linker, "y", "В МИД США и в Госдепе", "ru", [("МИД США", "ORG"), ("Госдепе", "ORG")])
    assert one(us["МИД США"]) == one(us["Госдепе"])


def test_nato_and_the_alliance() -> None:
    linker = EntityLinker()
    ru = link(
        linker,
        "000",
        seed_text("000"),
        "ru",
        [
            ("НАТО", "ORG"),
            ("Североатлантического альянса", "ORG"),
            ("Альянса", "ORG"),
            ("Альянс", "ORG"),
        ],
    )
    uk = link(linker, "001", seed_text("001"), "uk", [("НАТО", "ORG"), ("Альянс", "ORG")])
    en = link(
        linker,
        "en",
        "NATO allies met. The Alliance will not back down.",
        "en",
        [("NATO", "ORG"), ("Alliance", "ORG")],
    )
    nato = one(ru["НАТО"])
    for got, asked in (
        (ru, ["Североатлантического альянса", "Альянса", "Альянс"]),
        (uk, ["НАТО", "Альянс"]),
        (en, ["NATO", "Alliance"]),
    ):
        for surface in asked:
            assert one(got[surface]) == nato
    assert entity(linker, nato).name == "NATO"


def test_ryabkov_in_full_bare_ukrainian_and_english_with_his_role() -> None:
    linker = EntityLinker()
    ru = link(linker, "003", seed_text("003"), "ru", [("Сергей Рябков", "PER"), ("Рябков", "PER")])
    uk = link(linker, "001", seed_text("001"), "uk", [("Сергій Рябков", "PER"), ("Рябков", "PER")])
    en = link(
        linker,
        "en",
        "Russian Deputy Foreign Minister Sergei Ryabkov said no.",
        "en",
        [("Sergei Ryabkov", "PER")],
    )
    bare = link(linker, "002", seed_text("002"), "uk", [("Рябков", "PER")])
    ryabkov = one(ru["Сергей Рябков"])
    assert one(ru["Рябков"]) == one(uk["Сергій Рябков"]) == one(uk["Рябков"]) == ryabkov
    assert one(en["Sergei Ryabkov"]) == one(bare["Рябков"]) == ryabkov
    assert one(ru["замминистра"]) == ryabkov  # «— добавил замминистра»
    person = entity(linker, ryabkov)
    assert "deputy foreign minister" in person.roles
    assert person.name == "Sergei Ryabkov"


def test_namesakes_stay_apart() -> None:
    linker = EntityLinker()
    seed0 = link(
        linker,
        "000",
        seed_text("000"),
        "ru",
        [
            ("Александр Грушко", "PER"),
            ("Александр Фомин", "PER"),
            ("Фомин", "PER"),
            ("Джо Байденом", "PER"),
        ],
    )
    assert one(seed0["Александр Грушко"]) != one(seed0["Александр Фомин"])
    assert one(seed0["Фомин"]) == one(seed0["Александр Фомин"])
    joe = link(
        linker,
        "a",
        "Joe Biden spoke. Biden said more.",
        "en",
        [("Joe Biden", "PER"), ("Biden", "PER")],
    )
    assert one(joe["Biden"]) == one(joe["Joe Biden"]) == one(seed0["Джо Байденом"])
    hunter = link(
        linker,
        "b",
        "Hunter Biden testified. Biden denied it.",
        "en",
        [("Hunter Biden", "PER"), ("Biden", "PER")],
    )
    assert one(hunter["Hunter Biden"]) != one(joe["Joe Biden"])
    assert one(hunter["Biden"]) == one(hunter["Hunter Biden"])
    # Both in one article: a bare surname goes to the one named last before it.
    both = link(
        linker,
        "c",
        "Joe Biden and his son Hunter Biden. Biden said.",
        "en",
        [("Joe Biden", "PER"), ("Hunter Biden", "PER"), ("Biden", "PER")],
    )
    assert one(both["Biden"]) == one(hunter["Hunter Biden"])
    # A bare «Байден» in an article without a full name is ambiguous across the store.
    alone = link(linker, "d", "Байден заявил о санкциях.", "ru", [("Байден", "PER")])
    assert one(alone["Байден"]) not in {one(joe["Joe Biden"]), one(hunter["Hunter Biden"])}


def test_acronym_goes_to_its_expansion_in_the_article() -> None:
    linker = EntityLinker()
    text = "Национальный антитеррористический комитет сообщил… В НАК уточнили."
    got = link(
        linker,
        "a",
        text,
        "ru",
        [("Национальный антитеррористический комитет", "ORG"), ("НАК", "ORG")],
    )
    assert one(got["НАК"]) == one(got["Национальный антитеррористический комитет"])


def test_ids_are_stable_and_the_store_can_be_reloaded() -> None:
    def run() -> tuple[list[str], list[CanonicalEntity]]:
        linker = EntityLinker()
        ids = []
        for prefix, lang, spans in (
            ("003", "ru", [("Сергей Рябков", "PER"), ("Рябков", "PER"), ("МИД России", "ORG")]),
            ("001", "uk", [("Сергій Рябков", "PER"), ("Єнс Столтенберг", "PER")]),
        ):
            mentions = build(seed_text(prefix), lang, spans)
            ids += linker.link_article(prefix, mentions, seed_text(prefix))
        return ids, linker.entities()

    first, entities = run()
    second, again = run()
    assert first == second and entities == again
    assert all(i.startswith("e_") for i in first if i)
    # A new linker that loads the store's entities goes on with the same ids.
    ryabkov = next(e for e in entities if "Сергей Рябков" in e.aliases)
    reloaded = EntityLinker(entities)
    got = link(
        reloaded, "en", "Sergei Ryabkov met Wendy Sherman.", "en", [("Sergei Ryabkov", "PER")]
    )
    assert one(got["Sergei Ryabkov"]) == ryabkov.id
    assert len(reloaded.entities()) == len(entities)


@pytest.mark.skipif(not DEV.exists(), reason="needs the shared dev corpus")
def test_thousands_of_mentions_per_second() -> None:
    from storyline.evaluation.entities import gold_mentions

    articles = gold_mentions(DEV)
    batches = [[g.mention for g in gs] for gs in articles.values()]
    linker = EntityLinker()
    started = time.perf_counter()
    count = 0
    for round_ in range(10):
        for i, batch in enumerate(batches):
            linker.link_article(f"{round_}-{i}", batch)
            count += len(batch)
    rate = count / (time.perf_counter() - started)
    assert rate > 1000, rate


def test_text_name_keys_meet_across_languages_and_scripts() -> None:
    # the same people and places as Polish, Russian, Ukrainian and English pages write them
    polish = names.text_name_keys(
        "Dokument podpisali Siergiej Szojgu, Hulusi Akar i Antonio Guterres."
    )
    russian = names.text_name_keys(
        "Документ подписали Сергей Шойгу, Хулуси Акар и Антониу Гутерриш."
    )
    assert {"guter", "akar"} <= set(polish) & set(russian)
    assert names.text_name_keys("Удар по Пригожину.") == names.text_name_keys(
        "A blow to Prigozhin."
    )
    assert names.text_name_keys("Atak Prigożyna.")[0] == names.text_name_keys("Атака Пригожина.")[0]


def test_text_name_keys_skip_sentence_openings_and_shouting() -> None:
    keys = names.text_name_keys(
        "Вчера Путин говорил. Затем NATO ответило. «Сегодня» — сказал Байден."
    )
    assert keys == [
        names.stem(names.word_key("Путин"))[:5],
        names.stem(names.word_key("Байден"))[:5],
    ]


def test_text_root_keys_compare_russian_and_ukrainian_wording() -> None:
    ru = set(names.text_root_keys("Россия вышла из зерновой сделки, заявил Песков"))
    uk = set(names.text_root_keys("Росія вийшла із зернової угоди, заявив Пєсков"))
    assert {"zerno", "zaiav"} <= ru & uk


def test_a_headline_bare_surname_is_the_person_its_own_body_names() -> None:
    """The title is linked after the body under the same article id: a bare surname there
    is the person the body names in full, whatever the store's mention counts say (a
    resumed ingest loads entities from the store without them, and used to mint a bare
    «Пригожин» entity where the uninterrupted run found Yevgeny Prigozhin)."""
    linker = EntityLinker()
    # two people of that surname already known, neither dominant
    link(linker, "a1", "Евгений Пригожин прибыл в Минск.", "ru", [("Евгений Пригожин", "PER")])
    link(linker, "a2", "Далия Пригожина выступила в суде.", "ru", [("Далия Пригожина", "PER")])
    body = "Глава ЧВК Евгений Пригожин заявил об отводе войск."
    full, bare = [("Евгений Пригожин", "PER")], [("Пригожин", "PER")]
    headline = "Пригожин отводит войска"
    named = one(link(linker, "a3", body, "ru", full)["Евгений Пригожин"])
    assert one(link(linker, "a3", headline, "ru", bare)["Пригожин"]) == named
    # another article's headline has no body of its own in context
    assert one(link(linker, "a4", headline, "ru", bare)["Пригожин"]) != named


def test_a_title_links_without_teaching_forms_to_known_entities() -> None:
    """``learn=False`` (titles, leads) leaves what an entity is called to its bodies, where
    every mention is stored: a resumed ingest loads the same entity the live linker has."""
    linker = EntityLinker()
    body = "Глава ЧВК Евгений Пригожин заявил об отводе войск."
    named = one(link(linker, "a1", body, "ru", [("Евгений Пригожин", "PER")])["Евгений Пригожин"])
    before = entity(linker, named)
    title = "Пригожин отводит войска"
    ids = linker.link_article("a1", build(title, "ru", [("Пригожин", "PER")]), title, learn=False)
    assert ids == [named]
    assert entity(linker, named) == before
    # a name first seen in a title is still an entity
    new = "Прилепин отводит войска"
    (fresh,) = linker.link_article("a2", build(new, "ru", [("Прилепин", "PER")]), new, learn=False)
    assert entity(linker, fresh).names == {"ru": "Прилепин"}


def test_a_linker_rebuilt_from_its_entities_chooses_the_names_the_live_one_does() -> None:
    """A resumed ingest rebuilds its linker from stored entities: with the form counts
    stored, later mentions tip a language's name exactly as they do in the live linker
    (without them, two later "Wagner group" outweighed three earlier "Wagner")."""
    live = EntityLinker()
    first = "Wagner fighters left. Wagner said so. Wagner is gone. Wagner group denied it."
    spans = [("Wagner group", "ORG"), ("Wagner", "ORG")]
    got = link(live, "a1", first, "en", spans)
    eid = one(set().union(*got.values()))  # the alias table makes them one organisation
    rebuilt = EntityLinker(live.entities())
    assert rebuilt.entities() == live.entities()
    later = "Wagner group moved. Wagner group again."
    for linker in (live, rebuilt):
        link(linker, "a2", later, "en", [("Wagner group", "ORG")])
    assert entity(rebuilt, eid) == entity(live, eid)
    assert entity(live, eid).names["en"] == "Wagner"
