"""What a reader sees of a story: the representative headline, the summary, top entities, rank.

Headlines and openings are real ones from the seed pages.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from storyline.assemble.surface import score, summary_of, surface, top_entities
from storyline.document import Article
from storyline.records import Member

TALKS_RU = "В Женеве завершились переговоры России и США по гарантиям безопасности"
TALKS_UK = "Переговори Росії та США в Женеві тривали майже вісім годин"
TALKS_RU_2 = "Рябков: переговоры с США в Женеве были трудными, но профессиональными"
OFF_TOPIC = "В Брюсселе прошло заседание Совета Россия — НАТО"


def member(
    key: str,
    title: str,
    lang: str,
    entities: set[str],
    *,
    outlet: str | None = None,
    day: date = date(2022, 1, 10),
) -> Member:
    article = Article(
        id=f"a_{key}",
        source=f"{key}.txt",
        text=f"{title}. Второе предложение статьи. Третье предложение.",
        title=title,
        lang=lang,
        outlet=outlet,
        published=datetime.combine(day, datetime.min.time()),
        published_precision="day",
    )
    return Member(article, frozenset(entities))


def test_title_is_the_headline_the_others_agree_with() -> None:
    members = [
        member("1", TALKS_RU, "ru", {"geneva", "ryabkov", "russia", "usa"}),
        member("2", OFF_TOPIC, "ru", {"brussels", "nato"}),
        member("3", TALKS_UK, "uk", {"geneva", "russia", "usa"}),
        member("4", TALKS_RU_2, "ru", {"geneva", "ryabkov", "usa"}),
    ]
    found = surface(members)
    assert found.title in (TALKS_RU, TALKS_RU_2)
    assert found.titles["uk"] == TALKS_UK and found.titles["ru"] != OFF_TOPIC
    assert found.title_in("uk") == TALKS_UK and found.title_in("en") == found.title
    assert found.languages == {"ru": 3, "uk": 1}


def test_summary_keeps_whole_sentences_within_the_limit() -> None:
    article = member("1", TALKS_RU, "ru", set()).article
    assert summary_of(article, limit=90) == f"{TALKS_RU}."
    assert summary_of(article.with_(text="", lead=None)) is None
    long = summary_of(article.with_(text="слово " * 200), limit=50)
    assert long is not None and long.endswith("…") and len(long) <= 51


def test_top_entities_prefer_what_is_rare_in_the_store() -> None:
    members = [member(str(i), TALKS_RU, "ru", {"russia", "ryabkov"}) for i in range(3)]
    df = {"russia": 900, "ryabkov": 5}
    assert top_entities(members, df, articles=1000)[:2] == ("ryabkov", "russia")


def test_rank_weighs_spread_against_age_the_same_on_any_day() -> None:
    day = date(2022, 1, 12)
    wide = score(sources=8, languages=3, size=10, growth=2, last=day)
    single = score(sources=1, languages=1, size=1, growth=1, last=day)
    assert wide > single
    # a lone page three weeks newer outranks the wide story; a day newer does not
    assert score(1, 1, 1, 1, day + timedelta(days=21)) > wide
    assert score(1, 1, 1, 1, day + timedelta(days=1)) < wide
    # shifting both stories by the same time never changes their order
    for shift in (30, 365, 3650):
        later = day + timedelta(days=shift)
        other = day + timedelta(days=shift + 5)
        assert (score(8, 3, 10, 2, later) > score(1, 1, 1, 1, other)) == (
            wide > score(1, 1, 1, 1, day + timedelta(days=5))
        )


def test_unknown_outlets_count_as_separate_sources() -> None:
    known = [member(str(i), TALKS_RU, "ru", {"geneva"}, outlet="tass.ru") for i in range(4)]
    unknown = [member(str(i), TALKS_RU, "ru", {"geneva"}) for i in range(4)]
    assert surface(unknown).score > surface(known).score
