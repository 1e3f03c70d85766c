"""Russian officials written in lower case on purpose («путін заявив», «дмитро пєсков»),
on the pages where they were missed: dev 124 and 130, train E047 and E058 (Ukrainian),
dev 121 (a Ukrainian outlet's Russian edition). The ``lowercase`` table of
``ner_known.json`` finds them as persons; they are normalised, linked and shown as the
capitalised name, and speak their quotes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import DEV, TRAIN
from storyline.assemble.linking import EntityLinker
from storyline.nlp.morph import common_word
from storyline.nlp.ner.known import known_names, lowercase_names
from storyline.nlp.ner.registry import recognize

pytestmark = pytest.mark.skipif(
    not (DEV.exists() and TRAIN.exists()), reason="dev and train corpora not available"
)

PAGES = {"124": DEV, "130": DEV, "121": DEV, "089": DEV, "E047": TRAIN, "E058": TRAIN}
LANG = {"124": "uk", "130": "uk", "121": "ru", "089": "ru", "E047": "uk", "E058": "uk"}


def _text(page: str) -> str:
    return (PAGES[page] / "articles" / f"{page}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("page", "written", "normal"),
    [
        ("124", "путіна", "Путін"),  # «ордер на арешт президента росії путіна»
        ("130", "дмитра пєскова", "Дмитро Пєсков"),
        ("130", "дмитро пєсков", "Дмитро Пєсков"),
        ("130", "марія захарова", "Марія Захарова"),  # «захарова» alone is an adjective
        ("E047", "путін", "Путін"),
        ("E058", "сергій шойгу", "Сергій Шойгу"),
        ("E058", "шойгу", "Шойгу"),
        ("E058", "володимиру путіну", "Володимир Путін"),
        ("121", "владимира путина", "Владимир Путин"),
    ],
)
def test_a_person_written_in_lower_case_is_a_person(page: str, written: str, normal: str) -> None:
    found = {(m.text, m.type, m.normal) for m in recognize(_text(page), LANG[page])}
    assert (written, "PER", normal) in found


def _annotated(linker: EntityLinker, page: str) -> list[tuple[str, str | None]]:
    """(quote, linked speaker name) of the page's direct quotes, as an ingest finds them."""
    from storyline.config import Settings
    from storyline.document import RawDocument
    from storyline.extract.article import extract_article
    from storyline.nlp.pipeline import annotate

    path: Path = PAGES[page] / "articles" / f"{page}.txt"
    article = extract_article(
        RawDocument(str(path), path.read_bytes()), languages=Settings().languages
    )
    notes = annotate(article)
    ids = linker.link_article(article.id, notes.entities, article.text)
    out = []
    for quote in notes.quotes:
        linked = ids[quote.speaker] if quote.speaker is not None else None
        out.append((quote.text, linker.entity(linked).name if linked else None))
    return out


@pytest.mark.parametrize(
    ("page", "quote", "speaker"),
    [
        # «шойгу заявив, що війська не змогли захопити «Азовсталь»…»
        ("E058", "взяття Маріуполя под контроль", "Sergei Shoigu"),
        # «дмитро пєсков заявив, що зернова угода «фактично зупинила дію» і відновиться …»
        ("130", "тільки-но російська частина угоди буде виконана", "Dmitry Peskov"),
        # «путін звинуватив Захід … і заявив, що рф захищатиме … «усіма наявними у нас засобами»»
        ("E047", "усіма наявними у нас засобами", "Putin"),
    ],
)
def test_a_lower_case_speaker_speaks_his_quote(page: str, quote: str, speaker: str) -> None:
    assert (quote, speaker) in _annotated(EntityLinker(), page)


def test_the_lower_case_name_links_to_the_capitalised_person() -> None:
    # dev 089 (ru) names «Дмитрий Песков» capitalised; dev 130 (uk) writes «дмитро пєсков»;
    # train E058 «володимиру путіну», dev 121 (ru) «владимира путина»: one person each
    linker = EntityLinker()
    spoken = {page: _annotated(linker, page) for page in ("089", "130", "E058", "121")}
    by_name = {e.name: e for e in linker.entities() if e.type == "PER"}
    peskov = by_name["Dmitry Peskov"]
    assert {"Дмитрий Песков", "Дмитро Пєсков"} <= set(peskov.names.values())
    assert ("тільки-но російська частина угоди буде виконана", "Dmitry Peskov") in spoken["130"]
    putin = by_name["Vladimir Putin"]
    assert {"Володимир Путін", "Владимир Путин"} <= set(putin.names.values())
    assert not {n for n in by_name if "Pieskov" in n or "Volodymyr Putin" in n}


def test_a_surname_that_is_a_common_word_is_found_only_in_full() -> None:
    # ru «песков» is the genitive plural of «песок» (sand): «дмитрий песков» only
    assert ("PER", "песков") not in lowercase_names("ru")
    assert known_names("В пустыне много песков.", "ru") == []
    text = "пресс-секретарь дмитрий песков заявил"
    assert [(text[s:e], t) for s, e, t in known_names(text, "ru")] == [("дмитрий песков", "PER")]
    # every surname the table finds alone is a name to the morphology, not a common word
    for lang in ("ru", "uk"):
        for type_, form in lowercase_names(lang):
            if type_ == "PER" and " " not in form:
                assert not common_word(form, lang), (lang, form)


def test_a_capitalised_name_and_other_words_are_left_to_the_tagger() -> None:
    # the table holds lower-case forms: «Путін» is the tagger's; «путівка» is no name
    assert known_names("Путін заявив. Путівка до моря.", "uk") == []


def test_a_surname_inflected_into_a_common_word_is_no_person() -> None:
    # NER-UK test: «лавровий листок» (bay leaf) was taken for Lavrov; the minister in full
    # is still found
    text = "Додаємо перець, лавровий листок. Слова сергія лаврова."
    found = [(text[s:e], t) for s, e, t in known_names(text, "uk")]
    assert found == [("сергія лаврова", "PER")]
