"""One entity under the variants BSNLP's ru/uk news write it in (storyline.assemble.linking):
an organisation with and without its country, a bare institution in an article about one
country, two transliterations of one given name, a Ukrainian word with no Russian key, a
country's adjective or people's name. Sentences from ``shared/corpora/bsnlp-train``."""

from __future__ import annotations

import re

import pytest

from storyline.assemble.linking import EntityLinker
from storyline.nlp import names as nm
from storyline.nlp.annotations import EntityMention
from storyline.nlp.morph import normalize


def mentions(text: str, lang: str, spans: list[tuple[str, str]]) -> list[EntityMention]:
    """The first word-bounded occurrence of each surface, in text order."""
    out = []
    for surface, type_ in spans:
        m = re.search(rf"(?<!\w){re.escape(surface)}(?!\w)", text)
        assert m is not None, surface
        out.append(
            EntityMention(m.start(), m.end(), surface, type_, normalize(surface, type_, lang), lang)
        )
    return sorted(out, key=lambda m: m.start)


def link(linker: EntityLinker, article: str, text: str, lang: str, spans) -> dict[str, str]:
    found = mentions(text, lang, spans)
    return {
        m.text: eid for m, eid in zip(found, linker.link_article(article, found, text), strict=True)
    }


def test_organisation_with_and_without_its_country() -> None:
    linker = EntityLinker()
    first = link(
        linker,
        "ru/104",
        "REGNUM Верховный суд Пакистана отменил 31 октября ранее вынесенный смертный приговор "
        "женщине-христианке Азии Биби. Протесты прошли в Пакистане.",
        "ru",
        [("Верховный суд Пакистана", "ORG"), ("Азии Биби", "PER"), ("Пакистане", "LOC")],
    )
    bare = link(
        linker,
        "ru/130",
        "Власти Пакистана отложили освобождение христианки Асии Биби, смертный приговор в "
        "отношении которой ранее отменил Верховный суд, агентство Associated Press. "
        "Адвокат в Пакистане подал апелляцию.",
        "ru",
        [
            ("Пакистана", "LOC"),
            ("Асии Биби", "PER"),
            ("Верховный суд", "ORG"),
            ("Пакистане", "LOC"),
        ],
    )
    assert bare["Верховный суд"] == first["Верховный суд Пакистана"]
    # another country's court of the same name is another court
    other = link(
        linker,
        "ru/x",
        "Верховный суд Великобритании рассмотрит дело.",
        "ru",
        [("Верховный суд Великобритании", "ORG")],
    )
    assert other["Верховный суд Великобритании"] != first["Верховный суд Пакистана"]


def test_bare_name_after_its_only_country() -> None:
    linker = EntityLinker()
    first = link(
        linker,
        "ru/1",
        "члены радикальной исламистской партии Техрик-э-Лабаик Пакистан, сообщает Arab News.",
        "ru",
        [("Техрик-э-Лабаик Пакистан", "ORG")],
    )
    later = link(
        linker,
        "ru/2",
        "Лидер партии Техрик-э-Лабаик призвал к протестам.",
        "ru",
        [("Техрик-э-Лабаик", "ORG")],
    )
    assert later["Техрик-э-Лабаик"] == first["Техрик-э-Лабаик Пакистан"]


def test_bare_institution_takes_the_country_the_article_names_most() -> None:
    linker = EntityLinker()
    named = link(
        linker,
        "ru/1",
        "Глава МИД Великобритании Борис Джонсон подал в отставку.",
        "ru",
        [("МИД Великобритании", "ORG"), ("Борис Джонсон", "PER")],
    )
    bare = link(
        linker,
        "ru/2",
        "Власти Великобритании сообщили об отставке. Сегодня экс-глава МИД должен был принять "
        "участие в пресс-конференции с коллегами из Германии. Переговоры между "
        "Великобританией и ЕС продолжатся; Великобритания настаивает на своём.",
        "ru",
        [
            ("Великобритании", "LOC"),
            ("МИД", "ORG"),
            ("Германии", "LOC"),
            ("Великобританией", "LOC"),
            ("Великобритания", "LOC"),
        ],
    )
    assert bare["МИД"] == named["МИД Великобритании"]
    # named not far more often than another country: no reason to take it
    mixed = link(
        linker,
        "ru/3",
        "Власти Великобритании сообщили об отставке. Сегодня экс-глава МИД должен был принять "
        "участие в пресс-конференции с коллегами из Германии. Переговоры между "
        "Великобританией и ЕС продолжатся.",
        "ru",
        [
            ("Великобритании", "LOC"),
            ("МИД", "ORG"),
            ("Германии", "LOC"),
            ("Великобританией", "LOC"),
        ],
    )
    assert mixed["МИД"] != named["МИД Великобритании"]


def test_given_names_a_consonant_voicing_apart_are_one_person() -> None:
    linker = EntityLinker()
    first = link(
        linker,
        "ru/1",
        "Мать пятерых детей Асия Биби ожидала исполнения приговора с 2010 года.",
        "ru",
        [("Асия Биби", "PER")],
    )
    second = link(
        linker,
        "ru/2",
        "Верховный суд Пакистана отменил смертный приговор женщине-христианке Азии Биби.",
        "ru",
        [("Верховный суд Пакистана", "ORG"), ("Азии Биби", "PER")],
    )
    assert second["Азии Биби"] == first["Асия Биби"]
    assert nm.given_compatible([nm.word_key("Азия")], [nm.word_key("Асия")])
    assert not nm.given_compatible([nm.word_key("Анна")], [nm.word_key("Инна")])


def test_ukrainian_words_with_no_russian_key() -> None:
    linker = EntityLinker()
    ru = link(
        linker,
        "ru/1",
        "По мнению Мэй, этот план отвечает интересам в том числе и жителей Северной Ирландии.",
        "ru",
        [("Мэй", "PER"), ("Северной Ирландии", "LOC")],
    )
    uk = link(
        linker,
        "uk/1",
        "З посад пішли міністр у справах Північної Ірландії Шейлеш Вара.",
        "uk",
        [("Північної Ірландії", "LOC"), ("Шейлеш Вара", "PER")],
    )
    assert uk["Північної Ірландії"] == ru["Северной Ирландии"]


def test_country_adjective_and_people_name_in_lower_case_are_the_country() -> None:
    linker = EntityLinker()
    got = link(
        linker,
        "ru/1",
        "Премьер Великобритании Мэй заявила, что в поддержку Brexit высказались 51,9 процента "
        "британцев, а глава британских переговорщиков остался.",
        "ru",
        [("Великобритании", "LOC"), ("Мэй", "PER"), ("британцев", "PER"), ("британских", "LOC")],
    )
    assert got["британцев"] == got["Великобритании"] == got["британских"]
    pk = link(
        linker,
        "ru/2",
        "Тысячи пакистанцев вышли на улицы; в Пакистане прошли протесты.",
        "ru",
        [("пакистанцев", "PER"), ("Пакистане", "LOC")],
    )
    assert pk["пакистанцев"] == pk["Пакистане"]


def test_a_resumed_linker_knows_the_countries_organisations_were_named_with() -> None:
    live = EntityLinker()
    text = "REGNUM Верховный суд Пакистана отменил смертный приговор. Протесты в Пакистане."
    spans = [("Верховный суд Пакистана", "ORG"), ("Пакистане", "LOC")]
    first = link(live, "ru/1", text, "ru", spans)
    resumed = EntityLinker(live.entities())
    later = (
        "Власти Пакистана отложили освобождение христианки, приговор которой отменил "
        "Верховный суд. Адвокат в Пакистане подал апелляцию."
    )
    later_spans = [("Пакистана", "LOC"), ("Верховный суд", "ORG"), ("Пакистане", "LOC")]
    assert link(resumed, "ru/2", later, "ru", later_spans) == link(
        live, "ru/2", later, "ru", later_spans
    )
    assert (
        link(resumed, "ru/2", later, "ru", later_spans)["Верховный суд"]
        == (first["Верховный суд Пакистана"])
    )


def test_two_transliterations_of_a_foreign_name_are_one_entity() -> None:
    linker = EntityLinker()
    first = link(
        linker,
        "ru/1",
        "В провинции Пенджаб произошли столкновения с полицией. Партия Техрик-э-Лабаик "
        "Пакистан вывела людей на улицы.",
        "ru",
        [("Пенджаб", "LOC"), ("Техрик-э-Лабаик Пакистан", "ORG")],
    )
    second = link(
        linker,
        "ru/2",
        "Асия Биби родилась в деревне недалеко от Лахора, провинция Панджаб. Правительству "
        "пришлось пойти на соглашение с исламистской партией Техрик-э-Лабайак Пакистан.",
        "ru",
        [("Панджаб", "LOC"), ("Техрик-э-Лабайак Пакистан", "ORG")],
    )
    assert second["Панджаб"] == first["Пенджаб"]
    assert second["Техрик-э-Лабайак Пакистан"] == first["Техрик-э-Лабаик Пакистан"]
    # a number is no spelling: another year's cup is another event
    cups = link(
        linker,
        "ru/3",
        "Англия выступит на ЧМ-2018, как выступала на ЧМ-2014.",
        "ru",
        [("ЧМ-2018", "EVT"), ("ЧМ-2014", "EVT")],
    )
    assert cups["ЧМ-2018"] != cups["ЧМ-2014"]


def test_a_name_word_that_is_also_a_noun_takes_the_names_case() -> None:
    # «Хана» is a woman's name in the nominative and the noun «хан» in the genitive: beside
    # the genitive «Имрана» it is the genitive of the surname
    assert normalize("Имрана Хана", "PER", "ru") == "Имран Хан"
    assert normalize("Тереза Мэй", "PER", "ru") == "Тереза Мэй"
    linker = EntityLinker()
    first = link(
        linker,
        "ru/1",
        "Премьер-министр Пакистана Имран Хан обратился к нации.",
        "ru",
        [("Пакистана", "LOC"), ("Имран Хан", "PER")],
    )
    second = link(
        linker,
        "ru/2",
        "Правительство Имрана Хана пошло на соглашение с исламистами.",
        "ru",
        [("Имрана Хана", "PER")],
    )
    assert second["Имрана Хана"] == first["Имран Хан"]


def test_a_shortened_name_is_the_body_of_the_words_it_joins() -> None:
    linker = EntityLinker()
    full = link(
        linker,
        "ru/1",
        "Ранее в понедельник двое членов британского кабинета министров ушли в отставку. "
        "Глава Европейского совета прокомментировал это.",
        "ru",
        [("британского кабинета министров", "ORG"), ("Европейского совета", "ORG")],
    )
    short = link(
        linker,
        "ru/2",
        "В конце рабочей недели британский Кабмин согласовал план переговоров с Брюсселем. "
        "Идея Brexit не исчезла, констатировал глава Евросовета.",
        "ru",
        [("британский Кабмин", "ORG"), ("Брюсселем", "LOC"), ("Евросовета", "ORG")],
    )
    # the table's «Кабмин» is Ukraine's cabinet: the British one is another body
    assert short["британский Кабмин"] == full["британского кабинета министров"]
    assert short["Евросовета"] == full["Европейского совета"]
    ukraine = link(
        linker,
        "ru/3",
        "Кабмин Украины утвердил план.",
        "ru",
        [("Кабмин Украины", "ORG")],
    )
    assert ukraine["Кабмин Украины"] != short["британский Кабмин"]
    # a bare «Кабмин» in an article about Britain is Britain's, elsewhere the table's
    bare = link(
        linker,
        "ru/4",
        "Великобритания готовится к выходу. Члены Кабмина обсудили Brexit; Великобританию "
        "ждут перемены, а в Великобритании растёт недовольство.",
        "ru",
        [
            ("Великобритания", "LOC"),
            ("Кабмина", "ORG"),
            ("Великобританию", "LOC"),
            ("Великобритании", "LOC"),
        ],
    )
    assert bare["Кабмина"] == short["британский Кабмин"]
    home = link(linker, "ru/5", "Кабмин утвердил план.", "ru", [("Кабмин", "ORG")])
    assert home["Кабмин"] != short["британский Кабмин"]


def test_a_two_letter_initial_is_an_initial() -> None:
    linker = EntityLinker()
    full = link(
        linker,
        "ru/1",
        "Новым министром иностранных дел королевства стал экс-министр здравоохранения "
        "Джереми Хант.",
        "ru",
        [("Джереми Хант", "PER")],
    )
    initial = link(
        linker,
        "ru/2",
        "Дж.Хант является членом Консервативной партии, он был министром здравоохранения "
        "в первом и втором кабинете Дэвида Кэмерона.",
        "ru",
        [("Дж.Хант", "PER"), ("Дэвида Кэмерона", "PER")],
    )
    assert initial["Дж.Хант"] == full["Джереми Хант"]
    assert nm.given_compatible([nm.word_key("Дж")], [nm.word_key("Джереми")])
    assert not nm.given_compatible([nm.word_key("Дж")], [nm.word_key("Дэвид")])


def test_a_latin_spelling_of_a_surname_a_letter_apart() -> None:
    # "Johnson" keys as ``djognson`` («h» is «г» in Ukrainian transliteration), «Джонсон»
    # as ``djonson``: one edit, but apart in their first four letters
    linker = EntityLinker()
    ru = link(
        linker,
        "ru/1",
        "Глава МИД Великобритании Борис Джонсон подал в отставку.",
        "ru",
        [("МИД Великобритании", "ORG"), ("Борис Джонсон", "PER")],
    )
    latin = link(
        linker,
        "ru/2",
        '"A little surprised" Theresa May to Boris Johnson pic.',
        "ru",
        [("Boris Johnson", "PER")],
    )
    assert latin["Boris Johnson"] == ru["Борис Джонсон"]


def test_a_name_is_linked_without_the_name_in_brackets_or_the_sites_domain() -> None:
    linker = EntityLinker()
    first = link(
        linker,
        "ru/1",
        "Христианка Асия Биби, смертный приговор в отношении которой ранее отменил Верховный "
        "суд Пакистана, отпущена на свободу, сообщает Интерфакс.",
        "ru",
        [("Асия Биби", "PER"), ("Верховный суд Пакистана", "ORG"), ("Интерфакс", "ORG")],
    )
    second = link(
        linker,
        "ru/2",
        "Москва. 1 ноября. INTERFAX.RU - 46-летняя мать Азия Биби (Норин) жила в камере "
        "приговоренных к смерти с 2010 года.",
        "ru",
        [("Москва", "LOC"), ("INTERFAX.RU", "ORG"), ("Азия Биби (Норин)", "PER")],
    )
    assert second["Азия Биби (Норин)"] == first["Асия Биби"]
    assert second["INTERFAX.RU"] == first["Интерфакс"]
    # a site is shown by its own name
    assert "INTERFAX.RU" in linker.entity(first["Интерфакс"]).forms["ru"]


def test_a_latin_letter_typed_in_a_cyrillic_name() -> None:
    # «Моcква» with a Latin «c» (BSNLP asia_bibi) is Moscow; a Latin name with a Cyrillic
    # case ending keeps its Latin key
    assert nm.word_key("Моcква") == nm.word_key("Москва")
    assert nm.word_key("Ryanairом") == nm.word_key("Ryanair") + "om"
    linker = EntityLinker()
    got = link(
        linker,
        "ru/1",
        "Моcква. 31 октября. Москва выразила обеспокоенность.",
        "ru",
        [("Моcква", "LOC"), ("Москва", "LOC")],
    )
    assert got["Моcква"] == got["Москва"]


def test_a_table_body_named_with_its_country_as_an_adjective_or_possessive() -> None:
    """The table lists "Security Service of Ukraine"; train A050 and A006 write "the
    Ukrainian Security Service" and "Ukraine’s Security Service"."""
    linker = EntityLinker()
    sbu = link(
        linker,
        "ru",
        "Служба безопасности Украины задержала агента.",
        "ru",
        [("Служба безопасности Украины", "ORG")],
    )["Служба безопасности Украины"]
    a050 = link(
        linker,
        "en/A050",
        "He urged the parliament to abolish the deputies’ immunity and dismiss the head of the "
        "Ukrainian Security Service, the prosecutor general, and the defense minister.",
        "en",
        [("Ukrainian Security Service", "ORG")],
    )
    a006 = link(
        linker,
        "en/A006",
        "On November 26, Ukraine’s Security Service opened a criminal investigation.",
        "en",
        [("Ukraine’s Security Service", "ORG")],
    )
    assert a050["Ukrainian Security Service"] == a006["Ukraine’s Security Service"] == sbu
    # the same words with another country are not Ukraine's service
    other = link(
        linker,
        "en/x",
        "The Russian Security Service said so.",
        "en",
        [("Russian Security Service", "ORG")],
    )
    assert other["Russian Security Service"] != sbu


def test_a_company_is_linked_without_its_legal_form() -> None:
    """Train D041: «НАК «Нафтогаз Украины»» is Naftogaz (НАК: a national joint-stock company)."""
    linker = EntityLinker()
    d041 = link(
        linker,
        "ru/D041",
        "Тимошенко причинила ущерб НАК «Нафтогаз Украины» в сумме 1,5 миллиарда гривен.",
        "ru",
        [("Тимошенко", "PER"), ("НАК «Нафтогаз Украины»", "ORG")],
    )
    bare = link(linker, "uk", "Нафтогаз заявив про борг.", "uk", [("Нафтогаз", "ORG")])
    assert d041["НАК «Нафтогаз Украины»"] == bare["Нафтогаз"]


def test_a_navy_is_its_countrys_navy_in_every_language() -> None:
    """A navy is a body every country has, named with the country's adjective in English
    (train A022, A038, A041 and dev 056 on the 2018 Kerch Strait incident and the Moskva)."""
    linker = EntityLinker()
    a022 = link(
        linker,
        "ru/A022",
        "Утром 25 ноября ФСБ заявила, что три корабля ВМС Украины нарушили российскую границу.",
        "ru",
        [("ФСБ", "ORG"), ("ВМС Украины", "ORG")],
    )
    a038 = link(
        linker,
        "en/A038",
        "On Sunday morning, three ships from the Ukrainian Navy - the Berdyansk, the Nikopol "
        "and the Yany Kapu - illegally crossed the border.",
        "en",
        [("Ukrainian Navy", "ORG")],
    )
    a041 = link(
        linker,
        "en/A041",
        "The Ukrainian navy said its boats were hit and disabled.",
        "en",
        [("Ukrainian navy", "ORG")],
    )
    d056 = link(
        linker,
        "en/056",
        "The Moskva missile cruiser was shot by the Navy of Ukraine.",
        "en",
        [("Navy of Ukraine", "ORG")],
    )
    navy = a022["ВМС Украины"]
    assert a038["Ukrainian Navy"] == a041["Ukrainian navy"] == d056["Navy of Ukraine"] == navy
    assert entity_name(linker, navy) == "Ukrainian Navy"
    russian = link(linker, "en/x", "Russia's Navy said so.", "en", [("Russia's Navy", "ORG")])
    assert russian["Russia's Navy"] != navy
    assert entity_name(linker, russian["Russia's Navy"]) == "Russian Navy"


def entity_name(linker: EntityLinker, eid: str) -> str:
    return next(e.name for e in linker.entities() if e.id == eid)


def test_a_place_the_tagger_read_as_a_person_is_the_place() -> None:
    """Train B002: «в Нагірному Карабасі» tagged PER lemmatises as a person «Карабас»; read
    as a place it is «Нагірний Карабах», the table's Nagorno-Karabakh."""
    linker = EntityLinker()
    text = (
        "Вірменія та Азербайджан під час перемовин у Москві домовились про припинення вогню "
        "в Нагірному Карабасі з 12:00 10 жовтня."
    )
    b002 = link(linker, "uk/B002", text, "uk", [("Нагірному Карабасі", "PER")])
    en = link(
        linker, "en", "Fighting resumed in Nagorno-Karabakh.", "en", [("Nagorno-Karabakh", "LOC")]
    )
    eid = b002["Нагірному Карабасі"]
    assert eid == en["Nagorno-Karabakh"]
    assert entity_name(linker, eid) == "Nagorno-Karabakh"


def test_a_short_first_name_and_the_full_one_are_one_person() -> None:
    """Train B015 names «Джозефа Байдена»; most pages write «Джо Байден» or "Joe Biden"."""
    linker = EntityLinker()
    b015 = link(
        linker,
        "ru/B015",
        "Встреча Джозефа Байдена и Владимира Путина.",
        "ru",
        [("Джозефа Байдена", "PER"), ("Владимира Путина", "PER")],
    )
    joe = link(
        linker,
        "en",
        "Joe Biden said he would meet Putin.",
        "en",
        [("Joe Biden", "PER"), ("Putin", "PER")],
    )
    assert b015["Джозефа Байдена"] == joe["Joe Biden"]
    # a short name stands for its own full name only
    bill = link(
        linker,
        "en/x",
        "Joe Brown and Bill Brown spoke.",
        "en",
        [("Joe Brown", "PER"), ("Bill Brown", "PER")],
    )
    assert bill["Joe Brown"] != bill["Bill Brown"]


def test_a_person_is_not_read_again_as_a_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a PER mention as a place costs a morphology call in the writer; a name whose
    first word opens no name the table knows («Рустем Умеров») is never read so."""
    import storyline.assemble.linking as linking

    def no_morphology(*_: object) -> str:
        raise AssertionError("a person's name was read again as a place")

    monkeypatch.setattr(linking, "normalize", no_morphology)
    linker = EntityLinker()
    found = link(
        linker,
        "uk/x",
        "Міністр оборони Рустем Умеров заявив про переговори.",
        "uk",
        [("Рустем Умеров", "PER")],
    )
    assert entity_name(linker, found["Рустем Умеров"]) == "Rustem Umerov"
