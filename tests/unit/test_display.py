"""Dates, headlines and outlets as a reader sees them, in every interface language."""

from __future__ import annotations

from datetime import date, datetime

from paths import seed
from storyline.display import (
    date_label,
    headline,
    outlet_label,
    published_label,
    published_sort_key,
)
from storyline.document import Article, RawDocument
from storyline.extract.article import extract_article


def test_a_month_is_a_month_never_its_first_day() -> None:
    when = datetime(2022, 1, 1)
    assert published_label(when, "month", "en") == "January 2022"
    assert published_label(when, "month", "uk") == "січень 2022"
    assert published_label(when, "month", "ru") == "январь 2022"
    assert published_label(when, "year", "en") == "2022"
    assert published_label(datetime(2022, 1, 26), "day", "uk") == "26 січня 2022"
    assert published_label(datetime(2022, 1, 10, 19, 45), "minute", "en") == "10 Jan 2022, 19:45"
    assert published_label(None, None) is None
    assert published_label(date(2022, 1, 26), "day", "en") == "26 Jan 2022"  # a date, no time


def test_date_values_in_words() -> None:
    assert date_label("2022-01-09/2022-01-10", "ru") == "9–10 января 2022"
    assert date_label("2021-12", "en") == "December 2021"
    assert date_label("2022", "en") == "2022"
    assert date_label("not a date", "en") == "not a date"


def test_months_sort_after_the_days_they_may_be() -> None:
    day = Article(
        id="a", source="s", text="t", published=datetime(2022, 1, 26), published_precision="day"
    )
    month = day.with_(id="b", published=datetime(2022, 1, 1), published_precision="month")
    undated = day.with_(id="c", published=None, published_precision=None)
    order = sorted([undated, month, day], key=published_sort_key)
    assert [a.id for a in order] == ["a", "b", "c"]


def test_an_untitled_page_shows_its_first_sentence_marked() -> None:
    # train pages often start without a headline; a made one from a seed's body here
    page = extract_article(RawDocument("s", seed("001").read_bytes()), languages=("uk", "ru"))
    assert headline(page).text == page.title and not headline(page).first_sentence
    untitled = page.with_(title=None, lead=None)
    shown = headline(untitled)
    assert shown.first_sentence and shown.text and page.id not in shown.text
    assert untitled.text.startswith(shown.text.rstrip("…"))
    assert len(shown.text) <= 141


def test_outlets_by_their_names() -> None:
    assert outlet_label("censor.net", "uk") == "Цензор.НЕТ"
    assert outlet_label("www.censor.net", "en") == "Censor.NET"
    assert outlet_label("unknown-site.example", "en") == "unknown-site.example"
    assert outlet_label(None) is None
