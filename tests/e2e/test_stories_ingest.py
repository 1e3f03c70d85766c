"""Stories as ingest builds them from real pages, and the commands that show and fix them.

Forty pages of the dev corpus (four stories in three languages plus noise) are
ingested in two batches. The clusterer of the second batch is rebuilt from the
store, so the test checks that the stored assignment is exactly what one clusterer
fed the same articles in the same order would give, and that every command
reads it back consistently.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import DEV
from storyline.assemble import story_codec
from storyline.assemble.stories import cluster
from storyline.cli import app
from storyline.store import Store

runner = CliRunner()
PAGES = sorted((DEV / "articles").glob("*.txt"))[:40]


def _ingest(db: str, paths: list[Path]) -> None:
    result = runner.invoke(app, ["ingest", *map(str, paths), "--db", db, "-q"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('stories') / 'dev.db'}"
    _ingest(url, PAGES[:25])
    _ingest(url, PAGES[25:])
    return url


def _assignment(store: Store) -> dict[str, str]:
    return {a: s for a, s, _ in store.story_placements()}


def test_stored_stories_are_what_one_clusterer_gives(db: str) -> None:
    with Store.open(db) as store:
        placements = list(store.story_placements())
        assert len(placements) == len(PAGES) == store.count_articles()
        fed = [story_codec.from_json(a, f) for a, _, f in placements if f is not None]
        assert cluster(fed) == {a: s for a, s, _ in placements}
        assert store.stale_stories() == []
        stories = store.stories()
        assert sum(s.size for s in stories) == len(PAGES)
        assert any(len(s.languages) >= 2 for s in stories), "no story across languages"


def test_reingest_changes_no_story(db: str) -> None:
    with Store.open(db) as store:
        before = _assignment(store), [(s.id, s.size, s.title) for s in store.stories()]
    _ingest(db, PAGES)
    with Store.open(db) as store:
        assert (_assignment(store), [(s.id, s.size, s.title) for s in store.stories()]) == before


def test_yearless_dates_take_the_year_from_the_story(db: str) -> None:
    """A page with no date of its own resolves «17 июля» with its story's year."""
    checked = 0
    with Store.open(db) as store:
        for story in store.stories():
            members = [store.article(a) for a in store.story_article_ids(story.id)]
            if not any(m and m.published for m in members):
                continue
            for article in members:
                if article is None or article.published is not None:
                    continue
                annotations = store.annotations(article.id)
                assert annotations is not None
                for d in annotations.dates:
                    checked += 1
                    assert not d.value.startswith("--"), (article.id, d)
                    assert d.inferred or d.text[-4:].isdigit(), (article.id, d)
    assert checked, "no undated page with dates in a dated story among the test pages"


def test_stories_command_lists_and_shows(db: str) -> None:
    listed = runner.invoke(app, ["stories", "--db", db, "--limit", "100"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    with Store.open(db) as store:
        top, total = store.stories()[0], store.count_stories()
        titles = store.article(store.story_article_ids(top.id)[0])
    assert top.id in listed.stdout and f"of {total} stories" in listed.stdout
    shown = runner.invoke(app, ["story", top.id, "--db", db], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert (top.title or "")[:30] in shown.stdout
    assert titles is not None and titles.id in shown.stdout
    missing = runner.invoke(app, ["story", "s_missing", "--db", db])
    assert missing.exit_code == 2 and "no story s_missing" in missing.stderr


def test_export_links_articles_and_stories(db: str) -> None:
    result = runner.invoke(app, ["export", "--db", db])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    stories = {r["id"]: r for r in rows if r["kind"] == "story"}
    articles = [r for r in rows if r["kind"] == "article"]
    assert all(a["story_id"] in stories for a in articles)
    for sid, story in stories.items():
        assert sorted(story["articles"]) == sorted(
            a["id"] for a in articles if a["story_id"] == sid
        )
        assert sum(story["languages"].values()) == len(story["articles"])
    kinds = [r["kind"] for r in rows]
    assert kinds == sorted(kinds, key=["article", "entity", "story", "event", "quote"].index)


def test_merge_and_split_from_the_command_line(
    db: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    copy = tmp_path_factory.mktemp("edit") / "dev.db"
    copy.write_bytes(Path(db.removeprefix("sqlite:///")).read_bytes())
    url = f"sqlite:///{copy}"
    with Store.open(url) as store:
        big, small = [s.id for s in store.stories() if s.size > 1][:2]
        moved = store.story_article_ids(small)
        before = [h.action for h in store.story_history(big)]  # its automatic merges, if any
    merged = runner.invoke(app, ["stories", "merge", big, small, "--db", url])
    assert merged.exit_code == 0, merged.output
    with Store.open(url) as store:
        assert store.resolve_story(small) == big
        assert set(moved) <= set(store.story_article_ids(big))
    split = runner.invoke(app, ["stories", "split", big, *moved, "--db", url])
    assert split.exit_code == 0, split.output
    new_id = split.stdout.split()[-1]
    with Store.open(url) as store:
        assert sorted(store.story_article_ids(new_id)) == sorted(moved)
        assert [h.action for h in store.story_history(big)] == [*before, "merge", "split"]
    # a later ingest continues from the edited stories instead of undoing them
    _ingest(url, PAGES[:3])
    with Store.open(url) as store:
        assert sorted(store.story_article_ids(new_id)) == sorted(moved)
    bad = runner.invoke(app, ["stories", "merge", big, "s_nowhere", "--db", url])
    assert bad.exit_code == 2 and "no story s_nowhere in the store" in bad.stderr


def test_a_reprint_joins_its_original_story_without_weighing(
    db: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("reprint")
    copy = folder / "dev.db"
    copy.write_bytes(Path(db.removeprefix("sqlite:///")).read_bytes())
    url = f"sqlite:///{copy}"
    reprint = folder / "reprint.txt"
    reprint.write_bytes(PAGES[0].read_bytes() + b"\n")  # another file, the same article
    _ingest(url, [reprint])
    with Store.open(url) as store:
        placements = {a: (s, f) for a, s, f in store.story_placements()}
        (new,) = set(placements) - set(_assignment_of(db))
        article = store.article(new)
        assert article is not None and article.duplicate_of is not None
        story, features = placements[new]
        assert story == placements[article.duplicate_of][0]
        assert features is None  # the clusterer never counts a copy as evidence


def _assignment_of(url: str) -> dict[str, str]:
    with Store.open(url) as store:
        return _assignment(store)
