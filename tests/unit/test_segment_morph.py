"""Sentences, tokens, lemmas and nominative forms of entity mentions (ru, uk, en)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from paths import DEV, seed
from storyline.nlp import morph
from storyline.nlp.segment import razdel_tokens, sentences, tokens


def _seed(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


def test_sentences_of_a_russian_seed_follow_lines_and_full_stops() -> None:
    text = _seed("003")
    found = [text[s.start : s.end] for s in sentences(text, "ru")]
    assert found[:2] == [
        "Прямой эфир",
        "В МИД России заявили об отказе идти на уступки по гарантиям безопасности",
    ]
    assert (
        "Россия не пойдет на какие-либо уступки по договорам о гарантиях безопасности "
        "с США и НАТО." in found
    )
    assert (
        "Об этом РИА Новости сообщил заместитель министра иностранных дел России Сергей Рябков."
        in found
    )
    spans = sentences(text, "ru")
    assert all(a.end <= b.start for a, b in pairwise(spans))
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() for s in spans)
    assert all("\n" not in text[s.start : s.end] for s in spans)


def test_tokens_point_into_the_text_with_lemmas_and_pos() -> None:
    text = _seed("003")
    toks = tokens(text, "ru")
    assert all(text[t.start : t.end] == t.text for t in toks)
    by_text = {t.text: t for t in toks}
    assert by_text["России"].lemma == "Россия"
    assert by_text["России"].pos == "PROPN"
    assert by_text["МИД"].lemma == "МИД"
    assert by_text["заявили"].lemma == "заявить"
    assert by_text["заявили"].pos == "VERB"
    assert by_text["В"].lemma == "в"  # a sentence-initial preposition is not an initial


def test_ukrainian_tokens_get_ukrainian_lemmas() -> None:
    text = _seed("002")
    by_text = {t.text: t for t in tokens(text, "uk")}
    # the Ukrainian dictionary has no Geox tag, so a place name's lemma is lower-cased
    assert by_text["Женеві"].lemma == "женева"
    assert by_text["Росією"].lemma == "росія"
    assert by_text["перемовини"].lemma == "перемовини"


def test_english_tokens_come_from_spacy() -> None:
    text = (DEV / "articles" / "007.txt").read_text(encoding="utf-8")
    toks = tokens(text, "en")
    assert all(text[t.start : t.end] == t.text for t in toks)
    words = [t.text for t in toks]
    assert "Fomin" in words and "’s" in words  # «Fomin’s» is two tokens
    assert all(not t.text.isspace() for t in toks)


def test_english_tokens_after_the_ner_are_the_tokenizers_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The English NER keeps its docs' tokens for the event mentions: the same tokens as
    spaCy's tokenizer gives the text, read without tokenizing it again. The kept tokens
    start empty: the test before this one tokenized the same page."""
    from storyline.memo import Memo
    from storyline.nlp import segment
    from storyline.nlp.ner import en

    monkeypatch.setattr(segment, "_spacy_kept", Memo(segment.TEXTS_KEPT))
    text = (DEV / "articles" / "007.txt").read_text(encoding="utf-8")
    real = en.nlp().tokenizer
    own = tuple((t.idx, t.idx + len(t.text), t.text) for t in real(text) if not t.is_space)
    en.tag_en_many([text])
    made = []
    monkeypatch.setattr(en.nlp(), "tokenizer", lambda t: made.append(t) or real(t))
    kept = tuple((t.start, t.end, t.text) for t in tokens(text, "en"))
    assert kept == own
    assert made == []


def test_a_tasks_texts_stay_tokenized_until_their_events_read_them() -> None:
    """A worker's task tags the body, title and lead of 8 pages before each page's event
    mentions tokenize them: the first page's body is still kept after the 24 texts."""
    pages = sorted((DEV / "articles").glob("*.txt"))[:8]
    lines = (line for p in pages for line in p.read_text(encoding="utf-8").splitlines())
    texts = list(dict.fromkeys(line for line in lines if line.strip()))[:24]
    assert len(texts) == 24
    for text in texts:
        razdel_tokens(text)
    before = razdel_tokens.cache_info().hits
    razdel_tokens(texts[0])
    assert razdel_tokens.cache_info().hits == before + 1


def test_languages_without_a_dictionary_still_get_tokens() -> None:
    toks = tokens("Rosja i Ukraina rozmawiają w Stambule.", "pl")
    assert [t.lemma for t in toks][:3] == ["rosja", "i", "ukraina"]
    assert all(t.pos is None for t in toks)


@pytest.mark.parametrize(
    ("text", "type_", "lang", "normal"),
    [
        ("Йенса Столтенберга", "PER", "ru", "Йенс Столтенберг"),
        ("Сергію Рябкову", "PER", "uk", "Сергій Рябков"),
        ("Женеві", "LOC", "uk", "Женева"),
        ("МИД России", "ORG", "ru", "МИД России"),
        (
            "Министерства иностранных дел России",
            "ORG",
            "ru",
            "Министерство иностранных дел России",
        ),
        ("Североатлантического альянса", "ORG", "ru", "Североатлантический альянс"),
        ("Марии Захаровой", "PER", "ru", "Мария Захарова"),
        ("Сергей Рябков", "PER", "ru", "Сергей Рябков"),
        ("Джо Байденом", "PER", "ru", "Джо Байден"),
        ("Венди Шерман", "PER", "ru", "Венди Шерман"),
        ("Соединенными Штатами", "LOC", "ru", "Соединенные Штаты"),
        ("Восточной Европе", "LOC", "ru", "Восточная Европа"),
        ("Совета Россия\xa0– НАТО", "ORG", "ru", "Совет Россия – НАТО"),
        ("Каховской ГЭС", "LOC", "ru", "Каховская ГЭС"),
        ("Крымском мосту", "LOC", "ru", "Крымский мост"),
        ("Пригожину", "PER", "ru", "Пригожин"),
        ("Хабиров", "PER", "ru", "Хабиров"),
        ("ТурцияОбщество", "LOC", "ru", "ТурцияОбщество"),
        ("МИДа", "ORG", "ru", "МИД"),
        ("Києві", "LOC", "uk", "Київ"),
        ("Харкові", "LOC", "uk", "Харків"),
        ("Чорному морі", "LOC", "uk", "Чорне море"),
        ("Міністерства оборони України", "ORG", "uk", "Міністерство оборони України"),
        ("Володимира Зеленського", "PER", "uk", "Володимир Зеленський"),
        ("росії", "LOC", "uk", "росія"),
        ("Putin's", "PER", "en", "Putin"),
        ("Recep Tayyip Erdogan", "PER", "en", "Recep Tayyip Erdogan"),
    ],
)
def test_normalize_gives_the_nominative(text: str, type_: str, lang: str, normal: str) -> None:
    assert morph.normalize(text, type_, lang) == normal


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("Женеве", "ru", "Женева"),
        ("НАТО", "ru", "НАТО"),
        ("Захаровой", "ru", "Захарова"),
        ("переговоров", "ru", "переговоры"),
        ("Столтенберга", "uk", "Столтенберг"),
        ("Столтенберга", None, "столтенберга"),
    ],
)
def test_lemma(word: str, lang: str | None, expected: str) -> None:
    assert morph.lemma(word, lang) == expected


def test_analyzers_exist_only_for_languages_with_a_dictionary() -> None:
    assert morph.analyzer("ru") is morph.analyzer("ru")
    assert morph.analyzer("uk") is not None
    assert morph.analyzer("en") is None
    assert morph.analyzer(None) is None
