"""``storyline eval events``: the seeds' timeline paired with gold events of our own.

The seeds are ingested once through the real path (throwaway SQLite store); each test
then changes the gold or the timeline in one way and checks the score moves as the
module doc says.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyline.evaluation.events import (
    GoldEvent,
    Ingested,
    default_gold,
    evaluate_events,
    ingest_pages,
    read_gold,
)


@pytest.fixture(scope="module")
def seeds() -> Ingested:
    return ingest_pages()


@pytest.fixture(scope="module")
def gold() -> list[GoldEvent]:
    return read_gold(default_gold())


def _with(gold: list[GoldEvent], gold_id: str, **changes: object) -> list[GoldEvent]:
    return [replace(g, **changes) if g.id == gold_id else g for g in gold]  # type: ignore[arg-type]


def test_the_seeds_timeline_has_every_gold_event_once(seeds: Ingested, gold: list[GoldEvent]):
    report = evaluate_events(gold, seeds.accounts, seeds.texts)
    assert report.misses == []
    assert report.split == 0
    assert report.listed_found == report.listed == 7
    assert report.sourced == report.score.tp
    assert report.conflicts_found == report.conflicts_expected == 3


def test_a_gold_event_on_another_day_is_missed(seeds: Ingested, gold: list[GoldEvent]):
    moved = _with(gold, "osce-0113", date="2022-01-14")
    report = evaluate_events(moved, seeds.accounts, seeds.texts)
    assert [m["id"] for m in report.misses] == ["osce-0113"]
    assert report.score.fp == 1  # the 13 January event now matches nothing


def test_a_gold_event_in_another_place_is_missed(seeds: Ingested, gold: list[GoldEvent]):
    moved = _with(gold, "nrc-0112", place="Vienna|Вена")
    report = evaluate_events(moved, seeds.accounts, seeds.texts)
    assert "nrc-0112" in [m["id"] for m in report.misses]


def test_one_happening_shown_twice_counts_as_split(seeds: Ingested, gold: list[GoldEvent]):
    account = next(a for a in seeds.accounts if a.events)
    talks = next(e for e in account.events if e.date == "2022-01-10")
    doubled = replace(account, events=(*account.events, replace(talks, id="ev_copy")))
    report = evaluate_events(gold, [doubled], seeds.texts)
    assert report.split == 1
    assert report.score.fp == 1


def test_a_day_inside_a_gold_range_is_exact_and_a_month_is_not(
    seeds: Ingested, gold: list[GoldEvent]
):
    # the Geneva talks are dated 10 January: exact inside 9–11 January, not against 9 January
    widened = _with(gold, "geneva-0110", date="2022-01-09/2022-01-11")
    by_gold = {m["gold"]: m for m in evaluate_events(widened, seeds.accounts, seeds.texts).matches}
    assert by_gold["geneva-0110"]["dated_exactly"] is True
    moved = _with(gold, "geneva-0110", date="2022-01-09")
    assert "geneva-0110" in [m["id"] for m in evaluate_events(moved, seeds.accounts).misses]
    # seed 004 never prints the day of the Lavrov–Blinken talks: matched by its month only
    assert by_gold["lavrov-blinken-0121"]["date"] == "2022-01"
    assert by_gold["lavrov-blinken-0121"]["dated_exactly"] is False
