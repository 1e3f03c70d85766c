"""Automatic story merges and splits, as ingest applies them to the store, on real pages.

The clusterer may fold one story into another while it places an article
(``Weights.merge_threshold``); ingest then merges the two in the store, with a history
row marked automatic. To make merges happen for sure, the real weights are used with a
join threshold so high that an article almost never joins a story, and a low merge
threshold: the five seeds (one story) and six dev pages of another (D10, Nord Stream,
in three languages) then come together mostly by merging. They are ingested in two
batches, so the second batch runs on a clusterer rebuilt from the store by replay, as
after a restart, and merges stories the first batch stored.

A split (``StoryClusterer.split_drifted``) needs a story whose stated days fall into two
groups more than a window apart. Dev stories D02 (the grain deal signed, July 2022) and
D03 (Russia leaves it, July 2023) are ingested first with no window and a join threshold
of nearly zero, so they become one story; the next page, ingested with the real 30-day
window, brings it to a checkpoint size and the story splits, in the store as in the
clusterer. The pages go in as JSONL with their addresses, which date them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import storyline.ingest as ingest_module
from paths import DEV, SEEDS
from storyline.assemble import stories as stories_module
from storyline.assemble.stories import Weights, story_id
from storyline.config import Settings
from storyline.ingest import Assembler, IngestReport, Progress, ingest
from storyline.records import Merge
from storyline.store import Store, StoryChange

D10 = [DEV / "articles" / f"{i}.txt" for i in ("016", "030", "057", "063", "068", "070")]
FIRST = [SEEDS, *D10[:3]]
SECOND = D10[3:]
PAGES = 5 + len(D10)
_DEFAULT_WEIGHTS = stories_module.default_weights  # the real one, before any patch


def _weights(merge_threshold: float | None) -> Weights:
    """The real weights, with joining all but impossible and merging at ``merge_threshold``."""
    return dataclasses.replace(
        _DEFAULT_WEIGHTS(), threshold=0.99, merge_threshold=merge_threshold, bridge_threshold=None
    )


class _Run:
    """Ingests into ``url`` with ``weights``, keeping each batch's assembler (to look at
    the clusterer the batch ended with) and the store's history after each batch."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, weights: Weights, url: str) -> None:
        self.url = url
        self.assemblers: list[Assembler] = []
        self.histories: list[list[StoryChange]] = []
        assemblers = self.assemblers

        class Recording(Assembler):
            def __init__(self, store: Store, report: IngestReport, note: Progress) -> None:
                super().__init__(store, report, note)
                assemblers.append(self)

        # StoryClusterer() looks default_weights up in its module when it is made.
        monkeypatch.setattr(stories_module, "default_weights", lambda: weights)
        monkeypatch.setattr(ingest_module, "Assembler", Recording)

    def ingest(self, paths: list[Path]) -> IngestReport:
        with Store.open(self.url) as store:
            report = ingest([str(p) for p in paths], store, Settings.from_env(db_url=self.url))
            self.histories.append(_history(store))
        assert report.ok, report.failed
        return report


def _membership(store: Store) -> dict[str, str]:
    """Article id → story id, as stored."""
    return {a: s for a, s, _ in store.story_placements()}


def _history(store: Store) -> list[StoryChange]:
    """Every merge and split row (each stored story was founded by a stored article)."""
    ids = {story_id(a) for a in _membership(store)}
    rows = {
        (h.story_id, h.action, h.other_story_id, h.article_ids, h.at): h
        for sid in sorted(ids)
        for h in store.story_history(sid)
    }
    return sorted(rows.values(), key=lambda h: h.at)


def _live(store: Store) -> list[tuple[str, int]]:
    return [(s.id, s.size) for s in store.stories()]


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Run]:
    url = f"sqlite:///{tmp_path_factory.mktemp('merges') / 'merges.db'}"
    with pytest.MonkeyPatch.context() as monkeypatch:
        run = _Run(monkeypatch, _weights(0.1), url)
        run.ingest(FIRST)
        run.ingest(SECOND)
        yield run


def test_ingest_merges_stories_in_the_store(merged: _Run) -> None:
    with Store.open(merged.url) as store:
        membership = _membership(store)
        assert len(membership) == store.count_articles() == PAGES
        merges = merged.histories[-1]
        assert merges, "no automatic merge: the test no longer exercises merging"
        assert all(h.action == "merge" and h.automatic for h in merges)
        for h in merges:
            retired = h.other_story_id
            assert retired is not None and retired not in membership.values()
            assert store.resolve_story(retired) == store.resolve_story(h.story_id)
            assert store.story(retired) == store.story(h.story_id)
            assert set(h.article_ids) <= set(membership)
        # every article is on a live story, and the live stories are exactly those
        assert all(store.resolve_story(sid) == sid for sid in membership.values())
        live = store.stories()
        assert {s.id for s in live} == set(membership.values())
        assert sum(s.size for s in live) == PAGES
        assert store.stale_stories() == []


def test_the_replayed_clusterer_merges_into_stories_of_the_first_batch(merged: _Run) -> None:
    # After a restart the clusterer is rebuilt from the store; the second batch's pages
    # (which cannot join: threshold 0.99) found stories that it merges into the first
    # batch's D10 story. A story founded and merged by the same page never reaches the
    # store, so that leaves no history row; the pages land in the stored story.
    first, second = merged.histories
    assert second[: len(first)] == first
    with Store.open(merged.url) as store:
        membership = _membership(store)
        earlier = {membership[a] for a in _articles(store, FIRST[1:])}
        later = {membership[a] for a in _articles(store, SECOND)}
        assert later <= earlier, (later, earlier)
        assert all(story_id(a) not in membership.values() for a in _articles(store, SECOND))


def _articles(store: Store, paths: list[Path]) -> list[str]:
    by_source = {a.source: a.id for a in store.articles(limit=100)}
    return [by_source[str(p)] for p in paths]


def test_store_agrees_with_the_clusterer_and_its_replay(merged: _Run) -> None:
    assert len(merged.assemblers) == 2
    for assembler in merged.assemblers:
        clusterer = assembler.stories.clusterer
        assert clusterer is not None and clusterer.changes == []  # drained into the store
    last = merged.assemblers[-1].stories.clusterer
    assert last is not None
    in_memory = {a: last.resolve(s) for a, s in last.assignment.items()}
    with Store.open(merged.url) as store:
        assert _membership(store) == in_memory
        replayed = ingest_module._Stories(store)._load()
        assert replayed.changes == []
        assert {a: replayed.resolve(s) for a, s in replayed.assignment.items()} == in_memory


def test_reingest_changes_nothing(merged: _Run, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(merged.url) as store:
        before = _membership(store), _history(store), _live(store)
    report = _Run(monkeypatch, _weights(0.3), merged.url).ingest([*FIRST, *SECOND])
    assert report.ingested == 0 and report.already_known == PAGES
    with Store.open(merged.url) as store:
        assert (_membership(store), _history(store), _live(store)) == before


def test_no_merge_threshold_no_merge(
    merged: _Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _Run(monkeypatch, _weights(None), f"sqlite:///{tmp_path / 'apart.db'}")
    run.ingest(FIRST)
    run.ingest(SECOND)
    assert run.histories == [[], []]
    with Store.open(run.url) as store:
        membership = _membership(store)
        assert len(membership) == PAGES
        assert {s.id for s in store.stories()} == set(membership.values())
        apart = len(store.stories())
    with Store.open(merged.url) as store:
        assert apart > len(store.stories())  # what the merges brought together stays apart


def test_merges_the_store_no_longer_has_apart_are_skipped(
    merged: _Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge already applied, or naming a story the store lacks, is left out, not fatal."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(merged.url.removeprefix("sqlite:///")).read_bytes())
    url = f"sqlite:///{copy}"
    weights = _weights(0.3)
    monkeypatch.setattr(stories_module, "default_weights", lambda: weights)
    done = merged.histories[-1][0]
    assert done.other_story_id is not None
    with Store.open(url) as store:
        before = _membership(store), _history(store), _live(store)
        stories = ingest_module._Stories(store)
        clusterer = stories._load()
        clusterer.changes.extend(
            [Merge(done.story_id, done.other_story_id), Merge("s_nowhere", done.story_id)]
        )
        changes = stories.take_changes()
        assert clusterer.changes == []
        assert store.apply_story_changes(changes) == set()
        assert (_membership(store), _history(store), _live(store)) == before


# --- splits -----------------------------------------------------------------------------------

GRAIN_FIRST = ("025", "032", "128", "015", "055", "092", "130")
"""D02 and D03 pages: three dated 22 July 2022, one dated 17 July 2023, three undated."""
GRAIN_LATER = ("044",)
"""Another D03 page dated 17 July 2023: the second stated day after the gap."""


def _jsonl(folder: Path, ids: tuple[str, ...]) -> Path:
    """The dev pages ``ids`` as JSONL lines with their manifest address."""
    urls = {r["id"]: r["url"] for r in map(json.loads, (DEV / "manifest.jsonl").open())}
    path = folder / f"{ids[0]}-{len(ids)}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in ids:
            text = (DEV / "articles" / f"{i}.txt").read_text(encoding="utf-8")
            f.write(json.dumps({"id": i, "url": urls[i], "text": text}, ensure_ascii=False) + "\n")
    return path


def _gathering(window: int | None) -> Weights:
    """The real weights, joining any candidate (dated or not), never merging, with
    ``window``."""
    return dataclasses.replace(
        _DEFAULT_WEIGHTS(),
        threshold=1e-9,
        unchecked_threshold=None,
        day_veto=False,
        window=window,
        merge_threshold=None,
        bridge_threshold=None,
    )


def _drift(url: str, folder: Path) -> tuple[_Run, _Run]:
    """The two batches (see the module doc): gathered with no window, then split."""
    runs = []
    for window, pages in ((None, GRAIN_FIRST), (30, GRAIN_LATER)):
        with pytest.MonkeyPatch.context() as monkeypatch:
            run = _Run(monkeypatch, _gathering(window), url)
            run.ingest([_jsonl(folder, pages)])
            runs.append(run)
    return runs[0], runs[1]


@pytest.fixture(scope="module")
def drifted(tmp_path_factory: pytest.TempPathFactory) -> tuple[_Run, _Run]:
    folder = tmp_path_factory.mktemp("splits")
    return _drift(f"sqlite:///{folder / 'splits.db'}", folder)


def _years(store: Store) -> dict[str, set[int]]:
    """Story id → the years of its members' stated publication days."""
    years: dict[str, set[int]] = {}
    for article in store.articles(limit=100):
        sid = store.story_of(article.id)
        assert sid is not None
        if article.published is not None and not article.published_inferred:
            years.setdefault(sid, set()).add(article.published.year)
    return years


def test_a_story_gathered_over_a_year_splits_in_the_store(drifted: tuple[_Run, _Run]) -> None:
    first, second = drifted
    assert first.histories == [[]]  # one story, no window: nothing to split yet
    (split,) = second.histories[-1]
    assert split.action == "split" and split.automatic and split.other_story_id
    with Store.open(second.url) as store:
        membership = _membership(store)
        assert len(membership) == len(GRAIN_FIRST) + len(GRAIN_LATER)
        assert set(membership.values()) == {split.story_id, split.other_story_id}
        assert sorted(map(sorted, _years(store).values())) == [[2022], [2023]]  # one year each
        moved = {a for a, s in membership.items() if s == split.other_story_id}
        assert set(split.article_ids) <= moved  # and the window's later pages, if any
        assert {s.id for s in store.stories()} == set(membership.values())
        assert store.stale_stories() == []


def _agrees_with_the_clusterer(second: _Run) -> None:
    clusterer = second.assemblers[-1].stories.clusterer
    assert clusterer is not None and clusterer.changes == []  # drained into the store
    in_memory = {a: clusterer.resolve(s) for a, s in clusterer.assignment.items()}
    with Store.open(second.url) as store:
        assert _membership(store) == in_memory
        replayed = ingest_module._Stories(store)._load()
        assert {a: replayed.resolve(s) for a, s in replayed.assignment.items()} == in_memory


def test_store_agrees_with_the_splitting_clusterer_and_its_replay(
    drifted: tuple[_Run, _Run],
) -> None:
    _agrees_with_the_clusterer(drifted[1])


@pytest.mark.postgres
def test_a_split_in_postgres(pg_url: str, tmp_path: Path) -> None:
    _, second = _drift(pg_url, tmp_path)
    (split,) = second.histories[-1]
    assert split.action == "split" and split.automatic
    _agrees_with_the_clusterer(second)


def test_reingest_after_a_split_changes_nothing(
    drifted: tuple[_Run, _Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, second = drifted
    with Store.open(second.url) as store:
        before = _membership(store), _history(store), _live(store)
    run = _Run(monkeypatch, _gathering(30), second.url)
    report = run.ingest([_jsonl(tmp_path, GRAIN_FIRST), _jsonl(tmp_path, GRAIN_LATER)])
    assert report.ingested == 0
    with Store.open(second.url) as store:
        assert (_membership(store), _history(store), _live(store)) == before
