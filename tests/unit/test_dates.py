"""Date mentions as written, and the year a yearless date belongs to."""

from datetime import date

from paths import seed
from storyline.nlp.dates import find_dates, latest_explicit, resolve_year


def test_day_month_forms_in_three_languages() -> None:
    text = "Встреча 12 января, зустріч 9 січня, meeting on Jan. 10 and January 11, 2022."
    found = [(d.text, d.day, d.month, d.year) for d in find_dates(text)]
    assert found == [
        ("12 января", 12, 1, None),
        ("9 січня", 9, 1, None),
        ("Jan. 10", 10, 1, None),
        ("January 11, 2022", 11, 1, 2022),
    ]


def test_numeric_iso_and_month_year() -> None:
    text = "Опубліковано 10.01.2022, оновлено 2022-01-11; в декабре 2021 года и 17/07/2023."
    found = [(d.text, d.day, d.month, d.year, d.grain) for d in find_dates(text)]
    assert found == [
        ("10.01.2022", 10, 1, 2022, "day"),
        ("2022-01-11", 11, 1, 2022, "day"),
        ("декабре 2021", None, 12, 2021, "month"),
        ("17/07/2023", 17, 7, 2023, "day"),
    ]


def test_ranges_keep_both_days() -> None:
    (ru,) = find_dates("После этого 9 и 10 января в Женеве прошли переговоры")
    (uk,) = find_dates("переговори 9–10 січня")
    assert (ru.day, ru.end_day, ru.month) == (9, 10, 1)
    assert (uk.day, uk.end_day, uk.month) == (9, 10, 1)


def test_sentence_full_stop_is_not_part_of_a_month_name() -> None:
    (d,) = find_dates("Начало переговоров запланировано на 10 января.")
    assert d.text == "10 января"


def test_words_that_look_like_months_need_a_day() -> None:
    assert find_dates("They may be ready in March, the lyst said.") == []


def test_impossible_dates_are_not_dates() -> None:
    assert find_dates("счёт 31 февраля и 45.13.2022") == []


def test_year_closest_to_reference_not_always_the_past() -> None:
    reference = date(2022, 1, 12)
    (jan13,) = find_dates("13 января")
    (dec29,) = find_dates("29 декабря")
    assert resolve_year(jan13, reference) == date(2022, 1, 13)
    assert resolve_year(dec29, reference) == date(2021, 12, 29)


def test_leap_day_without_year_finds_a_leap_year() -> None:
    (d,) = find_dates("29 лютого")
    assert resolve_year(d, date(2023, 3, 1)) == date(2024, 2, 29)


def test_seed_dates_resolved_against_the_pages_own_anchor() -> None:
    text = seed("000").read_text(encoding="utf-8")
    mentions = find_dates(text)
    anchor = latest_explicit(mentions)
    assert anchor == date(2021, 12, 7)
    resolved = {m.text: resolve_year(m, anchor) for m in mentions}
    assert resolved["17 декабря"] == date(2021, 12, 17)
    assert resolved["12 января"] == date(2022, 1, 12)
    assert "1997" not in " ".join(resolved)  # «рубежей 1997 года» is a year, not a date
