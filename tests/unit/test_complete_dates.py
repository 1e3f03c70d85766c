"""The single writer's dating of undated pages from their story (``_Stories.complete_dates``).

Runs on SQLite and on PostgreSQL (the ``store`` fixture), with real seed pages placed in
one story as the clusterer would.
"""

from __future__ import annotations

from datetime import datetime

from paths import seed
from storyline import ingest as ingest_module
from storyline.document import Article, RawDocument
from storyline.store import Store, StoryPlacement


def _add(store: Store, key: str, lang: str, published: datetime | None) -> str:
    text = seed(key).read_text(encoding="utf-8")
    doc = RawDocument(source=f"seeds/{key}.txt", data=text.encode())
    article = Article(
        id=doc.article_id,
        source=doc.source,
        text=text,
        lang=lang,
        title=next(line for line in text.splitlines() if len(line) > 40),
        published=published,
        published_precision="day" if published else None,
    )
    assert store.add_article(doc, article, story=StoryPlacement("s_talks"))
    return article.id


def test_a_page_dated_in_the_same_story_window_is_not_read_again(store: Store) -> None:
    _add(store, "000", "ru", datetime(2022, 1, 12))
    _add(store, "001", "uk", datetime(2022, 1, 26))
    undated = _add(store, "002", "ru", None)
    read: list[list[str]] = []
    articles_by_id = store.articles_by_id

    def spy(ids: list[str]) -> list[Article]:
        read.append(list(ids))
        return articles_by_id(ids)

    store.articles_by_id = spy  # type: ignore[method-assign]
    stories = ingest_module._Stories(store)
    stories.complete_dates(["s_talks"])
    assert [undated] in read  # dated from its story's window
    dated = store.articles_by_id([undated])[0]
    read.clear()
    stories.complete_dates(["s_talks"])  # the window has not moved: nothing to read or write
    assert all(undated not in ids for ids in read)
    assert store.articles_by_id([undated])[0] == dated
    # a new stated day moves the window: the page is dated again
    _add(store, "003", "uk", datetime(2022, 1, 9))
    read.clear()
    stories.complete_dates(["s_talks"])
    assert [undated] in read
