"""Conflicts between sources (storyline.compare) and the refinement rules."""

from __future__ import annotations

import pytest
from test_events import needs_seeds, seed_records

from storyline.assemble.events import build_events
from storyline.compare.conflicts import find_conflicts
from storyline.records import AttributeValue, Event, Source
from storyline.values import dates_compatible, duration_seconds, numbers_compatible

# --- refinement rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, ok",
    [
        ("2021-12", "2021-12-17", True),  # «в середине декабря» / 17 December
        ("2021-12-15", "2021-12-17", False),
        ("2022-01-09/2022-01-10", "2022-01-10", True),
        ("2022-01-09", "2022-01-10", False),
        ("2022", "2022-07-22", True),
        ("2022-01-09/2022-01-10", "2022-01-10/2022-01-11", False),
    ],
)
def test_dates_compatible(a: str, b: str, ok: bool) -> None:
    assert dates_compatible(a, b) is ok
    assert dates_compatible(b, a) is ok


def test_durations_and_numbers() -> None:
    assert duration_seconds("PT7H30M") == 27000
    assert duration_seconds("P8Y") == 8 * 365 * 86400
    four = duration_seconds("PT4H") or 0
    assert numbers_compatible(four, True, four, False, 0.05)  # «около 4 часов» / «4 часа»
    assert not numbers_compatible(27000, True, 28800, True, 0.05)  # 7,5 vs майже 8 годин
    assert not numbers_compatible(3, False, 4, False, 0.1)


def _event(sources: list[Source], attributes: list[AttributeValue]) -> Event:
    return Event(
        "ev_x", "talks", None, False, None, (), (), tuple(attributes), tuple(sources), False
    )


def _source(article: str, value: str | None, date_from: str = "text") -> Source:
    return Source(article, "text", 0, 1, "…", "…", value, date_from)


def test_refinements_are_not_conflicts_and_publication_dates_do_not_count() -> None:
    event = _event(
        [
            _source("a", "2021-12"),
            _source("b", "2021-12-17"),
            _source("c", "2021-12-15", "published"),
        ],
        [
            AttributeValue("duration", "PT4H", True, "a", "text", 0, 1),
            AttributeValue("duration", "PT4H", False, "b", "text", 0, 1),
        ],
    )
    assert find_conflicts(event) == ()


def test_conflict_lists_each_value_with_its_articles() -> None:
    event = _event(
        [
            _source("a", "2021-12-15"),
            _source("b", "2021-12-17"),
            _source("c", "2021-12-17"),
            _source("d", "2021-12"),
        ],
        [
            AttributeValue("count:killed", "3", False, "a", "text", 0, 1),
            AttributeValue("count:killed", "4", False, "b", "text", 0, 1),
        ],
    )
    found = {
        c.attribute: [(v.value, v.article_ids) for v in c.values] for c in find_conflicts(event)
    }
    assert found["date"] == [
        ("2021-12-15", ("a",)),
        ("2021-12-17", ("b", "c")),
    ]  # month d refines both
    assert found["count:killed"] == [("3", ("a",)), ("4", ("b",))]


# --- seeds -----------------------------------------------------------------------------------


@needs_seeds
def test_seed_disagreements_are_reported() -> None:
    records, entities = seed_records()
    lang = {r.article_id: r.lang for r in records}
    reported: dict[str, list[tuple[str, set[str | None]]]] = {}
    for event in build_events(records, entities):
        for conflict in find_conflicts(event):
            values = [(v.value, {lang[a] for a in v.article_ids}) for v in conflict.values]
            reported.setdefault(conflict.attribute, []).append(values)  # type: ignore[arg-type]
    dates = [dict(v) for v in reported["date"]]
    # «15 грудня» (uk) vs «17 декабря» (ru): the drafts' publication
    assert {"2021-12-15": {"uk"}, "2021-12-17": {"ru"}} in dates
    # «9 січня» (uk) vs 10 January: the first round in Geneva
    assert any(d.get("2022-01-09") == {"uk"} and "2022-01-10" in d for d in dates)
    # «около 7,5 часов» (ru) vs «майже вісім годин» (uk)
    assert [dict(v) for v in reported["duration"]] == [{"PT7H30M": {"ru"}, "PT8H": {"uk"}}]
