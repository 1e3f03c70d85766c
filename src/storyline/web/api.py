"""The JSON API under ``/api/v1``: the same records as ``storyline export``, paginated.

Lists answer ``{"items": [...], "total": N}`` with ``limit``/``offset``; a missing
id is a 404 with ``{"detail": ...}``; bad parameters are a 422. A story's account
(timeline, conflicts, coverage) is :func:`storyline.assemble.timeline.story_account`,
built on demand and cached, so conflicts are asked for one story at a time. The only write,
``POST /api/v1/articles``, needs the configured bearer token.
"""

from __future__ import annotations

import hmac
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from storyline.assemble.timeline import StoryAccount, story_account
from storyline.compare.coverage import UNKNOWN, EventCoverage, load_groups
from storyline.config import Settings
from storyline.display import iso_at_precision, published_iso
from storyline.export import (
    article_record,
    entity_record,
    event_record,
    quote_record,
    story_record,
)
from storyline.records import Event
from storyline.store import QuoteRecord, Store, StoryChange, StorySummary
from storyline.store.stories import StoryNotFound
from storyline.web.reading import group_outlets
from storyline.web.snippet import searched_text, snippet
from storyline.web.writer import WRITER, IngestProcessDied

router = APIRouter(prefix="/api/v1", tags=["api"])

LANG_PATTERN = r"^[a-z]{2,3}$"
Limit = Annotated[int, Query(ge=1, le=100, description="Page size (1–100).")]
MAX_OFFSET = 1_000_000_000
"""The largest ``offset`` a list takes: far past any store, yet ``offset + limit`` stays
well inside the 64-bit integer SQLite and PostgreSQL bind, so a huge value is a 422 (or
a 400 page) instead of an ``OverflowError`` deep in the driver."""
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip (0–{MAX_OFFSET:,}).")
]
Lang = Annotated[str | None, Query(pattern=LANG_PATTERN, description="ISO 639-1 code.")]
Outlet = Annotated[str | None, Query(max_length=200)]
Group = Annotated[
    str | None,
    Query(max_length=200, description="An outlet group of the coverage mapping."),
]
Since = Annotated[date | None, Query(description="Published on or after (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="Published before (YYYY-MM-DD).")]
TitleLang = Annotated[Literal["en", "ru", "uk"], Query(description="Language of the event titles.")]
StoryId = Annotated[str, Query(min_length=1, max_length=200, description="A story id.")]
StoryFilter = Annotated[
    str | None, Query(min_length=1, max_length=200, description="A story id (404 if none).")
]
Speaker = Annotated[
    str | None, Query(min_length=1, max_length=200, description="The speaker's entity id.")
]


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


def _page(items: list[dict[str, Any]], total: int) -> dict[str, Any]:
    return {"items": items, "total": total}


def _at(day: date | None) -> datetime | None:
    return datetime.combine(day, time()) if day is not None else None


def _not_found(kind: str, ident: str) -> HTTPException:
    return HTTPException(404, f"no {kind} with id {ident!r}")


def _story_item(story: StorySummary, article_ids: list[str]) -> dict[str, Any]:
    """The export's story record, plus what a reader's page needs: titles per language, size."""
    return {**story_record(story, article_ids), "titles": dict(story.titles), "size": story.size}


def _change_item(change: StoryChange) -> dict[str, Any]:
    """One merge or split: ``story_id`` changed; ``other_story_id`` was merged into it
    (``merge``) or split off from it (``split``), taking ``article_ids`` along."""
    return {
        "action": change.action,
        "story_id": change.story_id,
        "other_story_id": change.other_story_id,
        "article_ids": list(change.article_ids),
        "automatic": change.automatic,
        "at": change.at.isoformat(),
    }


def _story_json(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story with its merge/split ``history`` (either side, oldest first)."""
    story = store.story(story_id)
    if story is None:
        return None
    history = [_change_item(c) for c in store.story_history(story.id)]
    return {**_story_item(story, store.story_article_ids(story.id)), "history": history}


@router.get("/stories", summary="Stories, most important first")
def list_stories(
    store: StoreDep,
    lang: Lang = None,
    outlet: Outlet = None,
    group: Group = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "lang": lang,
        "outlet": outlet,
        "outlets": group_outlets(store, group),
        "since": since,
        "until": until,
    }
    page = store.stories(**filters, limit=limit, offset=offset)
    members = store.story_members(s.id for s in page)
    items = [_story_item(s, members[s.id]) for s in page]
    return _page(items, store.count_stories(**filters))


@router.get("/stories/{story_id}", summary="One story (a merged-away id gives its successor)")
def get_story(story_id: str, store: StoreDep) -> dict[str, Any]:
    found = _story_json(store, story_id)
    if found is None:
        raise _not_found("story", story_id)
    return found


# ---------------------------------------------------------------------------- account


def _live_story(store: Store, story_id: str) -> str:
    """The id ``story_id`` lives on as, so a merged-away id answers like ``GET /stories/{id}``
    does; a 404 when there is no such story."""
    try:
        return store.live_story(story_id)
    except StoryNotFound:
        raise _not_found("story", story_id) from None


def _account(store: Store, story_id: str) -> StoryAccount:
    return story_account(store, _live_story(store, story_id))


def _event_item(found: StoryAccount, event: Event, lang: str) -> dict[str, Any]:
    """The export's event record (so API and export agree), titled in the reader's language,
    with what each source states of the date: that is what a reader checks a conflict by."""
    conflicts = found.conflicts.get(event.id, ())
    record = event_record(event, found.story_id, conflicts)
    sources = [
        {**out, "stated_date": src.date, "date_from": src.date_from}
        for out, src in zip(record["sources"], event.sources, strict=True)
    ]
    return {
        **record,
        "title": event.title(lang),
        "lang": lang,
        "planned": event.planned,
        "has_conflict": bool(conflicts),
        "sources": sources,
    }


def _events_page(
    found: StoryAccount, events: list[Event], lang: str, limit: int, offset: int
) -> dict[str, Any]:
    """A page of ``events``; ``story_id`` names the story answering (a successor, after a
    merge)."""
    items = [_event_item(found, e, lang) for e in events[offset : offset + limit]]
    return {**_page(items, len(events)), "story_id": found.story_id}


@router.get("/stories/{story_id}/timeline", summary="A story's events in date order")
def story_timeline(
    story_id: str,
    store: StoreDep,
    lang: TitleLang = "en",
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    found = _account(store, story_id)
    return _events_page(found, list(found.events), lang, limit, offset)


def _conflicts_page(
    store: Store, story_id: str, lang: str, limit: int, offset: int
) -> dict[str, Any]:
    """The timeline's events whose reports disagree (each item's ``conflicts`` says on what)."""
    found = _account(store, story_id)
    events = [e for e in found.events if e.id in found.conflicts]
    return _events_page(found, events, lang, limit, offset)


@router.get("/stories/{story_id}/conflicts", summary="A story's events whose reports disagree")
def story_conflicts(
    story_id: str,
    store: StoreDep,
    lang: TitleLang = "en",
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    return _conflicts_page(store, story_id, lang, limit, offset)


@router.get(
    "/conflicts",
    summary="Events whose reports disagree, in one story (story required)",
    description=(
        "Conflicts are found while a story's account is built, which re-annotates every "
        "member article; a store-wide list would rebuild every story, so one is asked for."
    ),
)
def list_conflicts(
    store: StoreDep,
    story: StoryId,
    lang: TitleLang = "en",
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    return _conflicts_page(store, story, lang, limit, offset)


def _coverage_row(row: EventCoverage, event: Event, lang: str) -> dict[str, Any]:
    return {
        "event_id": row.event_id,
        "title": event.title(lang),
        "date": event.date,
        "outlets": list(row.outlets),
        "groups": list(row.groups),
    }


@router.get(
    "/stories/{story_id}/coverage",
    summary="Which outlet groups report each event, and what each group leaves out",
    description="Groups are the bundled outlet-group mapping (`outlet_groups.json`).",
)
def story_coverage(
    story_id: str,
    store: StoreDep,
    lang: TitleLang = "en",
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    found = _account(store, story_id)
    rows = list(zip(found.coverage.events, found.events, strict=True))
    items = [_coverage_row(row, event, lang) for row, event in rows[offset : offset + limit]]
    groups = load_groups()
    outlets = {o or UNKNOWN: groups.group(o) for o in found.outlets.values()}
    return {
        **_page(items, len(rows)),
        "story_id": found.story_id,
        "groups": list(found.coverage.missing),
        "outlets": dict(sorted(outlets.items())),
        "missing": {g: list(ids) for g, ids in found.coverage.missing.items()},
    }


def _quote_item(quote: QuoteRecord) -> dict[str, Any]:
    """The export's quote record, plus what a reader sees beside the words."""
    return {
        **quote_record(quote),
        "speaker_name": quote.speaker_name,
        "lang": quote.lang,
        "outlet": quote.outlet,
        "title": quote.title,
    }


def _quotes_page(
    store: Store, speaker: str | None, story_id: str | None, limit: int, offset: int
) -> dict[str, Any]:
    filters = {"speaker": speaker, "story_id": story_id}
    page = store.quotes(**filters, limit=limit, offset=offset)
    return _page([_quote_item(q) for q in page], store.count_quotes(**filters))


@router.get("/quotes", summary="Quotes, newest article first")
def list_quotes(
    store: StoreDep,
    speaker: Speaker = None,
    story: StoryFilter = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    story_id = _live_story(store, story) if story is not None else None
    return _quotes_page(store, speaker, story_id, limit, offset)


@router.get("/stories/{story_id}/quotes", summary="A story's quotes, newest article first")
def story_quotes(
    story_id: str,
    store: StoreDep,
    speaker: Speaker = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    return _quotes_page(store, speaker, _live_story(store, story_id), limit, offset)


@router.get("/articles", summary="Articles, newest first, with their annotations")
def list_articles(
    store: StoreDep,
    lang: Lang = None,
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "lang": lang,
        "outlet": outlet,
        "since": _at(since),
        "until": _at(until),
    }
    page = store.articles(**filters, limit=limit, offset=offset)
    annotations = store.articles_annotations(a.id for a in page)
    stories = store.stories_of(a.id for a in page)
    items = [article_record(a, annotations[a.id], stories.get(a.id)) for a in page]
    return _page(items, store.count_articles(**filters))


@router.get("/articles/{article_id}", summary="One article with its entities and dates")
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    article = store.article(article_id)
    if article is None:
        raise _not_found("article", article_id)
    return article_record(
        article, store.article_annotations(article.id), store.story_of(article.id)
    )


@router.get("/entities", summary="Entities, most articles first")
def list_entities(
    store: StoreDep,
    type: Annotated[str | None, Query(pattern=r"^(PER|ORG|LOC|EVT|MISC)$")] = None,
    lang: Lang = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    page = store.entity_rows(type=type, lang=lang, limit=limit, offset=offset)
    return _page([entity_record(e) for e in page], store.count_entities(type=type, lang=lang))


@router.get("/entities/{entity_id}", summary="One entity, where it is mentioned, its stories")
def get_entity(
    entity_id: str,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500, description="Articles to list.")] = 50,
) -> dict[str, Any]:
    detail = store.entity_detail(entity_id, limit=limit)
    if detail is None:
        raise _not_found("entity", entity_id)
    article_ids = [o.article_id for o in detail.occurrences]
    stories = store.stories_of(article_ids)
    occurrences = [
        {
            "article_id": o.article_id,
            "title": o.title,
            "lang": o.lang,
            "published": iso_at_precision(o.published, o.published_precision),
            "published_precision": o.published_precision,
            "story_id": stories.get(o.article_id),
            "mentions": [
                {"start": m.start, "end": m.end, "text": m.text, "context": m.context}
                for m in o.mentions
            ],
        }
        for o in detail.occurrences
    ]
    return {
        **entity_record(detail.summary),
        "occurrences": occurrences,
        "stories": list(dict.fromkeys(stories.values())),
    }


@router.get("/search", summary="Morphology-aware full-text search over articles")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words, any form.")],
    lang: Lang = None,
    outlet: Outlet = None,
    group: Group = None,
    since: Since = None,
    until: Until = None,
    entity: Annotated[
        str | None, Query(max_length=200, description="Only pages mentioning this entity id.")
    ] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    result = store.search(
        q,
        lang=lang,
        outlet=outlet,
        outlets=group_outlets(store, group),
        since=since,
        until=until,
        entity=entity,
        limit=limit,
        offset=offset,
    )
    stories = store.stories_of(h.article_id for h in result.hits)
    found = {a.id: a for a in store.articles_by_id(h.article_id for h in result.hits)}
    items = []
    for hit in result.hits:
        article = found.get(hit.article_id)
        if article is None:
            continue
        items.append(
            {
                "article_id": article.id,
                "title": article.title,
                "lang": article.lang,
                "outlet": article.outlet,
                "published": published_iso(article),
                "published_precision": article.published_precision,
                "url": article.url,
                "score": hit.score,
                "via_entity": hit.via_entity,
                "story_id": stories.get(article.id),
                "snippet": str(snippet(searched_text(article), q, article.lang)),
            }
        )
    return {"items": items, "total": result.total, "entities": list(result.entity_ids)}


def _check_token(request: Request, authorization: str | None) -> None:
    settings: Settings = request.app.state.settings
    if not settings.api_token:
        raise HTTPException(403, "read-only server: set STORYLINE_API_TOKEN to allow ingest")
    scheme, _, given = (authorization or "").partition(" ")
    ok = scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), settings.api_token.encode()
    )
    if not ok:
        raise HTTPException(401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"})


@router.post(
    "/articles",
    summary="Ingest a page: raw text, HTML, JSONL, WARC or a feed (bearer token required)",
    status_code=201,
    responses={200: {"description": "Nothing new"}, 401: {}, 403: {}, 413: {}, 422: {}, 503: {}},
)
async def post_articles(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Ingests in the server's writer process (:mod:`storyline.web.writer`), awaited from
    a worker thread: the event loop and the reads go on meanwhile."""
    _check_token(request, authorization)
    body = await request.body()
    settings: Settings = request.app.state.settings
    try:
        report = await run_in_threadpool(WRITER.ingest, body, settings)
    except IngestProcessDied as exc:
        raise HTTPException(503, str(exc)) from None
    payload = {
        "ingested": report.ingested,
        "duplicates": report.duplicates,
        "already_known": report.already_known,
        "article_ids": report.article_ids,
        "failed": [str(e) for e in report.failed],
    }
    if report.article_ids:
        status = 201
    elif report.failed:
        status = 422
    else:
        status = 200
    return JSONResponse(payload, status_code=status)
