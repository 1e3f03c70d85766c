"""The JSON API under ``/api/v1``: the same records as ``storyline export``, paginated.

Lists answer ``{"items": [...], "total": N}`` with ``limit``/``offset``; a missing
id is a 404 with ``{"detail": ...}``; bad parameters are a 422. The only write,
``POST /api/v1/articles``, needs the configured bearer token.
"""

from __future__ import annotations

import hmac
import io
import threading
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from storyline.config import Settings
from storyline.export import article_record, entity_record, story_record
from storyline.ingest import IngestReport, ingest
from storyline.store import Store, StorySummary

router = APIRouter(prefix="/api/v1", tags=["api"])

LANG_PATTERN = r"^[a-z]{2,3}$"
Limit = Annotated[int, Query(ge=1, le=100, description="Page size (1–100).")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
Lang = Annotated[str | None, Query(pattern=LANG_PATTERN, description="ISO 639-1 code.")]
Outlet = Annotated[str | None, Query(max_length=200)]
Since = Annotated[date | None, Query(description="Published on or after (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="Published before (YYYY-MM-DD).")]


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


def _story_json(store: Store, story_id: str) -> dict[str, Any] | None:
    story = store.story(story_id)
    return _story_item(story, store.story_article_ids(story.id)) if story else None


@router.get("/stories", summary="Stories, most important first")
def list_stories(
    store: StoreDep,
    lang: Lang = None,
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    filters: dict[str, Any] = {"lang": lang, "outlet": outlet, "since": since, "until": until}
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
            "published": o.published.isoformat() if o.published else None,
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
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    result = store.search(q, lang=lang, outlet=outlet, limit=limit, offset=offset)
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
                "published": article.published.isoformat() if article.published else None,
                "url": article.url,
                "score": hit.score,
                "via_entity": hit.via_entity,
            }
        )
    return {"items": items, "total": result.total, "entities": list(result.entity_ids)}


_INGEST = threading.Lock()
"""One ingest at a time per process: the linker and the story clusterer read the store
as it was when they started, so two interleaved batches could mint twin entities."""


def _ingest_body(body: bytes, store: Store, settings: Settings) -> IngestReport:
    with _INGEST:
        return ingest(["-"], store, settings, stdin=io.BytesIO(body))


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
    responses={200: {"description": "Nothing new"}, 401: {}, 403: {}, 413: {}, 422: {}},
)
async def post_articles(
    request: Request,
    store: StoreDep,
    authorization: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    _check_token(request, authorization)
    body = await request.body()
    settings: Settings = request.app.state.settings
    report = await run_in_threadpool(_ingest_body, body, store, settings)
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
