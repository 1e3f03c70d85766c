"""One person, one entity, whatever type the tagger gave a mention (assemble.linking).

Real train pages where the English tagger calls people organisations: «Volodymyr
Zelenskiy» and «Andriy Parubiy» (A031), «Olaf Scholz» (E028), and pages where a
surname alone is tagged ORG after the full name was tagged PER.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import DEV, TRAIN
from storyline.assemble.linking import EntityLinker
from storyline.config import Settings
from storyline.document import RawDocument
from storyline.extract.article import extract_article
from storyline.nlp.annotations import Annotations
from storyline.nlp.pipeline import annotate

pytestmark = pytest.mark.skipif(
    not (TRAIN.exists() and DEV.exists()), reason="train and dev corpora not available"
)


def page(path: Path) -> tuple[str, str, Annotations]:
    article = extract_article(
        RawDocument(str(path), path.read_bytes()), languages=Settings().languages
    )
    return article.id, article.text, annotate(article)


def link(*paths: Path) -> tuple[EntityLinker, list[tuple[str, str, str]]]:
    """The linker after the pages, and (mention text, tagger type, entity id) of each."""
    linker = EntityLinker()
    out = []
    for path in paths:
        aid, text, notes = page(path)
        ids = linker.link_article(aid, notes.entities, text)
        out += [(e.text, e.type, i) for e, i in zip(notes.entities, ids, strict=True)]
    return linker, out


def test_a_full_name_tagged_org_is_the_person() -> None:
    linker, mentions = link(TRAIN / "articles" / "E028.txt")
    (scholz,) = {i for text, kind, i in mentions if text == "Olaf Scholz" and kind == "ORG"}
    assert linker.entity(scholz).type == "PER"


def test_a_surname_tagged_org_joins_the_person_named_in_the_article() -> None:
    linker, mentions = link(TRAIN / "articles" / "A031.txt")
    tagged_org = {i for text, kind, i in mentions if text == "Zelenskiy" and kind == "ORG"}
    assert tagged_org
    people = {linker.entity(i).type for i in tagged_org}
    assert people == {"PER"}
    parubiy = {linker.entity(i).type for text, _, i in mentions if text == "Andriy Parubiy"}
    assert parubiy == {"PER"}


def test_no_person_under_two_types_across_pages() -> None:
    linker, mentions = link(*(DEV / "articles" / f for f in ("020.txt", "025.txt", "032.txt")))
    guterres = {i for text, _, i in mentions if "Guterres" in text}
    assert len(guterres) == 1
    assert linker.entity(guterres.pop()).type == "PER"


def test_a_surname_that_is_also_a_city_is_the_city_until_someone_has_it() -> None:
    # «Дэвис» tagged PER: Davis, California, while nobody with that surname is named;
    # the person once «Дэвид Дэвис» is, in his article and in the next one
    from storyline.nlp.annotations import EntityMention

    def davis(start: int) -> EntityMention:
        return EntityMention(start, start + 5, "Дэвис", "PER", "Дэвис", "ru")

    linker = EntityLinker()
    (city,) = linker.link_article("a", [davis(0)], "Дэвис заявил.")
    assert (linker.entity(city).type, linker.entity(city).name) == ("LOC", "Davis")
    named = EntityMention(0, 11, "Дэвид Дэвис", "PER", "Дэвид Дэвис", "ru")
    full, bare = linker.link_article("b", [named, davis(21)], "Дэвид Дэвис приехал. Дэвис заявил.")
    assert bare == full != city
    assert linker.entity(full).type == "PER"
    assert linker.link_article("c", [davis(0)], "Дэвис заявил.") == [full]


def test_a_place_tagged_person_joins_the_place_of_the_other_pages() -> None:
    # train E002 names «Херсон» as a place; E024 and E050 (English) tag Kherson a person
    # four times a page, dev 049 once: the city is one entity, a place
    linker, mentions = link(
        TRAIN / "articles" / "E002.txt",
        TRAIN / "articles" / "E024.txt",
        TRAIN / "articles" / "E050.txt",
        DEV / "articles" / "049.txt",
    )
    kherson = {i for text, _, i in mentions if text in ("Kherson", "Херсон")}
    assert len(kherson) == 1
    assert linker.entity(kherson.pop()).type == "LOC"


def test_a_place_tagged_person_on_the_same_page_and_the_next_is_the_place() -> None:
    # dev 016 tags Bornholm LOC, then PER; dev 068 tags it PER only
    linker, mentions = link(DEV / "articles" / "016.txt", DEV / "articles" / "068.txt")
    bornholm = {i for text, _, i in mentions if text == "Bornholm"}
    assert len(bornholm) == 1
    assert linker.entity(bornholm.pop()).type == "LOC"


def _mention(text: str, type_: str, lang: str, start: int = 0):  # type: ignore[no-untyped-def]
    from storyline.nlp.annotations import EntityMention
    from storyline.nlp.morph import normalize

    return EntityMention(start, start + len(text), text, type_, normalize(text, type_, lang), lang)  # type: ignore[arg-type]


def test_a_name_glued_to_the_next_word_is_the_known_person() -> None:
    # issue 16: «Jens Stoltenberhukhvalyv» (the surname run into «ухвалив»), "Sergey
    # Ryabkov Depu" (a fragment after the surname)
    linker = EntityLinker()
    (jens,) = linker.link_article("a", [_mention("Єнс Столтенберг", "PER", "uk")])
    (glued,) = linker.link_article("b", [_mention("Єнс Столтенбергухвалив", "PER", "uk")])
    assert glued == jens
    (ryabkov,) = linker.link_article("c", [_mention("Sergey Ryabkov", "PER", "en")])
    (cut,) = linker.link_article("d", [_mention("Sergey Ryabkov Depu", "PER", "en")])
    assert cut == ryabkov
    assert linker.entity(ryabkov).name == "Sergey Ryabkov"
    assert "Depu" not in linker.entity(ryabkov).names["en"]


def test_a_full_name_tagged_org_is_the_person_the_store_knows() -> None:
    # «Рустем» is in no table of given names: the person is found by the store
    linker = EntityLinker()
    (person,) = linker.link_article("a", [_mention("Рустем Умеров", "PER", "ru")])
    (org,) = linker.link_article("b", [_mention("Rustem Umerov", "ORG", "en")])
    assert org == person


def test_a_surname_that_is_only_a_town_elsewhere_stays_a_person() -> None:
    # «Осипенко» (to GeoNames, Berdyansk's old name) tagged PER on a page of its own: the
    # store holds no such city, so it is not brought in from GeoNames' tens of thousands
    # of towns by a surname alone
    linker = EntityLinker()
    (eid,) = linker.link_article("a", [_mention("Осипенко", "PER", "ru")], "Осипенко")
    assert linker.entity(eid).type == "PER"


def test_an_acronym_is_not_another_acronym_with_the_same_key() -> None:
    # A018: «… миссии ООН …, передает УНН»: the Ukrainian news agency is not the UN
    linker, mentions = link(TRAIN / "articles" / "A018.txt")
    un = {i for text, _, i in mentions if text == "ООН"}
    unn = {i for text, _, i in mentions if text == "УНН"}
    assert un and unn and not un & unn
    assert {linker.entity(i).name for i in un} == {"United Nations"}


def test_a_one_word_name_taken_for_a_person_and_then_a_thing_is_one_entity() -> None:
    # train B027 (English) tags the nerve agent "Novichok" a person, B028 «Новичок» an
    # organisation; B030 the hotel «Барон» a person, B066 "Baron" an organisation
    linker, mentions = link(*(TRAIN / "articles" / f"{p}.txt" for p in ("B027", "B028")))
    novichok = {i for text, _, i in mentions if text in ("Novichok", "Новичок")}
    assert len(novichok) == 1
    (eid,) = novichok
    assert linker.entity(eid).type == "ORG"
    # a linker rebuilt from the store (a resumed ingest) finds it under either type
    for kind in ("PER", "ORG"):
        rebuilt = EntityLinker(linker.entities())
        assert rebuilt.link_article("x", [_mention("Novichok", kind, "en")]) == [eid]
    linker, mentions = link(*(TRAIN / "articles" / f"{p}.txt" for p in ("B030", "B066")))
    baron = {i for text, _, i in mentions if text in ("Барон", "Baron")}
    assert len(baron) == 1
    assert linker.entity(baron.pop()).type == "ORG"


def test_a_named_person_is_not_the_thing_a_surname_turned_out_to_be() -> None:
    linker = EntityLinker()
    (first,) = linker.link_article("a", [_mention("Новичок", "PER", "ru")])
    (thing,) = linker.link_article("b", [_mention("Новичок", "ORG", "ru")])
    assert thing == first and linker.entity(thing).type == "ORG"
    (person,) = linker.link_article("c", [_mention("Иван Новичок", "PER", "ru")])
    assert person != thing
    assert linker.entity(person).type == "PER"
