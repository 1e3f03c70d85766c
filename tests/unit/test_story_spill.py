"""Dormant stories leave the clusterer's memory and come back for a late article.

A story whose window ends further back than the window gate lets an article of the feed's
current days reach is *dormant*: its profile and index entries move to the clusterer's
spill (:mod:`storyline.assemble.story_spill`), so memory follows the stories still open,
not every story ever seen (issue 15, item 5). These tests fail on a clusterer that keeps
every story in memory.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pytest

from storyline.assemble import stories
from storyline.assemble.stories import StoryClusterer, StoryInput
from storyline.assemble.story_spill import StorySpill

START = date(2023, 1, 1)


def _article(story: int, n: int, day: date, rng: random.Random) -> StoryInput:
    """An article of synthetic story ``story`` published on ``day``: the story's own
    entities, names, words and vector direction, plus a stop-entity every story names."""
    topic = [f"t{story}x{i}" for i in range(10)]
    words = rng.choices(topic, k=20) + rng.choices([f"w{i}" for i in range(50)], k=20)
    entities = {"Q159": 1.0, f"E{story}a": 3.0, f"E{story}b": 2.0}
    local = random.Random(story)
    direction = [local.gauss(0, 1) for _ in range(16)]
    return StoryInput(
        article_id=f"s{story}n{n}",
        lang="ru",
        published=day,
        dates=(day,),
        days=(day.isoformat()[5:],),
        title="",
        entities=tuple(sorted(entities.items())),
        tokens=tuple(words),
        vector=tuple(v + rng.gauss(0, 0.3) for v in direction),
        names=tuple(sorted((f"n{e}", c) for e, c in entities.items())),
        roots=tuple(sorted({w: float(words.count(w)) for w in set(words)}.items())),
    )


def _feed(days: int, per_day: int = 2, size: int = 3) -> list[tuple[int, StoryInput]]:
    """``per_day`` new stories a day for ``days`` days, each of ``size`` articles of its
    day, in publication order: (true story, input)."""
    rng = random.Random(7)
    feed = []
    for d in range(days):
        for k in range(per_day):
            story = d * per_day + k
            feed += [
                (story, _article(story, n, START + timedelta(days=d), rng)) for n in range(size)
            ]
    return feed


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Idle after 20 adds, a day is the feed's today from its first stated article."""
    monkeypatch.setattr(stories, "_HOT", 20)
    monkeypatch.setattr(stories, "_TODAY_QUORUM", 1)


def _in_index(c: StoryClusterer, sid: str) -> bool:
    return any(sid in posting for posting in c._index.values())


@pytest.mark.usefixtures("eager")
def test_a_story_past_the_window_leaves_memory() -> None:
    c = StoryClusterer()
    window = c.weights.window
    assert window is not None
    feed = _feed(3 * (window + stories._LATE))
    for _, doc in feed:
        c.add(doc)
    first = c.assignment["s0n0"]
    stub = c.stories[first]
    assert c.dormant > 0
    assert stub.cold == stories._SPILLED
    assert not stub.support and not stub.tokens and stub.vector is None
    assert not _in_index(c, first)
    assert "E0a" not in c._index  # a key only dormant stories name has no posting left
    assert stub.members == ["s0n0", "s0n1", "s0n2"]  # members and window stay
    assert stories._GONE == {} and not stories._NO_DATES  # the stubs' shared empties
    # what stays in memory is the stories the feed's current days can still join
    live = [s for s in c.stories.values() if s.cold != stories._SPILLED]
    assert len(live) < len(c.stories) / 2
    for story in live:  # (looked at every _HOT adds: a few days' lag)
        assert story.last is not None and story.last + window + stories._LATE >= c._today - 10


def _after_140_days() -> tuple[StoryClusterer, str]:
    """A clusterer fed 140 days of the feed, and story 0's id (dormant by then)."""
    c = StoryClusterer()
    for _, doc in _feed(140):
        c.add(doc)
    return c, c.assignment["s0n0"]


@pytest.mark.usefixtures("eager")
def test_a_late_article_reads_its_dormant_story_back() -> None:
    c, first = _after_140_days()
    assert c.stories[first].cold == stories._SPILLED
    # a report of story 0, published (late) on its day: the window lets it join
    late = _article(0, 9, START, random.Random(1))
    assert c.add(late) == first
    assert c.read_backs == 1
    story = c.stories[first]
    assert story.cold is None and len(story.members) == 4
    assert _in_index(c, first) and "E0a" in c._index
    assert c.dormant == len(c._spill or ()) and first not in (c._spill or StorySpill()).find(
        "E0a", None, 10
    )


@pytest.mark.usefixtures("eager")
def test_an_article_of_today_does_not_read_a_dormant_story_back() -> None:
    c, first = _after_140_days()
    # story 0's people again, today: the window rules the old story out, unread
    today = _article(0, 9, START + timedelta(days=140), random.Random(1))
    assert c.add(today) != first
    assert c.read_backs == 0
    assert c.stories[first].cold == stories._SPILLED


@pytest.mark.usefixtures("eager")
def test_dormancy_changes_no_placement_of_an_ordered_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    feed = [doc for _, doc in _feed(150)]
    spilled = StoryClusterer()
    for doc in feed:
        spilled.add(doc)
    assert spilled.dormant > 0
    monkeypatch.setattr(StoryClusterer, "_dormant", lambda self, story: False)
    kept = StoryClusterer()
    for doc in feed:
        kept.add(doc)
    assert kept.dormant == 0
    assert spilled.assignment == kept.assignment


@pytest.mark.usefixtures("eager")
def test_a_dormant_story_read_back_merges_and_goes_dormant_again() -> None:
    c, first = _after_140_days()
    rng = random.Random(3)
    for n in range(9, 12):  # late reports join it; it is live and can grow
        assert c.add(_article(0, n, START + timedelta(days=1), rng)) == first
    assert c.read_backs == 1
    for _, doc in _feed(40)[: 3 * 2 * 40]:  # the feed moves on (new ids, same days as before)
        c.add(
            StoryInput(
                **{
                    **_as_dict(doc),
                    "article_id": "again" + doc.article_id,
                    "published": doc.published + timedelta(days=300),
                }
            )  # type: ignore[operator]
        )
    assert c.stories[first].cold == stories._SPILLED
    assert len(c.stories[first].members) == 6


def _as_dict(doc: StoryInput) -> dict[str, object]:
    return {name: getattr(doc, name) for name in StoryInput.__dataclass_fields__}


def test_spill_finds_by_key_and_window_and_gives_back_once() -> None:
    spill = StorySpill()
    spill.put("old", 100, ["a", "b"], b"old")
    spill.put("new", 200, ["a"], b"new")
    spill.put("undated", None, ["a"], b"undated")
    assert spill.find("a", None, 10) == ["new", "old", "undated"]
    assert spill.find("a", 150, 10) == ["new"]  # a dated article reaches dated stories
    assert spill.find("a", None, 1) == ["new"]
    assert spill.find("b", 150, 10) == []
    assert len(spill) == 3
    assert spill.take("old") == b"old"
    assert spill.take("old") is None
    assert spill.find("b", None, 10) == [] and len(spill) == 2
    assert spill.size_bytes() > 0


@pytest.mark.usefixtures("eager")
def test_an_undated_article_scores_a_dormant_story_without_reading_it_back() -> None:
    c, first = _after_140_days()
    # no stated day: the calendar rules no story out, so story 0 is a candidate, scored
    # from a copy; it stays dormant unless the article joins it
    undated = dataclasses.replace(_article(0, 9, START, random.Random(1)), published=None)
    assert first in c.candidates(undated)
    assert c.stories[first].cold == stories._SPILLED and c.read_backs == 0
    assert c.add(undated) == first
    assert c.read_backs == 1 and c.stories[first].cold is None


@pytest.mark.usefixtures("eager")
def test_replay_places_into_a_dormant_story() -> None:
    # the ingest rebuilds its clusterer by placing stored articles into their stored
    # stories: a late article stored in a story dormant by then reads it back
    feed = _feed(140)
    live = StoryClusterer()
    for _, doc in feed:
        live.add(doc)
    replayed = StoryClusterer()
    for _, doc in feed:
        replayed.place(doc, live.resolve(live.assignment[doc.article_id]))
    first = live.resolve(live.assignment["s0n0"])
    assert replayed.stories[first].cold == stories._SPILLED
    late = _article(0, 9, START, random.Random(1))
    assert replayed.place(late, first) == first
    assert replayed.read_backs == 1 and len(replayed.stories[first].members) == 4
    assert {
        a: replayed.resolve(s) for a, s in replayed.assignment.items() if a != late.article_id
    } == {a: live.resolve(s) for a, s in live.assignment.items()}


def test_dormancy_follows_the_calendar_not_the_packing(monkeypatch: pytest.MonkeyPatch) -> None:
    # a sparse feed: far fewer adds than _HOT (packing) in all, yet the stories past the
    # window's reach leave memory, looked at every _LOOK adds
    monkeypatch.setattr(stories, "_LOOK", 20)
    monkeypatch.setattr(stories, "_TODAY_QUORUM", 1)
    c = StoryClusterer()
    feed = _feed(2 * (90 + stories._LATE) + 20)
    assert len(feed) < stories._HOT
    for _, doc in feed:
        c.add(doc)
    assert c.dormant > len(c.stories) / 3
    assert not any(s.cold is not None and s.cold != stories._SPILLED for s in c.stories.values())


@pytest.mark.usefixtures("eager")
def test_an_undated_article_checks_its_days_on_a_dormant_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # an undated article naming story 0's day is checked by it, dormant or not: with an
    # unchecked threshold no score reaches, only that check lets it join (merges off, so
    # the join alone decides). The stub keeps no month-days: checked against it, the join
    # was unchecked and the article went apart from the story it joins in memory
    weights = dataclasses.replace(
        stories.default_weights(), unchecked_threshold=1.01, merge_threshold=None
    )
    undated = dataclasses.replace(_article(0, 9, START, random.Random(1)), published=None)
    joined = {}
    for dormancy in (True, False):
        if not dormancy:
            monkeypatch.setattr(StoryClusterer, "_dormant", lambda self, story: False)
        c = StoryClusterer(weights)
        for _, doc in _feed(140):
            c.add(doc)
        first = c.assignment["s0n0"]
        assert (c.stories[first].cold == stories._SPILLED) is dormancy
        joined[dormancy] = c.add(undated) == first
    assert joined == {True: True, False: True}
