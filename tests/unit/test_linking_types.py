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
