"""Event mentions (storyline.nlp.events) on hand-made sentences and on the real seeds.

The seed helpers here (extract → annotate body, title and lead → link → event
mentions) are shared with test_timeline.py and test_conflicts.py.
"""

from __future__ import annotations

from functools import cache

import pytest

from paths import SEEDS
from storyline.assemble.events import ArticleEvents, article_events
from storyline.assemble.linking import EntityLinker
from storyline.assemble.timeline import annotated_parts
from storyline.config import Settings
from storyline.document import Article, RawDocument
from storyline.extract.article import extract_article
from storyline.extract.published import published_from_storyline, storyline_window
from storyline.nlp.events import EventMention, find_event_mentions
from storyline.nlp.pipeline import annotate
from storyline.records import CanonicalEntity

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not available")


@cache
def seed_records() -> tuple[tuple[ArticleEvents, ...], dict[str, CanonicalEntity]]:
    """The five seeds, from raw pages to per-article event records, once per session."""
    languages = Settings().languages
    linker = EntityLinker()
    articles = [
        extract_article(RawDocument(str(path), path.read_bytes()), languages=languages)
        for path in sorted(SEEDS.glob("*.txt"))
    ]
    # as ingest does: the seeds are one storyline, whose stated days date the pages
    # that state none (004 and 001 print «21 января»-like days without a year)
    stated = [a.published.date() for a in articles if a.published and not a.published_inferred]
    window = storyline_window(stated)
    assert window is not None
    records = []
    for article in articles:
        if article.published is None:
            content = "\n\n".join(filter(None, (article.title, article.lead, article.text)))
            found = published_from_storyline(content, window)
            if found is not None:
                article = article.with_(
                    published=found.value,
                    published_precision=found.precision,
                    published_inferred=True,
                    published_evidence=found.source,
                )
        records.append(article_events(article, annotated_parts(article, linker)))
    return tuple(records), {e.id: e for e in linker.entities()}


def mentions_of(text: str, lang: str) -> tuple[EventMention, ...]:
    article = Article(id="a_test", source="test", text=text, lang=lang)
    return find_event_mentions(text, lang, annotate(article))


# --- hand-made sentences ---------------------------------------------------------------------


def test_generic_verb_with_noun_reports_talks_with_place_participants_duration() -> None:
    text = (
        "Вечером 10 января 2022 года в Женеве завершились переговоры США и России. "
        "Они продолжались около восьми часов."
    )
    found = mentions_of(text, "ru")
    assert len(found) == 2
    first, second = found
    assert first.type == "talks" and first.date == "2022-01-10"
    assert first.place is not None
    assert second.antecedent == 0  # «Они продолжались…» only continues the talks
    assert [(a.name, a.value, a.approximate) for a in second.attributes] == [
        ("duration", "PT8H", True)
    ]


def test_one_clause_per_date_in_a_list_of_happenings() -> None:
    text = (
        "Затем переговоры продолжатся 12 января 2022 года в Брюсселе и 13 января 2022 года в Вене."
    )
    found = mentions_of(text, "ru")
    assert [m.date for m in found] == ["2022-01-12", "2022-01-13"]
    assert all(m.type == "talks" for m in found)
    assert len({m.place for m in found}) == 2


def test_references_negations_and_infinitives_are_not_reports() -> None:
    for text, lang in [
        ("По итогам переговоров Песков заявил, что они прошли неудачно.", "ru"),
        ("У Росії знову підкреслили, що не мають жодних планів «нападу» на Україну.", "uk"),
        ("Рябков підкреслив, що Росія вимагає від НАТО припинити «освоєння» територій.", "uk"),
    ]:
        assert mentions_of(text, lang) == (), text


def test_undated_statement_is_not_an_event_but_a_dated_one_is() -> None:
    assert mentions_of("Песков заявил журналистам, что переговоры важны.", "ru") == ()
    (dated,) = mentions_of(
        "Песков заявил журналистам 12 января 2022 года, что переговоры важны.", "ru"
    )
    # the talks are inside what he said: the happening is his statement
    assert dated.type == "statement" and dated.date == "2022-01-12"


def test_delay_is_not_a_duration() -> None:
    text = (
        "Переговоры 12 января 2022 года продлились около четырех часов, хотя ожидалось, "
        "что встреча завершится примерно через три часа."
    )
    (mention,) = mentions_of(text, "ru")
    assert [a.value for a in mention.attributes if a.name == "duration"] == ["PT4H"]


def test_english_trigger_forms() -> None:
    (mention,) = mentions_of("The grain deal was signed in Istanbul on July 22, 2022.", "en")
    assert mention.type == "signing" and mention.date == "2022-07-22"


def test_counts_of_people() -> None:
    (mention,) = mentions_of(
        "8 октября 2022 года на мосту произошел взрыв, погибли три человека.", "ru"
    )
    assert mention.type == "explosion"
    assert ("count:killed", "3") in [(a.name, a.value) for a in mention.attributes]


# --- seeds -------------------------------------------------------------------------------------


@needs_seeds
def test_seed_mentions_cover_the_dated_happenings() -> None:
    records, _ = seed_records()
    by_type: dict[str, set[str]] = {}
    for record in records:
        for part in record.parts:
            for m in part.mentions:
                if m.date:
                    by_type.setdefault(m.type, set()).add(m.date)
    assert "2021-12-07" in by_type["call"]
    # 001 prints «15 грудня» and «26 січня» and no year: its storyline supplies it
    assert {"2021-12-17", "2021-12-15"} <= by_type["publication"]
    assert {"2022-01-10", "2022-01-12", "2022-01-13"} <= by_type["talks"] | by_type["meeting"]
    assert "2022-01-26" in by_type["delivery"]


@needs_seeds
def test_seed_read_also_and_boilerplate_give_no_mentions() -> None:
    records, _ = seed_records()
    for record in records:
        for part in record.parts:
            for m in part.mentions:
                sentence = part.text[m.sentence_start : m.sentence_end]
                assert not sentence.startswith(("Читайте також", "Читайте также")), sentence
