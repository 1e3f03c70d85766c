"""Publication dates inferred from the text when the page prints none."""

from datetime import datetime

from paths import seed
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
