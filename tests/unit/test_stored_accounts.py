"""A story's account is merged once by the ingest that changed it and stored, so a reader
reads one row (issues 17 and 19: a fresh server's first read of a big story was spent
merging it).

On real pages: the five seeds (one storyline) and the ten train pages of storyline AS5.
The stored account decodes to the account a fresh merge gives, in a fresh process that
is not allowed to merge; it is passed over once its story changes, and its titles name
entities as the store names them at read time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_event_rows import dump
from typer.testing import CliRunner

from paths import SEEDS, TRAIN
from storyline.assemble import account_codec, timeline
from storyline.assemble.timeline import AccountCache, account_key, build_account
from storyline.cli import app
from storyline.compare.coverage import load_groups
from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store
from storyline.store.accounts import story_account_table
from storyline.store.models import entity_table

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not available")

_READ_ONLY = """
import json, sys
sys.path[:0] = sys.argv[2:]  # this module, and the tests folder it imports from
from storyline.assemble import timeline
from storyline.store import Store
from test_event_rows import dump

def no_merge(*args, **kwargs):
    raise AssertionError("merged an account the ingest stored")

timeline.build_events = no_merge
with Store.open(sys.argv[1]) as store:
    cache = timeline.AccountCache()
    print(json.dumps([dump(cache.get(store, s.id)) for s in store.stories(limit=100)]))
"""


def _ingest(url: str, *inputs: Path) -> None:
    with Store.open(url) as store:
        assert ingest([str(i) for i in inputs], store, Settings.from_env(db_url=url)).ok


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('accounts') / 'seeds.db'}"
    _ingest(url, SEEDS)
    return url


@pytest.fixture(scope="module")
def train_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ten train pages of storyline AS5."""
    folder = tmp_path_factory.mktemp("as5")
    for line in (TRAIN / "manifest.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        if row["story"] == "AS5":
            shutil.copy(TRAIN / "articles" / f"{row['id']}.txt", folder)
    assert len(list(folder.iterdir())) == 10
    return folder


@pytest.fixture
def train_store(tmp_path: Path, train_pages: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'as5.db'}"
    _ingest(url, train_pages)
    yield url


def _fresh(store: Store, story_id: str) -> timeline.StoryAccount:
    """The account merged now from the story's rows, as a reader without a stored one does."""
    found = build_account(store, story_id, store.story_article_ids(story_id))
    assert found is not None
    return found


def _rows(url: str) -> dict[str, tuple[str | None, str | None]]:
    with Store(url) as store, store.engine.connect() as conn:
        return {r.story_id: (r.key, r.body) for r in conn.execute(sa.select(story_account_table))}


def test_the_codec_gives_back_the_account(seeds_store: str, train_store: str) -> None:
    for url in (seeds_store, train_store):
        with Store.open(url) as store:
            stories = store.stories(limit=100)
            # the storyline has events to carry (a page alone may report none: train A043)
            assert _fresh(store, stories[0].id).events
            for story in stories:
                found = _fresh(store, story.id)
                assert bool(found.events) == bool(found.coverage.events)
                back = account_codec.loads(account_codec.dumps(found))
                assert back == found
                # names are not stored; the reader takes them from the entities
                named = account_codec.with_names(
                    back, store.entities_by_id(account_codec.named_entities(back))
                )
                assert [e.title("ru") for e in named.events] == [
                    e.title("ru") for e in found.events
                ]


def test_the_ingest_stores_each_story_account_for_its_members(seeds_store: str) -> None:
    rows = _rows(seeds_store)
    with Store.open(seeds_store) as store:
        stories = store.stories(limit=100)
        assert set(rows) == {s.id for s in stories}
        for story in stories:
            members = store.story_article_ids(story.id)
            key, body = rows[story.id]
            assert key == account_key(members, store.event_references(members))
            assert body is not None and account_codec.loads(body) == _fresh(store, story.id)


def test_a_fresh_process_reads_the_stored_account_without_merging(seeds_store: str) -> None:
    with Store.open(seeds_store) as store:
        here = [dump(_fresh(store, s.id)) for s in store.stories(limit=100)]
    out = subprocess.run(
        [sys.executable, "-c", _READ_ONLY, seeds_store, str(HERE), str(HERE.parent)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout) == here


def test_titles_name_entities_as_the_store_does_now(seeds_store: str, tmp_path: Path) -> None:
    db = tmp_path / "renamed.db"
    shutil.copy(seeds_store.removeprefix("sqlite:///"), db)
    url = f"sqlite:///{db}"
    with Store.open(url) as store:
        (story,) = store.stories(limit=100)
        before = AccountCache().get(store, story.id)
        entity = next(e for event in before.events for e in event.participants)
        e = entity_table.c
        with store.engine.begin() as conn:  # another story's pages chose another name
            conn.execute(entity_table.update().where(e.id == entity).values(name="Renamed One"))
        after = AccountCache().get(store, story.id)
        assert after == before  # the same stored account …
        titles = [ev.title("xx") for ev in after.events if entity in ev.participants]
        assert titles and all("Renamed One" in t for t in titles)  # … named as now


def test_a_story_changed_outside_an_ingest_is_merged_again(
    train_store: str, train_pages: Path
) -> None:
    with Store.open(train_store) as store:
        stories = [s.id for s in store.stories(limit=100)]
        assert len(stories) >= 2  # the clusterer split AS5; a reader joins two by hand
        first = AccountCache().get(store, stories[0])
        target = store.merge_stories(stories[0], stories[1])
        merged = AccountCache().get(store, target)
        assert merged != first
        assert merged == _fresh(store, target)
    assert _rows(train_store)[stories[1]][1] is not None  # kept until an ingest runs
    _ingest(train_store, train_pages)  # finishes the merged story: stores its account
    rows = _rows(train_store)
    assert stories[1] not in rows  # merged away: no account of its own
    with Store.open(train_store) as store:
        members = store.story_article_ids(target)
        key, body = rows[target]
        assert key == account_key(members, store.event_references(members))
        assert body is not None and account_codec.loads(body) == merged


def test_an_ingest_that_stores_no_mentions_stores_no_accounts(
    tmp_path: Path, train_pages: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bare.db'}"
    with Store.open(url) as store:
        assert ingest([str(train_pages)], store, Settings.from_env(db_url=url), annotate=False).ok
        assert store.stories(limit=100)
        assert store.pending_accounts() == []
    assert _rows(url) == {}


def test_a_merge_by_hand_stores_the_merged_account(train_store: str) -> None:
    with Store.open(train_store) as store:
        first, second, *_ = [s.id for s in store.stories(limit=100)]
    done = CliRunner().invoke(app, ["stories", "merge", first, second, "--db", train_store])
    assert done.exit_code == 0, done.output
    rows = _rows(train_store)
    assert second not in rows
    with Store.open(train_store) as store:
        target = store.live_story(first)
        members = store.story_article_ids(target)
        key, body = rows[target]
        assert key == account_key(members, store.event_references(members))
        assert body is not None and account_codec.loads(body) == _fresh(store, target)


def test_other_outlet_groups_regroup_the_stored_coverage(seeds_store: str, tmp_path: Path) -> None:
    groups = tmp_path / "groups.json"
    groups.write_text(json.dumps({"domains": {}, "suffixes": {".ru": "RU", ".ua": "UA"}}))
    with Store.open(seeds_store) as store:
        (story,) = store.stories(limit=100)
        stored = AccountCache().get(store, story.id, groups)
        records, entities = timeline.story_records(store, store.story_article_ids(story.id))
        merged = timeline.account(records, entities, load_groups(groups), story.id)
        default = AccountCache().get(store, story.id)
    assert stored == merged
    assert stored.coverage != default.coverage
    assert set(stored.coverage.missing) <= {"RU", "UA", "unknown"}
