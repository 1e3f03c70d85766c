"""Publication dates inferred from the text when the page prints none."""

from datetime import date, datetime

from paths import DEV, seed
from storyline.extract.published import infer_published


def test_reporting_clause_dates_the_page() -> None:
    # «Об этом 12 января пишет ТАСС» in a page that also writes «7 декабря 2021 года»
    text = seed("000").read_text(encoding="utf-8")
    assert infer_published(text) == (datetime(2022, 1, 12), "day")


def test_announced_future_dates_do_not_move_publication() -> None:
    text = (
        "7 декабря 2021 года стороны договорились. 29 декабря в Госдепартаменте сообщили, "
        "что 12 января проходит встреча, а на 13 января намечена другая."
    )
    assert infer_published(text) == (datetime(2021, 12, 29), "day")


def test_no_year_anywhere_means_no_guess() -> None:
    text = seed("001").read_text(encoding="utf-8")  # only «26 січня», «15 грудня», «1997 року»
    assert infer_published(text) == (None, None)


def test_without_a_reporting_clause_only_the_month_is_claimed() -> None:
    text = "В декабре 2021 года Россия направила проекты. 12 января документы обсудили в Брюсселе."
    assert infer_published(text) == (datetime(2022, 1, 1), "month")


def test_a_publication_label_dates_the_page() -> None:
    # dev 069 (graphicnews): planner lines "DUE Dec 6" come first; the page ends with its label
    text = (DEV / "articles" / "069.txt").read_text(encoding="utf-8")
    assert infer_published(text) == (datetime(2023, 7, 17), "day")
    # dev 032: "Published July 22,2022"
    text = (DEV / "articles" / "032.txt").read_text(encoding="utf-8")
    assert infer_published(text) == (datetime(2022, 7, 22), "day")


def test_an_anchor_resolves_a_page_that_writes_no_year() -> None:
    text = "Про це 26 січня заявив Столтенберг. 15 грудня Росія оприлюднила пропозиції."
    assert infer_published(text) == (None, None)
    assert infer_published(text, anchor=date(2022, 1, 20)) == (datetime(2022, 1, 26), "day")
