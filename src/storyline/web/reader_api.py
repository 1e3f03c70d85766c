"""The JSON API of what the reader's pages add: watches and their digests (the same as
``storyline digest`` and the watch pages), and a story's reading aids (the story page's
key facts, first reporters, outlet groups, pages per day, what each group left out).

Apart from :mod:`storyline.web.api` only to keep that module about the stored records;
the routes share its prefix, store dependency and parameter types.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from storyline.display import outlet_label, published_iso
from storyline.report.digest import (
    digest,
    digest_record,
    start_of,
    watch_name,
    watch_record,
)
from storyline.store import StoryNotFound
from storyline.web.api import Since, StoreDep, TitleLang
from storyline.web.reading import day_counts, outlet_reading, reading_for

router = APIRouter(prefix="/api/v1", tags=["api"])


@router.get("/watches", summary="Watches (entities, stories, searches followed), oldest first")
def list_watches(store: StoreDep) -> dict[str, Any]:
    items = [watch_record(w, watch_name(store, w)) for w in store.watches()]
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
    return digest_record(found)


@router.get(
    "/stories/{story_id}/reading",
    summary="A story's reading aids: key facts, first reporters, outlet groups, pages per day",
)
def story_reading(story_id: str, store: StoreDep, lang: TitleLang = "en") -> dict[str, Any]:
    try:
        live = store.live_story(story_id)
    except StoryNotFound:
        raise HTTPException(404, f"no story with id {story_id!r}") from None
    articles = store.articles_by_id(store.story_article_ids(live))
    found = reading_for(store, live, articles, lang)
    return {
        "story_id": live,
        "pages": found.pages,
        "outlets": found.outlets,
        "languages": found.languages,
        "sides": found.sides,
        "groups": [g for g, _ in found.groups],
        "key_facts": [{"event_id": e.id, "title": e.title(lang)} for e in found.key_facts],
        "events": {
            event_id: {
                "first_reported_by": {
                    "article_id": r.first.id,
                    "outlet": r.first.outlet,
                    "published": published_iso(r.first),
                }
                if r.first
                else None,
                "outlets": [{"outlet": c.outlet, "group": c.group} for c in r.chips],
                "participants": [eid for eid, _ in r.participants],
            }
            for event_id, r in found.events.items()
        },
        "pages_per_day": {
            group: {day.isoformat(): n for day, n in sorted(days.items())}
            for group, days in sorted(day_counts(found.per_day).items())
        },
        "left_out": {g: [e.id for e in events] for g, events in found.left_out},
    }


@router.get(
    "/outlets/{outlet}",
    summary="An outlet: its group, the stories it covered, what it left out, its quotes",
)
def get_outlet(outlet: str, store: StoreDep, lang: TitleLang = "en") -> dict[str, Any]:
    found = outlet_reading(store, outlet)
    if found is None:
        raise HTTPException(404, f"no page from outlet {outlet!r}")
    return {
        "outlet": found.outlet,
        "name": outlet_label(found.outlet, lang),
        "group": found.group,
        "story_ids": [s.id for s in found.stories],
        "article_ids": [a.id for a in found.articles],
        "quote_ids": [q.id for q in found.quotes],
        "left_out": {story.id: [e.id for e in events] for story, events in found.left_out},
    }
