"""Stories in the store: membership written with the article, the surface, merges and splits.

Runs on SQLite and on a real PostgreSQL server (the ``store`` fixture). Articles are
the real seed pages; which story each goes to is given here, as the clusterer would.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from paths import seed
from storyline.assemble.surface import MAX_CENTRALITY_MEMBERS, refresh_stories, surface_from
from storyline.cli import app
from storyline.document import Article, RawDocument
from storyline.errors import StoreError
from storyline.records import Merge, Split, split_id
from storyline.store import Store, StoryNotFound, StoryPlacement


def _article(key: str, lang: str, outlet: str | None, published: datetime | None) -> tuple:
    text = seed(key).read_text(encoding="utf-8")
    doc = RawDocument(source=f"seeds/{key}.txt", data=text.encode())
    title = next(line for line in text.splitlines() if len(line) > 40)
    article = Article(
        id=doc.article_id,
        source=doc.source,
        text=text,
        lang=lang,
        title=title,
        outlet=outlet,
        published=published,
        published_precision="day" if published else None,
    )
    return doc, article


SEEDS = {
    "000": ("ru", "tass.ru", datetime(2022, 1, 12)),
    "001": ("uk", "depo.ua", datetime(2022, 1, 26)),
    "002": ("ru", None, datetime(2022, 1, 10)),
    "003": ("uk", "unian.ua", datetime(2022, 1, 9)),
}


def _add(store: Store, key: str, story: str, features: dict | None = None) -> Article:
    doc, article = _article(key, *SEEDS[key])
    assert store.add_article(doc, article, story=StoryPlacement(story, features))
    return article


def test_article_and_story_are_written_together(store: Store) -> None:
    a = _add(store, "000", "s_one", {"lang": "ru"})
    assert store.story_of(a.id) == "s_one"
    assert store.stale_stories() == ["s_one"]
    assert list(store.story_placements()) == [(a.id, "s_one", {"lang": "ru"})]
    # re-adding the same document writes nothing, the story included
    doc, article = _article("000", *SEEDS["000"])
    assert not store.add_article(doc, article, story=StoryPlacement("s_other"))
    assert store.story("s_other") is None


def test_refresh_gives_the_surface(store: Store) -> None:
    first = _add(store, "000", "s_talks")
    _add(store, "001", "s_talks")
    _add(store, "002", "s_talks")
    assert refresh_stories(store) == 1
    assert store.stale_stories() == []
    story = store.story("s_talks")
    assert story is not None
    assert story.size == 3
    assert story.languages == {"ru": 2, "uk": 1}
    assert story.outlets == {"depo.ua": 1, "tass.ru": 1}
    assert (story.first_published, story.last_published) == (date(2022, 1, 10), date(2022, 1, 26))
    assert story.title in {store.article(a).title for a in store.story_article_ids("s_talks")}
    assert set(story.titles) == {"ru", "uk"}
    assert story.title_in("uk") == story.titles["uk"] and story.title_in("en") == story.title
    assert story.summary
    assert store.story_members(["s_talks"]) == {"s_talks": store.story_article_ids("s_talks")}
    assert store.stories_of([first.id, "a_missing"]) == {first.id: "s_talks"}


def test_stories_are_ranked_and_filtered(store: Store) -> None:
    for key in ("000", "001", "002"):
        _add(store, key, "s_big")
    _add(store, "003", "s_small")
    refresh_stories(store)
    assert [s.id for s in store.stories()] == ["s_big", "s_small"]
    assert store.count_stories() == 2
    assert [s.id for s in store.stories(lang="uk")] == ["s_big", "s_small"]
    assert [s.id for s in store.stories(outlet="unian.ua")] == ["s_small"]
    assert [s.id for s in store.stories(since=date(2022, 1, 11))] == ["s_big"]
    assert [s.id for s in store.stories(until=date(2022, 1, 10))] == ["s_small"]
    assert [s.id for s in store.stories(limit=1, offset=1)] == ["s_small"]


def test_merge_moves_members_and_keeps_the_old_id_working(store: Store) -> None:
    a = _add(store, "000", "s_a")
    b = _add(store, "001", "s_b")
    c = _add(store, "002", "s_c")
    refresh_stories(store)
    assert store.merge_stories("s_a", "s_b") == "s_a"
    assert store.merge_stories("s_c", "s_a") == "s_c"
    # the store moves rows; the surface of the survivor is the layer above's to refresh
    assert store.stale_stories() == ["s_c"]
    assert refresh_stories(store) == 1
    assert sorted(store.story_article_ids("s_c")) == sorted([a.id, b.id, c.id])
    # both retired ids resolve to the survivor, through the chain
    assert store.resolve_story("s_b") == store.resolve_story("s_a") == "s_c"
    story = store.story("s_b")
    assert story is not None and story.id == "s_c" and story.size == 3
    assert [s.id for s in store.stories()] == ["s_c"]
    history = store.story_history("s_a")
    assert [(h.action, h.story_id, h.other_story_id) for h in history] == [
        ("merge", "s_a", "s_b"),
        ("merge", "s_c", "s_a"),
    ]
    assert history[0].article_ids == (b.id,) and not history[0].automatic
    with pytest.raises(StoreError, match="already part of story s_c"):
        store.merge_stories("s_c", "s_b")
    with pytest.raises(StoryNotFound, match="no story s_nowhere in the store"):
        store.merge_stories("s_c", "s_nowhere")


def test_split_moves_the_named_articles_to_a_new_story(store: Store) -> None:
    a = _add(store, "000", "s_mixed")
    b = _add(store, "001", "s_mixed")
    c = _add(store, "003", "s_mixed")
    refresh_stories(store)
    new = store.split_story("s_mixed", [c.id])
    assert store.stale_stories() == ["s_mixed", new]
    assert refresh_stories(store) == 2
    assert new.startswith("s_") and new != "s_mixed"
    assert store.story_article_ids(new) == [c.id]
    assert sorted(store.story_article_ids("s_mixed")) == sorted([a.id, b.id])
    assert store.story(new).size == 1 and store.story("s_mixed").size == 2  # type: ignore[union-attr]
    assert store.story(new).languages == {"uk": 1}  # type: ignore[union-attr]
    assert [h.action for h in store.story_history(new)] == ["split"]
    with pytest.raises(StoreError, match="not a member of this story"):
        store.split_story("s_mixed", [c.id])
    with pytest.raises(StoreError, match="at least one article on each side"):
        store.split_story("s_mixed", [a.id, b.id])


def test_merge_and_split_by_hand_refresh_what_they_change(store: Store) -> None:
    """``storyline stories merge|split`` refresh the stories they change, which the store
    itself leaves stale."""
    _add(store, "000", "s_a")
    _add(store, "001", "s_b")
    c = _add(store, "003", "s_b")
    refresh_stories(store)
    url = store.url.render_as_string(hide_password=False)
    merged = CliRunner().invoke(app, ["stories", "merge", "s_a", "s_b", "--db", url])
    assert merged.exit_code == 0, merged.output
    story = store.story("s_a")
    assert story is not None and story.size == 3 and story.languages == {"uk": 2, "ru": 1}
    assert store.stale_stories() == []
    # the retired id names the story it became
    split = CliRunner().invoke(app, ["stories", "split", "s_b", c.id, "--db", url])
    assert split.exit_code == 0, split.output
    new = store.story_of(c.id)
    assert new is not None and new in split.output
    assert store.stale_stories() == []
    assert [(s.id, s.size) for s in store.stories()] == [("s_a", 2), (new, 1)]


def test_pages_split_off_again_after_a_merge_back_are_in_a_live_story(store: Store) -> None:
    """The clusterer may split the same pages off, merge them back and split them off
    again (on the dev corpus: 11 of 144 pages); the second split reuses the retired id."""
    _add(store, "000", "s_base")
    _add(store, "001", "s_base")
    c = _add(store, "003", "s_base")
    new = split_id("s_base", [c.id])
    again = [Split("s_base", new, (c.id,)), Merge("s_base", new), Split("s_base", new, (c.id,))]
    assert store.apply_story_changes(again) == {"s_base", new}
    assert store.resolve_story(new) == new
    assert store.story_of(c.id) == new and store.story_article_ids(new) == [c.id]
    refresh_stories(store)
    assert sorted((s.id, s.size) for s in store.stories()) == sorted([("s_base", 2), (new, 1)])


def test_a_surface_read_before_a_change_is_not_saved(store: Store) -> None:
    """The surface is computed outside the store's write: a page joining meanwhile must
    leave the story stale, not give it the surface of the members it had."""
    _add(store, "000", "s_live")
    inputs = store.surface_inputs("s_live", MAX_CENTRALITY_MEMBERS)
    _add(store, "001", "s_live")
    assert not store.save_surface(inputs, surface_from(inputs, store.count_articles()))
    assert store.stale_stories() == ["s_live"]
    assert refresh_stories(store) == 1
    story = store.story("s_live")
    assert story is not None and story.size == 2 and story.languages == {"ru": 1, "uk": 1}


def test_deleting_an_article_removes_its_membership(store: Store) -> None:
    a = _add(store, "000", "s_x")
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM article WHERE id = :id"), {"id": a.id})
    assert store.story_of(a.id) is None
