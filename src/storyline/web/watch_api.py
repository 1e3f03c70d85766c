"""The JSON API of watches: the same digests as ``storyline digest`` and the watch pages.

Apart from :mod:`storyline.web.api` only to keep that module about the stored records;
the routes share its prefix, store dependency and parameter types.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from storyline.report.digest import StoryNews, digest, start_of, watch_name
from storyline.store import Watch
from storyline.web.api import Since, StoreDep, TitleLang

router = APIRouter(prefix="/api/v1", tags=["api"])


def _watch_item(watch: Watch, name: str) -> dict[str, Any]:
    return {
        "id": watch.id,
        "kind": watch.kind,
        "target": watch.target,
        "label": watch.label,
        "name": name,
        "created_at": watch.created_at.isoformat(),
        "feed": f"/feeds/watches/{watch.id}.atom",
    }


def _news_item(news: StoryNews) -> dict[str, Any]:
    return {
        "story_id": news.story.id,
        "title": news.title,
        "new_article_ids": list(news.new_articles),
        "events": [
            {
                "event_id": e.event_id,
                "title": e.title,
                "date": e.date,
                "first_reported_by": e.first_outlet,
                "article_ids": list(e.article_ids),
            }
            for e in news.events
        ],
        "conflicts": [
            {
                "event_id": c.event_id,
                "event_title": c.event_title,
                "attribute": c.attribute,
                "values": list(c.values),
            }
            for c in news.conflicts
        ],
        "outlets": list(news.outlets),
    }


@router.get("/watches", summary="Watches (entities, stories, searches followed), oldest first")
def list_watches(store: StoreDep) -> dict[str, Any]:
    items = [_watch_item(w, watch_name(store, w)) for w in store.watches()]
    return {"items": items, "total": len(items)}


@router.get(
    "/watches/{watch_id}/digest",
    summary="What is new for a watch: new events, disagreements and outlets per story",
    description="New means stored on or after `since` (default: the last seven days).",
)
def watch_digest(
    watch_id: str, store: StoreDep, since: Since = None, lang: TitleLang = "en"
) -> dict[str, Any]:
    watch = store.watch(watch_id)
    if watch is None:
        raise HTTPException(404, f"no watch with id {watch_id!r}")
    found = digest(store, watch, start_of(since), lang)
    return {
        **_watch_item(watch, found.name),
        "since": found.since.isoformat(),
        "stories": [_news_item(n) for n in found.stories],
    }
