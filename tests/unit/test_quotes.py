"""Direct and indirect quotes with speakers (storyline.nlp.quotes), on real sentences.

Each text runs through the whole annotate stage (NER, roles, sentences), as in
production; a quote's speaker is checked by the entity it resolves to.
"""

from __future__ import annotations

import pytest

from storyline.document import Article
from storyline.nlp.annotations import Annotations, QuoteMention
from storyline.nlp.pipeline import annotate
from storyline.nlp.quotes import find_quotes


def notes(text: str, lang: str) -> Annotations:
    return annotate(Article(id="t", source="t", text=text, lang=lang))


def direct(text: str, lang: str) -> list[tuple[str, str | None]]:
    """(quote, the speaker entity's text) of each direct quote."""
    a = notes(text, lang)
    return [(q.text, speaker(a, q)) for q in a.quotes if q.kind == "direct"]


def speaker(a: Annotations, q: QuoteMention) -> str | None:
    return a.entities[q.speaker].text if q.speaker is not None else None


def test_quote_then_dash_and_verb_with_the_name() -> None:
    text = (
        "Об этом 29 марта заявил глава российской делегации Владимир Мединский.\n\n"
        '"Переговоры прошли конструктивно. Эти предложения будут рассмотрены в ближайшее '
        'время", – сказал Мединский.'
    )
    assert direct(text, "ru") == [
        (
            "Переговоры прошли конструктивно. Эти предложения будут рассмотрены в ближайшее время",
            "Мединский",
        )
    ]


def test_every_offset_points_at_its_text() -> None:
    text = (
        "Переговори делегацій завершилися. Рябков заявив: «Росія налаштована серйозно». "
        "За словами Шерман, Штати не дозволять Росії «зачинити» двері."
    )
    a = notes(text, "uk")
    assert a.quotes
    for q in a.quotes:
        assert text[q.start : q.end] == q.text
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text


def test_speaker_then_colon_then_quote() -> None:
    text = "Сергій Рябков заявив: «Росія налаштована серйозно і жорстко до цього питання»."
    assert direct(text, "uk") == [
        ("Росія налаштована серйозно і жорстко до цього питання", "Сергій Рябков")
    ]


def test_english_quote_then_name_and_said() -> None:
    text = (
        '"It will bring relief for developing countries on the edge of bankruptcy," '
        'Guterres said. "And let there be no doubt – this is an agreement for the world," '
        "he stressed."
    )
    got = direct(text, "en")
    assert [s for _, s in got] == ["Guterres", "Guterres"]
    assert got[1][0] == "And let there be no doubt – this is an agreement for the world,"


def test_pronoun_goes_to_the_subject_not_the_person_talked_to() -> None:
    # seed 000: the quote is Putin's, though Biden is the nearest name before «он»
    text = (
        "7 декабря 2021 года президент РФ Владимир Путин во время разговора с президентом "
        'США Джо Байденом заявил, что НАТО предпринимает попытки "освоения" территории '
        'Украины. "Поэтому Россия серьезно заинтересована в получении надежных гарантий", '
        "– сказал он."
    )
    got = direct(text, "ru")
    assert got == [
        ("освоения", "Владимир Путин"),
        ("Поэтому Россия серьезно заинтересована в получении надежных гарантий", "Владимир Путин"),
    ]


def test_feminine_pronoun_skips_a_man_named_later() -> None:
    text = (
        "Водночас Шерман наголосила, що США готові до діалогу. Рябков підкреслив, що Росія "
        "вимагає гарантій.\n\n«Ми побачимо, чи дійсно Росія розуміє, що найкращий спосіб "
        "продовжити дипломатію — це зменшити напругу», — підкреслила вона."
    )
    got = direct(text, "uk")
    assert got[-1][1] == "Шерман"


def test_role_word_goes_to_the_person_holding_the_role() -> None:
    text = (
        "Об этом РИА Новости сообщил заместитель министра иностранных дел России Сергей "
        "Рябков.\n\n«Но мы не пойдем ни на какие уступки», — добавил замминистра, "
        "отметив, что Россия не намерена действовать в разрез собственным интересам."
    )
    a = notes(text, "ru")
    (quote,) = [q for q in a.quotes if q.kind == "direct"]
    assert quote.speaker_text == "замминистра"
    assert speaker(a, quote) == "Сергей Рябков"
    indirect = [q for q in a.quotes if q.kind == "indirect" and q.cue == "отметив"]
    assert indirect[0].text.startswith("Россия не намерена")
    assert speaker(a, indirect[0]) == "Сергей Рябков"


def test_names_inside_the_quote_are_not_speakers() -> None:
    text = (
        "Об этом заявил министр иностранных дел России Сергей Лавров. «Энтони Блинкен сказал "
        "мне, что удовлетворен обменом мнениями», — отметил глава российского МИДа."
    )
    got = direct(text, "ru")
    assert got == [
        ("Энтони Блинкен сказал мне, что удовлетворен обменом мнениями", "Сергей Лавров")
    ]


def test_quote_interrupted_by_its_attribution_is_split() -> None:
    text = (
        "По словам Леонтьева, ночью было несколько попаданий в часть гидроэлектростанции. "
        "«Ее снесло, — сказал он. - Дамба не разрушена, и это огромное счастье»."
    )
    got = direct(text, "ru")
    assert [q for q, _ in got] == ["Ее снесло", "Дамба не разрушена, и это огромное счастье"]
    assert {s for _, s in got} == {"Леонтьева"}


def test_quote_over_two_paragraphs() -> None:
    text = (
        "Про це заявив глава Криму Сергій Аксьонов.\n\n«На Кримському мосту зупинено рух. "
        "Працюють правоохоронні органи.\n\nВживаються заходи для відновлення ситуації», - "
        "сказав Аксьонов."
    )
    (got,) = direct(text, "uk")
    assert got[0].startswith("На Кримському мосту") and got[0].endswith("ситуації")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            'Заседание стало вторым этапом переговоров по предложениям Москвы о "гарантиях '
            'безопасности". Песков заявил, что Россия не ведет переговоры по "гарантиям '
            'безопасности". Вечером переговоры по "гарантиям безопасности" завершились.',
            "ru",
        ),
        ('Представник так званий "глава парламенту" Криму заявив про вибух.', "uk"),
        ("Крейсер «Москва» після удару ракетами «Нептун» перевернувся, повідомили у ВМС.", "uk"),
        ('Ukraine\'s ruling "Servant of the People" party met on Monday.', "en"),
        ('За його словами, Альянс не відмовиться від політики "відкритих дверей".', "uk"),
        ('По словам Пескова, продолжение "политики открытых дверей" угрожает России.', "ru"),
        ('Blinken said the alliance would keep its "open door" policy.', "en"),
    ],
)
def test_terms_and_names_in_quotes_are_not_quotes(text: str, lang: str) -> None:
    assert direct(text, lang) == []


def test_words_of_a_document_go_to_who_issued_it() -> None:
    # «В них говорится» points back at the drafts, and so at who published them
    text = (
        "Президент Владимир Путин заявил: «Нам нужны гарантии». "
        "17 декабря МИД России распространил проекты договора с США. "
        'В них говорится, что США должны исключить расширение НАТО "в восточном направлении".'
    )
    assert direct(text, "ru")[-1] == ("в восточном направлении", "МИД России")


def test_no_cue_no_quote() -> None:
    text = "Президент подписал указ. Документ называется «О мерах поддержки экономики страны»."
    assert direct(text, "ru") == []


def test_indirect_speech_with_que_and_according_to() -> None:
    text = (
        "Об этом сообщил заместитель министра Сергей Рябков. Рябков заявил, что Москва не "
        "исключает, что переговоры могут ограничиться одной встречей. По словам Леонтьева, "
        "эвакуация из Новой Каховки не требуется."
    )
    a = notes(text, "ru")
    got = [(q.cue, q.text, speaker(a, q)) for q in a.quotes if q.kind == "indirect"]
    said = [(t, s) for c, t, s in got if c == "заявил"]
    assert said == [
        (
            "Москва не исключает, что переговоры могут ограничиться одной встречей",
            said[0][1],
        )
    ]
    assert said[0][1] is not None and said[0][1].endswith("Рябков")
    assert ("По словам", "эвакуация из Новой Каховки не требуется", "Леонтьева") in got


def test_english_fragment_with_the_subject_before_the_verb() -> None:
    text = (
        'Another adviser, Mykhailo Podolyak, said there were "intensive consultations" on '
        "several issues during the meeting."
    )
    assert direct(text, "en") == [("intensive consultations", "Mykhailo Podolyak")]


def test_language_without_a_table_gets_nothing() -> None:
    assert find_quotes("«Tak», powiedział Kowalski.", "pl", (), ()) == ()
