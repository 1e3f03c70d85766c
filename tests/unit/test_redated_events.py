"""A page its story re-dates has its event mentions found again as a full reading would.

The writer does not annotate a re-dated page anew: a part whose dates that can date a
happening stand where they stood only has its mentions' dates read again, any other is
annotated for what event finding reads (no quotes) and its mentions found again
(:func:`storyline.ingest.redated_parts`). On real pages (the seeds and the dev corpus,
many of which state no publication day, so their story dates them), every re-dated
page's new event rows must equal what the full reading gives: the part annotated again
with everything (sentences, dates, durations, quotes) and its mentions found and linked.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import storyline.ingest as ingest_module
from paths import DEV, SEEDS
from storyline.assemble.events import part_mentions, part_texts
from storyline.config import Settings
from storyline.document import Article
from storyline.ingest import event_parts, ingest
from storyline.nlp.pipeline import annotate
from storyline.store import Store
from storyline.store.events import Linked, PartEvents

pytestmark = pytest.mark.skipif(
    not (SEEDS.is_dir() and DEV.is_dir()), reason="shared seeds and dev corpus not available"
)

Call = tuple[Article, Mapping[str, Linked], dict[str, PartEvents]]


@pytest.fixture(scope="module")
def redated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Call], list[bool]]:
    """Each re-dated page the ingest of the seeds and the dev pages found events for again
    (the article, the stored entities its parts were read with, the rows it got), and for
    each part whether its mentions only had their dates read anew."""
    calls: list[Call] = []
    kept: list[bool] = []
    found_again = ingest_module.redated_parts
    redate = ingest_module.redate_mentions

    def spy_parts(article: Article, stored: Any, linked: Mapping[str, Linked]) -> Any:
        parts = found_again(article, stored, linked)
        calls.append((article, linked, parts))
        return parts

    def spy_redate(*args: Any) -> Any:
        mentions = redate(*args)
        kept.append(mentions is not None)
        return mentions

    url = f"sqlite:///{tmp_path_factory.mktemp('redated') / 'store.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest_module, "redated_parts", spy_parts)
        patch.setattr(ingest_module, "redate_mentions", spy_redate)
        with Store.open(url) as store:
            ingest([str(SEEDS), str(DEV / "articles")], store, Settings.from_env(db_url=url))
    return calls, kept


def _full_reading(article: Article, linked: Mapping[str, Linked]) -> dict[str, PartEvents]:
    """The event rows of ``article``'s parts annotated anew with everything (what the
    writer did before it read only what a new date changes)."""
    texts = part_texts(article)
    notes = {
        name: annotate(article.with_(text=texts[name]), entities=tuple(m for m, _ in pairs))
        for name, pairs in linked.items()
        if name in texts
    }
    ids = {name: [eid for _, eid in linked[name]] for name in notes}
    return event_parts(notes, ids, part_mentions(article, notes))


def test_redated_pages_get_the_rows_a_full_reading_gives(
    redated: tuple[list[Call], list[bool]],
) -> None:
    calls, _ = redated
    assert len(calls) >= 10
    for article, linked, parts in calls:
        assert parts == _full_reading(article, linked), article.source


def test_both_ways_are_taken_on_real_pages(redated: tuple[list[Call], list[bool]]) -> None:
    """Some parts only have their dates read anew, others (a relative «сегодня» read once
    the page has a date) are read again: the test above covers both."""
    calls, kept = redated
    assert any(kept) and not all(kept)
    dated = [
        m.date
        for _, _, parts in calls
        for part in parts.values()
        for m in part.mentions
        if m.date is not None
    ]
    assert dated  # the rows compared carry dates, the thing re-reading changes


def test_full_reading_differs_where_the_date_reference_matters(
    redated: tuple[list[Call], list[bool]],
) -> None:
    """The comparison could fail: read against no date at all, some re-dated page's rows
    come out otherwise (its dates are what changed)."""
    calls, _ = redated
    differs = [
        article.source
        for article, linked, parts in calls
        if _full_reading(article.with_(published=None), linked) != parts
    ]
    assert differs


def test_seeds_are_among_the_pages(redated: tuple[list[Call], list[bool]]) -> None:
    calls, _ = redated
    assert any(Path(a.source).parent == SEEDS for a, _, _ in calls)
