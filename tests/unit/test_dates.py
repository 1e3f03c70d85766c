"""Dates as written, and dates put on the calendar against the day a page speaks from."""

from datetime import date, datetime

import pytest

from paths import DEV, seed
from storyline.nlp.dates import find_dates, find_written_dates, latest_explicit, resolve_year

JAN12 = date(2022, 1, 12)


def values(text: str, published: date | None = None, **kw: object) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in find_dates(text, published, **kw)]


def dev(article: str) -> str:
    return (DEV / "articles" / f"{article}.txt").read_text(encoding="utf-8")


# ----------------------------------------------------------------- written dates (raw finder)


def test_day_month_forms_in_three_languages() -> None:
    text = "Встреча 12 января, зустріч 9 січня, meeting on Jan. 10 and January 11, 2022."
    found = [(d.text, d.day, d.month, d.year) for d in find_written_dates(text)]
    assert found == [
        ("12 января", 12, 1, None),
        ("9 січня", 9, 1, None),
        ("Jan. 10", 10, 1, None),
        ("January 11, 2022", 11, 1, 2022),
    ]


def test_numeric_iso_and_month_year() -> None:
    text = "Опубліковано 10.01.2022, оновлено 2022-01-11; в декабре 2021 года и 17/07/2023."
    found = [(d.text, d.day, d.month, d.year, d.grain) for d in find_written_dates(text)]
    assert found == [
        ("10.01.2022", 10, 1, 2022, "day"),
        ("2022-01-11", 11, 1, 2022, "day"),
        ("декабре 2021", None, 12, 2021, "month"),
        ("17/07/2023", 17, 7, 2023, "day"),
    ]


def test_year_glued_to_the_comma_and_comma_after_the_month() -> None:
    # dev 032 "Published July 22,2022"; "27 Sep, 2022 15:19" in another dev page
    found = [(d.text, d.year) for d in find_written_dates("Published July 22,2022; 27 Sep, 2022")]
    assert found == [("July 22,2022", 2022), ("27 Sep, 2022", 2022)]


def test_ranges_keep_both_days() -> None:
    (ru,) = find_written_dates("После этого 9 и 10 января в Женеве прошли переговоры")
    (uk,) = find_written_dates("переговори 9–10 січня")
    assert (ru.day, ru.end_day, ru.month) == (9, 10, 1)
    assert (uk.day, uk.end_day, uk.month) == (9, 10, 1)


def test_sentence_full_stop_is_not_part_of_a_month_name() -> None:
    (d,) = find_written_dates("Начало переговоров запланировано на 10 января.")
    assert d.text == "10 января"


def test_words_that_look_like_months_need_a_day_to_be_written_dates() -> None:
    assert find_written_dates("They may be ready in March, the lyst said.") == []


def test_impossible_dates_are_not_dates() -> None:
    assert find_written_dates("счёт 31 февраля и 45.13.2022") == []
    assert find_dates("счёт 31 февраля и 45.13.2022", JAN12) == ()


def test_year_closest_to_reference_not_always_the_past() -> None:
    (jan13,) = find_written_dates("13 января")
    (dec29,) = find_written_dates("29 декабря")
    assert resolve_year(jan13, JAN12) == date(2022, 1, 13)
    assert resolve_year(dec29, JAN12) == date(2021, 12, 29)


def test_leap_day_without_year_finds_a_leap_year() -> None:
    (d,) = find_written_dates("29 лютого")
    assert resolve_year(d, date(2023, 3, 1)) == date(2024, 2, 29)


def test_seed_dates_resolved_against_the_pages_own_anchor() -> None:
    text = seed("000").read_text(encoding="utf-8")
    mentions = find_written_dates(text)
    anchor = latest_explicit(mentions)
    assert anchor == date(2021, 12, 7)
    resolved = {m.text: resolve_year(m, anchor) for m in mentions}
    assert resolved["17 декабря"] == date(2021, 12, 17)
    assert resolved["12 января"] == date(2022, 1, 12)
    assert "1997" not in " ".join(resolved)  # «рубежей 1997 года» is a year, not a date


# ----------------------------------------------------------------- find_dates: resolved values


def test_issue_examples_closest_year_to_publication() -> None:
    (jan13,) = find_dates("а на 13 января намечена встреча", JAN12)
    (dec17,) = find_dates("17 декабря МИД РФ распространил проекты", JAN12)
    assert (jan13.value, jan13.grain, jan13.kind, jan13.inferred) == (
        "2022-01-13",
        "day",
        "partial",
        True,
    )
    assert dec17.value == "2021-12-17"


def test_written_year_wins_and_is_not_inferred() -> None:
    (d,) = find_dates("7 декабря 2021 года президент РФ Владимир Путин", JAN12)
    assert (d.text, d.value, d.kind, d.inferred) == (
        "7 декабря 2021",
        "2021-12-07",
        "absolute",
        False,
    )


def test_ranges_resolve_to_an_interval() -> None:
    text = seed("004").read_text(encoding="utf-8")
    (ru,) = [m for m in find_dates(text, date(2022, 1, 21)) if m.kind == "range"]
    (uk,) = find_dates("переговори 9–10 січня", date(2022, 1, 21))
    assert (ru.text, ru.value) == ("9 и 10 января", "2022-01-09/2022-01-10")
    assert (uk.value, uk.grain, uk.kind) == ("2022-01-09/2022-01-10", "day", "range")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Об этом вчера сообщил Песков.", "2022-01-11"),
        ("Позавчера делегации встретились.", "2022-01-10"),
        ("Про це вчора повідомив Рябков.", "2022-01-11"),
        ("Зустріч відбулася позавчора.", "2022-01-10"),
        ("Рішення ухвалять завтра.", "2022-01-13"),
        ("The talks ended yesterday in Geneva.", "2022-01-11"),
        ("The day before yesterday the envoys met.", "2022-01-10"),
        ("Ответ представят на следующей неделе.", "2022-01-17/2022-01-23"),
        ("Відповідь нададуть наступного тижня.", "2022-01-17/2022-01-23"),
        ("Officials met last week in Brussels.", "2022-01-03/2022-01-09"),
        ("В прошлом году НАТО расширилось.", "2021"),
        ("Talks resume next month.", "2022-02"),
    ],
)
def test_relative_words_resolve_against_publication(text: str, value: str) -> None:
    (m,) = find_dates(text, JAN12)
    assert (m.value, m.kind, m.inferred) == (value, "relative", True)


def test_a_day_later_counts_from_the_date_just_named() -> None:
    # seed 004: «12 января документы обсудили … Еще через день прошел третий раунд»
    text = seed("004").read_text(encoding="utf-8")
    (later,) = [m for m in find_dates(text, date(2022, 1, 21)) if m.text == "через день"]
    assert later.value == "2022-01-13"
    (alone,) = find_dates("Переговоры продолжатся через день.", JAN12)
    assert alone.value == "2022-01-13"


def test_today_words_take_the_publication_day_and_the_eve_the_day_before() -> None:
    found = values("Сегодня Песков заявил. Сьогодні і today. Накануне Лавров прибыл.", JAN12)
    assert found == [
        ("Сегодня", "2022-01-12"),
        ("Сьогодні", "2022-01-12"),
        ("today", "2022-01-12"),
        ("Накануне", "2022-01-11"),
    ]
    # chained: «Накануне» after a named day is the day before it (train D037's layout)
    assert ("Накануне", "2022-01-09") in values(
        "10 января прошли переговоры. Накануне она заявила.", JAN12
    )


def test_words_that_are_no_day_are_not_reported() -> None:
    # «накануне встречи» is "on the eve of the meeting"; "Russia Today" is a name (dev 108);
    # «сейчас» and "now" say now, not which day
    assert find_dates("Накануне встречи сейчас и now.", JAN12) == ()
    assert find_dates("“We are talking about sabotage,” Russia Today quoted Peskov.", JAN12) == ()


def test_relative_words_in_real_sentences() -> None:
    # eval/gold/relative_dates.jsonl: 52 phrases from dev and train pages, read by hand
    from storyline.evaluation.dates import evaluate_relative

    result = evaluate_relative()
    assert result["phrases"] >= 50
    assert result["accuracy"] >= 0.85, result["wrong"]


def test_weekdays_resolve_to_the_day_they_name() -> None:
    # dev 068 (published Tuesday 27 Sep 2022): leaks began "on Monday", said "on Tuesday"
    found = values(dev("068"), date(2022, 9, 27))
    assert ("Monday", "2022-09-26") in found
    assert ("Tuesday", "2022-09-27") in found
    # dev 108 (published Wednesday 7 June 2023): "on Tuesday"
    assert ("Tuesday", "2023-06-06") in values(dev("108"), date(2023, 6, 7))


def test_weekday_next_to_a_date_takes_that_date() -> None:
    # dev 067 gives no year and no publication date: the story's date is the anchor
    found = values(dev("067"), anchor=date(2023, 8, 24))
    assert found == [
        ("23 серпня", "2023-08-23"),
        ("середу", "2023-08-23"),
        ("23 серпня", "2023-08-23"),
    ]


def test_weekday_fixes_the_year_of_a_yearless_date() -> None:
    # a sidebar printed in 2024 on a page that speaks of March 2022: 2 May 2024 is a Thursday
    assert values("RU  UA  EN  четверг, 2 мая", date(2022, 3, 29)) == [
        ("четверг", "2024-05-02"),
        ("2 мая", "2024-05-02"),
    ]


def test_ukrainian_among_is_not_wednesday_and_environment_is_not() -> None:
    assert find_dates("Серед них є вимога. Вплив на навколишнє середовище.", JAN12) == ()
    assert find_dates("Выбросы в окружающую среду.", JAN12) == ()
    assert values("Переговоры прошли в среду.", JAN12) == [("среду", "2022-01-12")]


def test_months_alone_resolve_to_the_nearest_month() -> None:
    assert values("в январе проведут переговоры", JAN12) == [("январе", "2022-01")]
    assert values(" В середине декабря МИД России опубликовал", JAN12) == [
        ("середине декабря", "2021-12")
    ]
    assert values("у грудні Росія оприлюднила пропозиції", JAN12) == [("грудні", "2021-12")]
    assert values("They may be ready in March.", JAN12) == [("March", "2022-03")]


def test_last_month_name_is_the_previous_one() -> None:
    # dev 069 and 045, both published 17 July 2023
    assert ("last July", "2022-07") in values(dev("069"), date(2023, 7, 17))
    assert ("Last October", "2022-10") in values(dev("045"), date(2023, 7, 17))


def test_bare_years_are_year_mentions() -> None:
    found = find_dates(dev("045"), date(2023, 7, 17))
    years = [(m.text, m.value, m.grain) for m in found if m.grain == "year"]
    assert years == [("2014", "2014", "year"), ("2018", "2018", "year")]
    assert values("Более 2000 человек и 1 193 просмотра", JAN12) == []


@pytest.mark.parametrize(
    "text",
    [
        "Він наголосив, що переговори ведуться через вісім років після окупації Криму.",
        "Переговоры продлились около четырех часов.",
        "Йдеться про держави, які увійшли до складу Альянсу після 1997 року.",
        "Вернуть войска к рубежам 1997 года.",
        "За останні 25 років до Альянсу вступили нові країни.",
        "Переговоры продолжались приблизительно 7,5 часов.",
    ],
)
def test_durations_and_years_never_become_day_dates(text: str) -> None:
    assert all(m.grain != "day" for m in find_dates(text, JAN12))


def test_1997_is_a_year_not_a_day() -> None:
    (m,) = find_dates("після 1997 року", JAN12)
    assert (m.text, m.value, m.grain, m.kind) == ("1997", "1997", "year", "absolute")


def test_without_publication_date_the_pages_latest_year_resolves() -> None:
    text = seed("000").read_text(encoding="utf-8")
    found = find_dates(text)  # latest written year: 7 декабря 2021
    by_text = {m.text: m for m in found}
    assert by_text["13 января"].value == "2022-01-13"
    assert by_text["17 декабря"].value == "2021-12-17"
    assert by_text["13 января"].inferred


def test_an_anchor_resolves_a_page_with_no_year() -> None:
    # dev 002 writes «29 марта» twice and no year anywhere
    assert values(dev("002")) == [("29 марта", "--03-29"), ("29 марта", "--03-29")]
    assert values(dev("002"), anchor=date(2022, 3, 29)) == [
        ("29 марта", "2022-03-29"),
        ("29 марта", "2022-03-29"),
    ]


def test_published_may_be_a_datetime() -> None:
    (m,) = find_dates("13 января", datetime(2022, 1, 12, 19, 45))
    assert m.value == "2022-01-13"


def test_lang_narrows_word_tables_but_not_month_names() -> None:
    text = "Вчора, 11 січня, and yesterday"
    assert [m.text for m in find_dates(text, JAN12, "uk")] == ["Вчора", "11 січня"]
    assert [m.text for m in find_dates(text, JAN12)] == ["Вчора", "11 січня", "yesterday"]


def test_spans_point_into_the_text() -> None:
    text = seed("003").read_text(encoding="utf-8")
    for m in find_dates(text, date(2022, 1, 9)):
        assert text[m.start : m.end] == m.text


def test_next_and_last_weekdays() -> None:
    # 12 January 2022 is a Wednesday
    assert values("Встреча пройдет в следующую среду.", JAN12) == [
        ("в следующую среду", "2022-01-19")
    ]
    assert values("They met last Monday.", JAN12) == [("last Monday", "2022-01-10")]
    assert values("Зустріч відбудеться наступного понеділка.", JAN12) == [
        ("наступного понеділка", "2022-01-17")
    ]
