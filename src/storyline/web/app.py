"""The FastAPI application: one store per app, pages, the JSON API, static files.

Why one store per app and not per request: a :class:`~storyline.store.Store` holds the
connection pool; opening it migrates the schema, which a request must never do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.config import Settings
from storyline.store import Store
from storyline.web import api, feeds, pages, reader_api
from storyline.web.security import SecurityMiddleware
from storyline.web.writer import WRITER

STATIC = Path(__file__).resolve().parent / "static"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


async def _build_route_tables(app: FastAPI) -> None:
    """Send the app one request no route matches, before any reader: FastAPI builds each
    included router's route table on the first request that reaches it, which cost the
    first story page of a fresh server 13 ms of CPU of its 64 (60-page story, measured
    in-process)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://warm-up") as client:
        await client.get("/-/warm-up")


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The app for ``settings`` (its store opened now, closed at shutdown); pass
    ``store`` to serve one you opened yourself (it is then left open). At startup it
    loads the pages' NLP models (:func:`pages.warm_up`), before any request, and with a
    token set starts the writer process (:mod:`storyline.web.writer`)."""
    own = store is None
    opened = Store.open(settings.db_url) if store is None else store

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.api_token:
            WRITER.start(settings)
        await run_in_threadpool(pages.warm_up)
        await _build_route_tables(app)
        try:
            yield
        finally:
            if own:
                opened.close()

    app = FastAPI(
        title="storyline",
        summary="Stories, articles and entities from raw news pages in ru/uk/en.",
        version="1",
        openapi_url="/openapi.json",
        docs_url=None,  # Swagger UI needs inline script and a CDN; the CSP allows neither
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = opened
    app.state.settings = settings
    app.add_middleware(SecurityMiddleware, max_body=settings.max_request_bytes)
    app.include_router(api.router)
    app.include_router(reader_api.router)
    app.include_router(pages.router)
    app.include_router(feeds.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return pages.error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            errors = [
                {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                for e in exc.errors()
            ]
            return JSONResponse({"detail": errors}, status_code=422)
        return pages.error_page(request, 400, "; ".join(str(e.get("msg")) for e in exc.errors()))

    return app
