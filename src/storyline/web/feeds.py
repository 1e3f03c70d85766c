"""Atom feeds: new storylines, and the pages of a storyline, an entity or a watch.

A reader follows a story in the feed reader they already use, without coming back to
look. Entries are ordered by when pages reached this store (what is *new* to a
reader), not by the dates pages claim, so a misdated page neither hides nor leads.
Every page that has a feed announces it in its head (``<link rel="alternate">``), so
feed readers find it from the page's address.

The XML is built with :mod:`xml.etree.ElementTree`, which escapes every text; characters
XML 1.0 cannot carry at all (controls a scraped page may hold) are dropped first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from storyline.display import headline, outlet_label, published_label
from storyline.report.digest import watch_name, watched_articles, watched_stories
from storyline.store import Store
from storyline.web.api import StoreDep

router = APIRouter(prefix="/feeds", include_in_schema=False)

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
ENTRIES = 50
"""Entries a feed carries: the newest pages; a reader polls far more often than that."""
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FeedLang = Annotated[str, Query(pattern=r"^(en|uk|ru)$")]


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    updated: datetime
    summary: str | None = None


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _stamp(at: datetime) -> str:
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(title: str, self_url: str, page_url: str, entries: Sequence[Entry]) -> bytes:
    """An Atom 1.0 document (RFC 4287): feed and entry ids are their absolute URLs."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _clean(title)
    newest = max((e.updated for e in entries), default=datetime(2000, 1, 1, tzinfo=UTC))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type=MEDIA_TYPE)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=page_url, type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "storyline"
    for item in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = item.id
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _clean(item.title)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(item.updated)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=item.link)
        if item.summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = _clean(item.summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def article_entries(store: Store, base: str, article_ids: Iterable[str], lang: str) -> list[Entry]:
    """The newest-stored of ``article_ids`` as entries: headline, outlet and date."""
    stored = store.stored_at(article_ids)
    newest = sorted(stored, key=lambda a: (stored[a], a), reverse=True)[:ENTRIES]
    articles = {a.id: a for a in store.articles_by_id(newest)}
    entries = []
    for article_id in newest:
        article = articles.get(article_id)
        if article is None:
            continue
        meta = [
            outlet_label(article.outlet, lang),
            published_label(article.published, article.published_precision, lang),
            article.lang,
        ]
        url = f"{base}/articles/{article.id}"
        entries.append(
            Entry(
                url, headline(article).text, url, stored[article_id], " · ".join(filter(None, meta))
            )
        )
    return entries


def _feed(body: bytes) -> Response:
    return Response(body, media_type=f"{MEDIA_TYPE}; charset=utf-8")


def _pages_feed(
    request: Request,
    store: Store,
    kind: str,
    ident: str,
    title: str,
    article_ids: Iterable[str],
    lang: str,
) -> Response:
    """The feed of one story, entity or watch: its newest pages, linking to its page."""
    base = _base(request)
    entries = article_entries(store, base, article_ids, lang)
    page = f"{base}/{kind}/{ident}"
    return _feed(atom(f"storyline: {title}", f"{base}{feed_url(kind, ident)}", page, entries))


def feed_url(kind: str, ident: str | None = None) -> str:
    """The path of a feed (``stories`` without an id: new storylines)."""
    return f"/feeds/{kind}.atom" if ident is None else f"/feeds/{kind}/{ident}.atom"


@router.get("/stories.atom")
def new_stories_feed(request: Request, store: StoreDep, lang: FeedLang = "en") -> Response:
    base = _base(request)
    entries = [
        Entry(
            f"{base}/stories/{s.id}",
            s.title_in(lang) or s.id,
            f"{base}/stories/{s.id}",
            started,
            s.summary,
        )
        for s, started in store.newest_stories(ENTRIES)
    ]
    return _feed(
        atom("storyline: new stories", f"{base}{feed_url('stories')}", f"{base}/", entries)
    )


@router.get("/stories/{story_id}.atom")
def story_feed(request: Request, story_id: str, store: StoreDep, lang: FeedLang = "en") -> Response:
    story = store.story(story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    title = story.title_in(lang) or story.id
    members = store.story_article_ids(story.id)
    return _pages_feed(request, store, "stories", story.id, title, members, lang)


@router.get("/entities/{entity_id}.atom")
def entity_feed(
    request: Request, entity_id: str, store: StoreDep, lang: FeedLang = "en"
) -> Response:
    entity = store.entity(entity_id)
    if entity is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    title = entity.names.get(lang) or entity.name
    pages = store.entity_article_ids(entity.id)
    return _pages_feed(request, store, "entities", entity.id, title, pages, lang)


@router.get("/watches/{watch_id}.atom")
def watch_feed(request: Request, watch_id: str, store: StoreDep, lang: FeedLang = "en") -> Response:
    watch = store.watch(watch_id)
    if watch is None:
        raise HTTPException(404, f"no watch with id {watch_id!r}")
    matched = watched_articles(store, watch)
    if matched is None:
        members = store.story_members(watched_stories(store, watch))
        matched = [a for ids in members.values() for a in ids]
    title = watch_name(store, watch, lang)
    return _pages_feed(request, store, "watches", watch.id, title, matched, lang)
