"""The export contract (``shared/spec/export.md``, schema 1): everything leaves in one shape.

Records are plain dicts built by one function per kind, so the JSONL, JSON and
CSV writers cannot drift apart. Everything streams: articles go out a page at a
time with their annotations fetched per page, entities from one streamed query.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

from storyline.compare.conflicts import Conflict
from storyline.display import published_iso
from storyline.document import Article
from storyline.outlets import registry
from storyline.records import Event
from storyline.store import ArticleAnnotations, EntitySummary, QuoteRecord, Store, StorySummary

SCHEMA = 1
KINDS = ("articles", "entities", "stories", "events", "quotes")
PLURAL = dict(zip(("article", "entity", "story", "event", "quote"), KINDS, strict=True))
"""Record ``kind`` → its group in ``--format json`` and its file name in ``--format csv``."""
What = Literal["all", "articles", "stories", "events", "entities", "quotes"]


def outlet_name(outlet: str | None) -> str | None:
    """The publisher's name as the registry writes it in English ("Censor.NET")."""
    return registry().display_name(outlet, "en")


def article_record(
    article: Article,
    annotations: ArticleAnnotations | None = None,
    story_id: str | None = None,
) -> dict[str, Any]:
    """An ``article`` record; ``annotations`` from :meth:`Store.article_annotations`."""
    return {
        "kind": "article",
        "schema": SCHEMA,
        "id": article.id,
        "source": article.source,
        "external_id": article.external_id,
        "url": article.url,
        "outlet": article.outlet,
        "author": article.author,
        "lang": article.lang,
        "lang_confidence": article.lang_confidence,
        "title": article.title,
        "lead": article.lead,
        "text": article.text,
        "published": published_iso(article),
        "published_precision": article.published_precision,
        "published_inferred": article.published_inferred,
        "published_evidence": article.published_evidence,
        "outlet_name": outlet_name(article.outlet),
        "cites": list(article.cites),
        "duplicate_of": article.duplicate_of,
        "story_id": story_id,
        "entities": list(annotations.entities) if annotations is not None else [],
        "dates": list(annotations.dates) if annotations is not None else [],
        "quotes": list(annotations.quotes) if annotations is not None else [],
    }


def entity_record(entity: EntitySummary) -> dict[str, Any]:
    return {
        "kind": "entity",
        "schema": SCHEMA,
        "id": entity.id,
        "type": entity.type,
        "name": entity.name,
        "names": dict(entity.names),
        "aliases": list(entity.aliases),
        "roles": list(entity.roles),
        "mentions": entity.mentions,
        "articles": entity.articles,
    }


def story_record(story: StorySummary, article_ids: Iterable[str]) -> dict[str, Any]:
    return {
        "kind": "story",
        "schema": SCHEMA,
        "id": story.id,
        "title": story.title,
        "summary": story.summary,
        "articles": list(article_ids),
        "languages": dict(story.languages),
        "outlets": dict(story.outlets),
        "first_published": story.first_published.isoformat() if story.first_published else None,
        "last_published": story.last_published.isoformat() if story.last_published else None,
        "top_entities": list(story.top_entities),
    }


def quote_record(quote: QuoteRecord) -> dict[str, Any]:
    return {
        "kind": "quote",
        "schema": SCHEMA,
        "id": quote.id,
        "article_id": quote.article_id,
        "story_id": quote.story_id,
        "speaker_entity_id": quote.speaker_entity_id,
        "speaker_text": quote.speaker_text,
        "text": quote.text,
        "quote_kind": quote.kind,  # the contract example repeats "kind"; see README
        "cue": quote.cue,
        "start": quote.start,
        "end": quote.end,
        "said_on": quote.said_on.isoformat() if quote.said_on else None,
    }


def event_record(event: Event, story_id: str, conflicts: Iterable[Conflict] = ()) -> dict[str, Any]:
    """An ``event`` record. Source offsets point into the article's ``part`` (``text``,
    ``title`` or ``lead``): headlines and leads report events too."""
    attributes: dict[str, list[dict[str, Any]]] = {}
    for a in event.attributes:
        attributes.setdefault(a.name, []).append({"value": a.value, "article_id": a.article_id})
    return {
        "kind": "event",
        "schema": SCHEMA,
        "id": event.id,
        "story_id": story_id,
        "date": event.date,
        "date_inferred": event.date_inferred,
        "place_entity_id": event.place,
        "title": event.title("en"),
        "type": event.type,
        "participants": list(event.participants),
        "attributes": attributes,
        "sources": [
            {
                "article_id": src.article_id,
                "part": src.part,
                "start": src.start,
                "end": src.end,
                "sentence": src.sentence,
            }
            for src in event.sources
        ],
        "conflicts": [
            {
                "attribute": c.attribute,
                "values": [
                    {"value": v.value, "article_ids": list(v.article_ids)} for v in c.values
                ],
            }
            for c in conflicts
        ],
    }


_PAGE = 500


def _article_records(store: Store) -> Iterator[dict[str, Any]]:
    offset = 0
    while page := store.articles(limit=_PAGE, offset=offset):
        found = store.articles_annotations(a.id for a in page)
        stories = store.stories_of(a.id for a in page)
        for article in page:
            yield article_record(article, found[article.id], stories.get(article.id))
        offset += len(page)


def _event_records(store: Store) -> Iterator[dict[str, Any]]:
    from storyline.assemble.timeline import story_account

    offset = 0
    while page := store.stories(limit=_PAGE, offset=offset):
        for story in page:
            found = story_account(store, story.id)
            for event in found.events:
                yield event_record(event, story.id, found.conflicts.get(event.id, ()))
        offset += len(page)


def _story_records(store: Store) -> Iterator[dict[str, Any]]:
    offset = 0
    while page := store.stories(limit=_PAGE, offset=offset):
        members = store.story_members(s.id for s in page)
        for story in page:
            yield story_record(story, members[story.id])
        offset += len(page)


def records(store: Store, what: What = "all") -> Iterator[dict[str, Any]]:
    """Every record of the chosen kinds, in the contract's order."""
    if what in ("all", "articles"):
        yield from _article_records(store)
    if what in ("all", "entities"):
        yield from map(entity_record, store.iter_entity_rows())
    if what in ("all", "stories"):
        yield from _story_records(store)
    if what in ("all", "events"):
        yield from _event_records(store)
    if what in ("all", "quotes"):
        yield from map(quote_record, store.iter_quotes())


@contextmanager
def _closing(items: Iterable[dict[str, Any]]) -> Iterator[Iterable[dict[str, Any]]]:
    """Close a generator of records when writing stops early (it may hold a connection)."""
    try:
        yield items
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


def write_jsonl(items: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    with _closing(items):
        for record in items:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_json(items: Iterable[dict[str, Any]], out: IO[str]) -> int:
    grouped: dict[str, Any] = {"schema": SCHEMA, **{kind: [] for kind in KINDS}}
    n = 0
    with _closing(items):
        for record in items:
            grouped[PLURAL[record["kind"]]].append(record)
            n += 1
    json.dump(grouped, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return n


def _csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return value


def write_csv(items: Iterable[dict[str, Any]], out_dir: Path) -> int:
    """One ``KIND.csv`` per kind present, lists and objects as JSON strings."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[IO[str], csv.DictWriter[str]]] = {}
    n = 0
    try:
        with _closing(items):
            for record in items:
                kind = PLURAL[record["kind"]]
                if kind not in files:
                    handle = (out_dir / f"{kind}.csv").open("w", encoding="utf-8", newline="")
                    writer = csv.DictWriter(handle, fieldnames=list(record))
                    writer.writeheader()
                    files[kind] = (handle, writer)
                files[kind][1].writerow({k: _csv_value(v) for k, v in record.items()})
                n += 1
    finally:
        for handle, _ in files.values():
            handle.close()
    return n
