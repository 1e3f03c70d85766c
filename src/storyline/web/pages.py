"""Server-rendered HTML pages: front page, story, article, entity, search.

Every page works without JavaScript. Templates autoescape; the only pre-built
markup handed to them (highlighted article text, the SVG chart) is assembled
from individually escaped pieces in :mod:`highlight` and :mod:`chart`.

``?lang=en|uk|ru`` switches the interface language (and is remembered in a
cookie); the story language filter is ``?language=``, so the two never clash.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from storyline.assemble import timeline
from storyline.assemble.events import article_events
from storyline.assemble.linking import EntityLinker
from storyline.assemble.timeline import annotated_parts
from storyline.display import date_label, headline, outlet_label, published_label
from storyline.document import Article
from storyline.ingest import WARM_UP_TEXTS
from storyline.memo import Memo
from storyline.report.digest import digest, start_of, watch_name
from storyline.report.values import human_value
from storyline.store import Store
from storyline.web import i18n, views
from storyline.web.api import LANG_PATTERN, MAX_OFFSET, StoreDep
from storyline.web.chart import (
    bar_chart,
    buckets,
    share_bar,
    stacked_buckets,
    stacked_chart,
)
from storyline.web.feeds import feed_url
from storyline.web.highlight import highlight, quote_anchor, sentence_anchor
from storyline.web.reading import (
    group_names,
    group_outlets,
    group_shares,
    key_event,
    outlet_groups,
    outlet_reading,
    reading_for,
)
from storyline.web.snippet import searched_text, snippet

router = APIRouter(include_in_schema=False)

PAGE = 20
_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,  # every template, whatever its extension
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_env)

Language = Annotated[str | None, Query(pattern=LANG_PATTERN)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Day = Annotated[date | None, Query()]
Outlet = Annotated[str | None, Query(max_length=200)]
Group = Annotated[str | None, Query(max_length=200)]


def _url_with(request: Request, **changes: Any) -> str:
    """This page's path and query with some parameters replaced (``None`` removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return request.url.path + ("?" + urlencode(params) if params else "")


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    ui = i18n.ui_lang(request)
    t = i18n.translator(ui)
    base = {
        "ui": ui,
        "t": t,
        "n": i18n.counter(ui),
        "ui_langs": i18n.UI_LANGS,
        "url_with": lambda **kw: _url_with(request, **kw),
        "name_in": lambda names, fallback: i18n.name_in(names, fallback, ui),
        "sentence_anchor": sentence_anchor,
        "quote_anchor": quote_anchor,
        "when": lambda a: published_label(a.published, a.published_precision, ui),
        "day_label": lambda day: published_label(day, "day", ui),
        "date_label": lambda value: date_label(value, ui),
        "value_label": lambda attribute, value: human_value(attribute, value, ui),
        "headline": headline,
        "outlet_name": lambda outlet: outlet_label(outlet, ui),
        "coverage_bar": lambda story: share_bar(
            _unknown_pages(story), i18n.translator(ui)("outlet_group")
        ),
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    asked = request.query_params.get("lang")
    if asked in i18n.UI_LANGS:
        response.set_cookie(i18n.COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax")
    return response


def _unknown_pages(story: Any) -> list[tuple[str, int, str]]:
    """A story's group shares, pages without an outlet counted as unknown."""
    outlets = dict(story.outlets)
    missing = story.size - sum(outlets.values())
    if missing > 0:
        outlets[""] = missing
    return group_shares(outlets)


def error_page(request: Request, status: int, detail: str) -> Response:
    return render(request, "error.html", status=status, status_code=status, detail=detail)


def _pager(offset: int, total: int, size: int = PAGE) -> dict[str, int | None]:
    return {
        "previous": max(0, offset - size) if offset > 0 else None,
        "next": offset + size if offset + size < total else None,
        "first": offset + 1 if total else 0,
        "last": min(offset + size, total),
        "total": total,
    }


@router.get("/", response_class=HTMLResponse)
def front(
    request: Request,
    store: StoreDep,
    language: Language = None,
    outlet: Outlet = None,
    group: Group = None,
    since: Day = None,
    until: Day = None,
    offset: Offset = 0,
) -> Response:
    outlet, group = outlet or None, group or None
    groups = outlet_groups()
    outlets = group_outlets(store, group)
    filters: dict[str, Any] = {
        "lang": language,
        "outlet": outlet,
        "outlets": outlets,
        "since": since,
        "until": until,
    }
    stories = store.stories(**filters, limit=PAGE, offset=offset)
    total = store.count_stories(**filters)
    known_outlets = sorted({o for s in store.stories(limit=200) for o in s.outlets})
    return render(
        request,
        "index.html",
        stories=stories,
        pager=_pager(offset, total),
        filters={
            "language": language,
            "outlet": outlet,
            "group": group,
            "since": since,
            "until": until,
        },
        known_outlets=known_outlets,
        known_groups=group_names(groups),
        key_events={s.id: key_event(store, s.id) for s in stories},
        feeds=[feed_url("stories")],
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, store: StoreDep) -> Response:
    view = views.story_view(store, story_id)
    if view is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    if view.story.id != story_id:  # merged into another: one canonical address
        return RedirectResponse(f"/stories/{view.story.id}", status_code=301)
    ui = i18n.ui_lang(request)
    reading = reading_for(store, view.story.id, view.articles, ui, view.account)
    colours = dict(reading.groups)
    t = i18n.translator(ui)
    return render(
        request,
        "story.html",
        view=view,
        story=view.story,
        reading=reading,
        coverage_chart=stacked_chart(
            stacked_buckets(reading.per_day),
            colours,
            t("pages_per_day"),
            lambda key: date_label(key, ui),
        ),
        feeds=[feed_url("stories", view.story.id)],
    )


_cited: Memo[str, dict[str, list[tuple[int, int]]]] = Memo(512)


def _cited_sentences(store: Store, article: Article) -> dict[str, list[tuple[int, int]]]:
    """Part → ``(start, end)`` of the sentences of ``article`` that report an event: every
    sentence a story timeline can cite from it, so each source link has its anchor.

    Read off this article's stored event mentions (those its story's timeline cites), not
    its story's account; found here for an article stored without them. An id names one
    content, so the answer is kept per id (a few hundred, least recent out)."""

    def build() -> dict[str, list[tuple[int, int]]]:
        found = timeline.stored_mentions(store, [article]).get(article.id)
        if found is None:
            found = annotated_parts(article, EntityLinker())
        return {
            name: [(m.sentence_start, m.sentence_end) for m in mentions]
            for name, mentions in found.items()
        }

    return _cited.get(article.id, build)


def warm_up() -> None:
    """Load what story and article pages annotate with (morphology, the ru/uk/en NER
    models, dates, events) before the first reader comes. Loaded on first use instead, a
    model holds the GIL for seconds in the middle of traffic, and every request in the
    process waits (the load bench's slow tail)."""
    linker = EntityLinker()
    for lang, text in WARM_UP_TEXTS.items():
        article = Article(id=f"warm-{lang}", source="warm-up", text=text, title=text, lang=lang)
        article_events(article, annotated_parts(article, linker))
    timeline.warm_up()  # what a story's account is merged with, besides its rows
    for name in _env.list_templates():
        _env.get_template(name)  # compiled now, not by a first reader


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, store: StoreDep) -> Response:
    view = views.article_view(store, article_id)
    if view is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    ui = i18n.ui_lang(request)
    titles = {eid: i18n.name_in(e.names, e.name, ui) for eid, e in view.entities.items()}
    cited = _cited_sentences(store, view.article)
    article, notes = view.article, view.annotations
    return render(
        request,
        "article.html",
        view=view,
        article=article,
        title=highlight(article.title or "", part="title", cited=cited.get("title", ())),
        lead=highlight(article.lead or "", part="lead", cited=cited.get("lead", ())),
        body=highlight(
            article.text,
            notes.entities,
            notes.dates,
            titles,
            quotes=notes.quotes,
            cited=cited.get("text", ()),
        ),
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, store: StoreDep) -> Response:
    view = views.entity_view(store, entity_id)
    if view is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    t = i18n.translator(i18n.ui_lang(request))
    chart = bar_chart(buckets(view.days), t("mentions_over_time"))
    entity = view.detail.summary
    feeds = [feed_url("entities", entity.id)]
    return render(request, "entity.html", view=view, entity=entity, chart=chart, feeds=feeds)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500)] = "",
    language: Language = None,
    outlet: Outlet = None,
    group: Group = None,
    since: Day = None,
    until: Day = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    offset: Offset = 0,
) -> Response:
    outlet, group, entity = outlet or None, group or None, entity or None
    groups = outlet_groups()
    outlets = group_outlets(store, group)
    result = None
    by_story: list[tuple[Any, list[Any]]] = []
    matched: list[Any] = []
    if q.strip():
        result = store.search(
            q,
            lang=language,
            outlet=outlet,
            outlets=outlets,
            since=since,
            until=until,
            entity=entity,
            limit=PAGE,
            offset=offset,
        )
        found = {a.id: a for a in store.articles_by_id(h.article_id for h in result.hits)}
        hits = [
            (
                h,
                found[h.article_id],
                snippet(searched_text(found[h.article_id]), q, found[h.article_id].lang),
            )
            for h in result.hits
            if h.article_id in found
        ]
        by_story = _grouped_by_story(store, hits)
        entities = store.entities_by_id(list(result.entity_ids[:10]))
        matched = [entities[e] for e in result.entity_ids[:10] if e in entities]
    filtered_entity = store.entity(entity) if entity else None
    return render(
        request,
        "search.html",
        q=q,
        result=result,
        by_story=by_story,
        matched=matched,
        pager=_pager(offset, result.total if result else 0),
        filters={
            "language": language,
            "outlet": outlet,
            "group": group,
            "since": since,
            "until": until,
            "entity": entity,
        },
        filtered_entity=filtered_entity,
        known_groups=group_names(groups),
    )


def _grouped_by_story(store: Store, hits: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Hits under their story, stories in the order of their best hit; hits of pages in
    no story last, under ``None``."""
    story_of = store.stories_of(h.article_id for h, _, _ in hits)
    order: dict[str | None, list[Any]] = {}
    for hit in hits:
        order.setdefault(story_of.get(hit[0].article_id), []).append(hit)
    stories = {sid: store.story(sid) for sid in order if sid is not None}
    grouped = [(stories.get(sid), rows) for sid, rows in order.items() if sid is not None]
    return grouped + ([(None, order[None])] if None in order else [])


@router.get("/watches", response_class=HTMLResponse)
def watches_page(request: Request, store: StoreDep) -> Response:
    ui = i18n.ui_lang(request)
    rows = [(w, watch_name(store, w, ui)) for w in store.watches()]
    return render(request, "watches.html", watches=rows)


@router.get("/watches/{watch_id}", response_class=HTMLResponse)
def watch_page(request: Request, watch_id: str, store: StoreDep, since: Day = None) -> Response:
    watch = store.watch(watch_id)
    if watch is None:
        raise HTTPException(404, f"no watch with id {watch_id!r}")
    found = digest(store, watch, start_of(since), i18n.ui_lang(request))
    return render(
        request,
        "watch.html",
        watch=watch,
        found=found,
        since=found.since.date(),
        feeds=[feed_url("watches", watch.id)],
    )


@router.get("/outlets/{outlet}", response_class=HTMLResponse)
def outlet_page(request: Request, outlet: str, store: StoreDep) -> Response:
    found = outlet_reading(store, outlet)
    if found is None:
        raise HTTPException(404, f"no page from outlet {outlet!r}")
    return render(request, "outlet.html", found=found)
