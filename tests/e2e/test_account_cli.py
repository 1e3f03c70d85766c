"""The story's account from the command line: the five seeds ingested, then
``storyline timeline``, ``conflicts``, ``quotes`` and the event and quote export.

The seeds are one story (January 2022 security talks); the disagreements between
them are the three named in the product brief: talks of 7.5 vs almost 8 hours, a
draft published on 15 vs 17 December, a first round on 9 vs 10 January.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.store import Store

runner = CliRunner()
WIDE = {"COLUMNS": "220"}


@pytest.fixture
def db(seeds_db: str) -> str:
    return seeds_db


@pytest.fixture
def story(seeds_story: str) -> str:
    return seeds_story


def test_timeline_lists_the_talks_in_date_order(db: str, story: str) -> None:
    result = runner.invoke(app, ["timeline", story, "--db", db], env=WIDE)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("│ 20")]
    dates = [line.split("│")[1].strip().rstrip(" ~") for line in lines]
    assert dates == sorted(dates)
    for day, place in (
        ("2022-01-10", "Geneva"),
        ("2022-01-12", "Brussels"),
        ("2022-01-13", "Vienna"),
    ):
        assert any(day in line and place in line for line in lines), (day, place)
    assert any("2021-12-07" in line and "call" in line for line in lines)
    ru = runner.invoke(app, ["timeline", story, "--db", db, "--lang", "ru"], env=WIDE)
    assert "Женева" in ru.stdout


def test_conflicts_name_each_value_and_its_sources(db: str, story: str) -> None:
    result = runner.invoke(app, ["conflicts", story, "--db", db], env=WIDE)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for a, b in (("2021-12-15", "2021-12-17"), ("2022-01-09", "2022-01-10"), ("PT7H30M", "PT8H")):
        assert a in text and b in text, (a, b)
    assert "depo.ua" in text


def test_quotes_filter_by_speaker_and_story(db: str, story: str) -> None:
    with Store.open(db) as store:
        everything = store.quotes()
        assert everything and all(q.story_id == story for q in everything)
        putin = [q for q in everything if q.speaker_name == "Vladimir Putin"]
        assert putin, "no quote attributed to Putin in the seeds"
        speaker = putin[0].speaker_entity_id
        assert speaker is not None
        assert store.count_quotes(speaker=speaker) == len(putin)
    result = runner.invoke(
        app, ["quotes", "--db", db, "--speaker", speaker, "--limit", "200"], env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert f"{len(putin)} of {len(putin)} quotes" in result.stdout
    other = runner.invoke(app, ["quotes", "--db", db, "--story", "s_missing"])
    assert other.exit_code == 2 and "no story s_missing" in other.stderr


def test_export_carries_events_and_quotes(db: str, story: str) -> None:
    result = runner.invoke(app, ["export", "--db", db])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    articles = {r["id"]: r for r in rows if r["kind"] == "article"}
    events = [r for r in rows if r["kind"] == "event"]
    quotes = [r for r in rows if r["kind"] == "quote"]
    assert events and quotes
    for event in events:
        assert event["story_id"] == story
        for src in event["sources"]:
            article = articles[src["article_id"]]
            part = article[src["part"]]
            assert src["sentence"] == part[src["start"] : src["end"]]
    dated = [e for e in events if e["conflicts"]]
    assert {c["attribute"] for e in dated for c in e["conflicts"]} >= {"date", "duration"}
    for quote in quotes:
        assert articles[quote["article_id"]]["text"][quote["start"] : quote["end"]] == quote["text"]
        assert quote["quote_kind"] in ("direct", "indirect")
    embedded = sum(len(a["quotes"]) for a in articles.values())
    assert embedded == len(quotes)
