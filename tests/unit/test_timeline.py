"""Events merged across the five seeds (ru/uk) and the timeline they make."""

from __future__ import annotations

import pytest
from test_events import needs_seeds, seed_records

from storyline.assemble.events import build_events, timeline
from storyline.compare.coverage import coverage, load_groups
from storyline.records import Event

pytestmark = needs_seeds


@pytest.fixture(scope="module")
def events() -> list[Event]:
    records, entities = seed_records()
    return build_events(records, entities)


def _find(
    events: list[Event], event_type: set[str], place: str | None, dates: set[str]
) -> list[Event]:
    return [
        e
        for e in events
        if e.type in event_type
        and e.date in dates
        and (place is None or (e.place and e.names[e.place][""] == place))
    ]


def _who(event: Event) -> set[str]:
    return {event.names[p][""] for p in event.participants if p in event.names}


# The timeline read off the seeds by hand: (types, place, accepted dates, participants).
EXPECTED = [
    ({"call"}, None, {"2021-12-07"}, {"Vladimir Putin", "Joe Biden"}),
    ({"publication", "delivery"}, None, {"2021-12-15", "2021-12-17"}, {"NATO"}),
    ({"talks", "meeting"}, "Geneva", {"2022-01-10"}, {"United States", "Russia"}),
    ({"talks", "meeting"}, "Brussels", {"2022-01-12"}, {"NATO–Russia Council"}),
    ({"talks", "meeting"}, "Vienna", {"2022-01-13"}, {"OSCE"}),
    # 004 never states the day (21 Jan): its undated report is dated by its publication
    # month, which its storyline gives as January 2022.
    ({"talks", "meeting"}, "Geneva", {"2022-01"}, {"Sergey Lavrov", "Antony Blinken"}),
    ({"delivery"}, None, {"2022-01-26"}, {"NATO"}),
]


@pytest.mark.parametrize("types, place, dates, who", EXPECTED)
def test_each_event_once_dated_placed_sourced(events, types, place, dates, who) -> None:  # type: ignore[no-untyped-def]
    found = _find(events, types, place, dates)
    assert len(found) == 1, [e.title() for e in found]
    (event,) = found
    assert who <= _who(event)
    assert event.sources and all(s.sentence for s in event.sources)
    assert event.id.startswith("ev_")


def test_sources_from_every_language(events) -> None:  # type: ignore[no-untyped-def]
    (geneva,) = _find(events, {"talks"}, "Geneva", {"2022-01-10"})
    assert len(geneva.article_ids) >= 4  # 000, 001, 002, 003 (and 004's 9–10 Jan range)
    records, _ = seed_records()
    langs = {r.lang for r in records if r.article_id in geneva.article_ids}
    assert langs == {"ru", "uk"}


def test_nato_council_and_osce_stay_apart(events) -> None:  # type: ignore[no-untyped-def]
    brussels = _find(events, {"talks", "meeting"}, "Brussels", {"2022-01-12"})
    vienna = _find(events, {"talks", "meeting"}, "Vienna", {"2022-01-13"})
    assert brussels and vienna and brussels[0].id != vienna[0].id


def test_timeline_order_and_titles(events) -> None:  # type: ignore[no-untyped-def]
    line = timeline(events)
    keys = [e.date for e in line]
    assert keys == sorted(keys, key=lambda d: (d[:7], d))
    (geneva,) = _find(line, {"talks"}, "Geneva", {"2022-01-10"})
    assert geneva.title("en") in (
        "United States–Russia talks, Geneva, 10 Jan 2022",
        "Russia–United States talks, Geneva, 10 Jan 2022",
    )
    assert geneva.title("ru").startswith("Переговоры") and "Женева" in geneva.title("ru")
    assert "10 січня 2022" in geneva.title("uk")


def test_ids_are_stable(events) -> None:  # type: ignore[no-untyped-def]
    records, entities = seed_records()
    again = build_events(records, entities)
    assert [e.id for e in again] == [e.id for e in events]


def test_coverage_by_group(events) -> None:  # type: ignore[no-untyped-def]
    records, _ = seed_records()
    outlets = {r.article_id: r.outlet for r in records}
    report = coverage(events, outlets)
    depo = next(r.article_id for r in records if r.outlet == "depo.ua")
    with_depo = {e.id for e in events if depo in e.article_ids}
    for row in report.events:
        assert ("Ukrainian media" in row.groups) == (row.event_id in with_depo)
    assert set(report.missing["Ukrainian media"]) == {e.id for e in events} - with_depo


def test_outlet_groups_file_and_suffixes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    groups = load_groups()
    assert groups.group("amp.ren.tv") == "Russian media"
    assert groups.group("example.com.ua") == "Ukrainian media"
    assert groups.group(None) == "unknown"
    custom = tmp_path / "groups.json"
    custom.write_text('{"domains": {"ren.tv": "state TV"}}', encoding="utf-8")
    assert load_groups(custom).group("ren.tv") == "state TV"
