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


def test_a_dated_address_dates_the_page() -> None:
    from storyline.extract.published import published_from_url

    day = (datetime(2023, 7, 17), "day")
    assert published_from_url("https://euromaidanpress.com/2023/07/17/russia-suspends") == day
    assert published_from_url("https://my.ua/uk/news/cluster/2023-07-17-bankova/24b4") == day
    assert published_from_url("https://example.org/news/20230717/grain.html") == day
    assert published_from_url("https://example.org/2023/07/grain-deal") == (
        datetime(2023, 7, 1),
        "month",
    )


def test_ids_and_queries_in_an_address_are_not_dates() -> None:
    from storyline.extract.published import published_from_url

    # an id that happens to start with 20…, a timestamp, a date in the query string
    assert published_from_url("https://www.shine.cn/news/world/2207238339/") == (None, None)
    assert published_from_url("https://rbc.ua/rus/news/kuleba-1689614765.html") == (None, None)
    assert published_from_url("https://example.org/a?date=2023-07-17") == (None, None)
    assert published_from_url("https://example.org/2023/13/45/x") == (None, None)
    assert published_from_url(None) == (None, None)


def test_dev_addresses_agree_with_the_dates_their_pages_show() -> None:
    import json

    from storyline.extract.published import published_from_url

    rows = [json.loads(line) for line in (DEV / "manifest.jsonl").read_text().splitlines()]
    found = agree = 0
    for row in rows:
        when, precision = published_from_url(row["url"])
        if when is None:
            continue
        found += 1
        text = when.date().isoformat()[: 10 if precision == "day" else 7]
        agree += text == row["published"]
    assert found >= 30  # a third of the corpus carries its date in the address
    assert agree == found


def test_extraction_reads_the_address_when_the_page_has_no_date() -> None:
    from storyline.document import RawDocument
    from storyline.extract.article import extract_article

    path = DEV / "articles" / "015.txt"  # euromaidanpress, no date of its own on the page
    url = "https://euromaidanpress.com/2023/07/17/russia-suspends-black-sea-grain-deal"
    raw = RawDocument(str(path), path.read_bytes(), url=url)
    article = extract_article(raw, languages=("ru", "uk", "en"))
    assert (article.published, article.published_precision) == (datetime(2023, 7, 17), "day")
    assert not article.published_inferred
    bare = extract_article(RawDocument(str(path), path.read_bytes()), languages=("ru", "uk", "en"))
    assert bare.published is None  # the page alone does not say
