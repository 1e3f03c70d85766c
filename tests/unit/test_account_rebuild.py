"""A story's account when the story changes, for a store without event mentions (one
migrated from before they were stored): only the newcomer is annotated again.

An article's content never changes under its id, so the annotations a reader made are
kept; a story that gains a member rebuilds its account from the kept ones and the
newcomer's. Stores written since keep every member's mentions (tests/unit/test_event_rows.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pytest

from paths import DEV
from storyline.assemble import timeline
from storyline.assemble.timeline import AccountCache
from storyline.document import Article
from storyline.memo import Memo
from storyline.nlp.annotations import Annotations
from storyline.records import CanonicalEntity


def _article(number: int) -> Article:
    title, *body = [
        line.strip()
        for line in (DEV / "articles" / f"{number:03d}.txt").read_text("utf-8").splitlines()
        if line.strip()
    ]
    return Article(
        id=f"a_dev{number:03d}", source=f"{number:03d}.txt", text="\n\n".join(body),
        title=title, lang="uk", published=datetime(2023, 6, 24), published_precision="day",
    )  # fmt: skip


class _Story:
    """The little of a store an account reads: one story whose members can grow."""

    def __init__(self, articles: list[Article]) -> None:
        self.members = articles

    def story_article_ids(self, story_id: str) -> list[str]:
        return [a.id for a in self.members]

    def articles_by_id(self, article_ids: Iterable[str]) -> list[Article]:
        wanted = set(article_ids)
        return [a for a in self.members if a.id in wanted]

    def articles_annotations(self, article_ids: Iterable[str]) -> Mapping[str, Any]:
        return {}

    def entities_by_id(self, entity_ids: Iterable[str]) -> Mapping[str, CanonicalEntity]:
        return {}

    def article_event_rows(self, article_ids: Iterable[str]) -> Mapping[str, Any]:
        return {}  # stored before event mentions were

    def event_references(self, article_ids: Iterable[str]) -> Mapping[str, str]:
        return {}

    def stored_account(self, story_id: str) -> None:
        return None  # nor any account stored


def test_a_new_member_is_the_only_one_annotated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    annotated: list[str] = []
    real = timeline.annotate_parts

    def counting(article: Article) -> dict[str, Annotations]:
        annotated.append(article.id)
        return real(article)

    monkeypatch.setattr(timeline, "annotate_parts", counting)
    monkeypatch.setattr(timeline, "_annotated_memo", Memo(64))  # none kept by an earlier test
    story = _Story([_article(n) for n in (1, 2, 3)])
    cache = AccountCache()
    first = cache.get(story, "s_test")
    assert sorted(set(annotated)) == ["a_dev001", "a_dev002", "a_dev003"]
    annotated.clear()
    story.members = [*story.members, _article(4)]
    second = cache.get(story, "s_test")
    assert set(annotated) == {"a_dev004"}
    assert len(second.outlets) == 4 and second.events != () and first.events != ()
    monkeypatch.setattr(timeline, "_annotated_memo", Memo(64))  # nothing kept: from scratch
    fresh = AccountCache().get(story, "s_test")
    assert [e.id for e in fresh.events] == [e.id for e in second.events]
