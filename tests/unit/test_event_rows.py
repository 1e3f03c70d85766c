"""Event mentions are found once, at ingest, and a story's account is merged from them.

On the five seeds (one storyline; two pages state no publication day and are dated by
their story after they are stored): the ingest stores every page's mentions, re-finds
those of the pages its story re-dated, and a reader builds the account without any NLP,
the same account in the ingesting process and in a fresh one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paths import SEEDS
from storyline.assemble import timeline
from storyline.assemble.events import reference_key
from storyline.assemble.timeline import AccountCache, StoryAccount
from storyline.config import Settings
from storyline.document import STORYLINE, Article
from storyline.ingest import ingest
from storyline.store import Store

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not available")

_DUMP = """
import json, sys
from storyline.assemble.timeline import AccountCache
from storyline.store import Store
sys.path[:0] = sys.argv[2:]  # this module, and the tests folder it imports from
from test_event_rows import dump
with Store.open(sys.argv[1]) as store:
    cache = AccountCache()
    print(json.dumps([dump(cache.get(store, s.id)) for s in store.stories(limit=100)]))
"""


def dump(account: StoryAccount) -> dict[str, object]:
    """What a reader sees of an account, as plain values (to compare across processes)."""
    return {
        "story": account.story_id,
        "events": [
            {
                "id": e.id,
                "title": e.title("en"),
                "date": e.date,
                "place": e.place,
                "participants": list(e.participants),
                "sources": [[s.article_id, s.part, s.start, s.end, s.date] for s in e.sources],
                "attributes": [[a.name, a.value, a.article_id] for a in e.attributes],
            }
            for e in account.events
        ],
        "conflicts": sorted(account.conflicts),
        "outlets": dict(account.outlets),
    }


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('rows') / 'seeds.db'}"
    with Store.open(url) as store:
        ingest([str(SEEDS)], store, Settings.from_env(db_url=url))
    yield url


def _no_nlp(article: Article) -> object:
    raise AssertionError(f"annotated {article.id} at read time")


def test_every_page_has_its_mentions_stored_with_linked_entities(seeds_store: str) -> None:
    with Store.open(seeds_store) as store:
        articles = store.articles(limit=100)
        rows = store.article_event_rows(a.id for a in articles)
        assert {a.id for a in articles} == set(rows)
        known = store.entities_by_id(
            e
            for found in rows.values()
            for mentions in found.parts.values()
            for m in mentions
            for e in (m.place, *(p for p, _ in m.participants))
            if e
        )
    parts = {name for found in rows.values() for name in found.parts}
    assert parts == {"text", "title", "lead"}  # titles and leads are read too
    linked = [
        p
        for found in rows.values()
        for ms in found.parts.values()
        for m in ms
        for p in m.participants
    ]
    assert linked and all(entity in known for entity, _ in linked)


def test_pages_their_story_dates_have_their_mentions_found_again(seeds_store: str) -> None:
    with Store.open(seeds_store) as store:
        articles = store.articles(limit=100)
        references = store.event_references(a.id for a in articles)
    redated = [a for a in articles if a.published_evidence == STORYLINE]
    assert redated  # 001 and 004 state no day of publication; their storyline gives one
    for article in articles:
        assert references[article.id] == reference_key(article), article.source


def test_the_account_is_read_without_nlp(seeds_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline, "annotate_parts", _no_nlp)
    with Store.open(seeds_store) as store:
        (story,) = store.stories(limit=100)
        found = AccountCache().get(store, story.id)
    assert len(found.events) >= 10 and found.conflicts


def test_a_fresh_process_reads_the_same_account(seeds_store: str) -> None:
    with Store.open(seeds_store) as store:
        here = [dump(AccountCache().get(store, s.id)) for s in store.stories(limit=100)]
    out = subprocess.run(
        [sys.executable, "-c", _DUMP, seeds_store, str(HERE), str(HERE.parent)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == here


def test_the_article_page_anchors_the_stored_mentions(
    seeds_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.memo import Memo
    from storyline.web import pages

    monkeypatch.setattr(timeline, "annotate_parts", _no_nlp)
    monkeypatch.setattr(pages, "_cited", Memo(16))  # none kept by an earlier test
    with Store.open(seeds_store) as store:
        articles = store.articles(limit=100)
        rows = store.article_event_rows(a.id for a in articles)
        for article in articles:
            cited = pages._cited_sentences(store, article)
            assert cited == {
                name: [(m.sentence_start, m.sentence_end) for m in mentions]
                for name, mentions in rows[article.id].parts.items()
            }
    assert any(cited.values())
