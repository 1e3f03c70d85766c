"""The ingest stage: inputs → clean, annotated articles in the store.

Documents are read in order, grouped in chunks; each chunk is extracted and
annotated (in a process pool when ``workers > 1``: both stages are pure), then
deduplicated, linked to canonical entities and written — article, mentions,
dates and the entities they touch in one transaction — by this process alone,
so a killed batch leaves only whole articles and a re-run skips what is
already stored.

Cross-page line repetition (the strongest boilerplate signal for plain-text
dumps) is counted per outlet over everything read so far in the batch, so later
pages of an outlet benefit from earlier ones. Counting across outlets would
drop a wire headline that three outlets reprint; so pages are grouped by the
outlet the container names (JSONL field, URL host) and, for bare files, by the
folder they came from — a crawl of one site is saved as one folder far more
often than one folder mixes sites.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath
from typing import Any

from storyline.assemble import story_codec
from storyline.assemble.linking import CanonicalEntity, EntityLinker
from storyline.assemble.stories import StoryClusterer, story_input
from storyline.config import Settings
from storyline.dedup import NearDuplicateIndex, minhash, to_bytes
from storyline.document import Article, RawDocument
from storyline.errors import InputError
from storyline.extract.article import extract_article
from storyline.extract.decode import decode
from storyline.extract.outlet import outlet_from_url
from storyline.extract.text import LineStats, count_lines
from storyline.nlp.annotations import Annotations
from storyline.nlp.dates import find_dates
from storyline.nlp.pipeline import annotate as annotate_article
from storyline.nlp.terms import article_terms
from storyline.sources import iter_documents
from storyline.store import Store, StoryPlacement

CHUNK = 64


@dataclass
class IngestReport:
    ingested: int = 0
    duplicates: int = 0
    already_known: int = 0
    failed: list[InputError] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[str, str], None]
"""Called once per input unit with (source, outcome): ingested|duplicate|known|failed."""


@dataclass(frozen=True, slots=True)
class Processed:
    """What the workers make of one document: everything pure, so the single writer
    only looks things up and stores them."""

    article: Article
    annotations: Annotations | None
    """``None`` when annotation was not asked for."""
    terms: str
    """Search index terms (:func:`storyline.nlp.terms.article_terms`)."""
    signature: Any
    """MinHash of the text (:func:`storyline.dedup.minhash`); ``None`` if too short."""


def process_one(
    raw: RawDocument, languages: tuple[str, ...], stats: LineStats | None, annotate: bool = True
) -> Processed | InputError:
    """Extract and annotate one document; every failure becomes a value, never an exception."""
    stage = "extraction"
    try:
        article = extract_article(raw, languages=languages, stats=stats)
        stage = "annotation"
        notes = annotate_article(article) if annotate else None
        return Processed(article, notes, article_terms(article), minhash(article.text))
    except InputError as error:
        return error
    except Exception as error:  # one odd page must not end a batch
        return InputError(raw.source, f"{stage} failed ({type(error).__name__}: {error})")


def _chunks(
    items: Iterable[RawDocument | InputError], size: int
) -> Iterator[list[RawDocument | InputError]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def outlet_key(raw: RawDocument) -> str:
    """Which pages share boilerplate with ``raw``: same outlet, or else same folder."""
    outlet = raw.given.outlet or outlet_from_url(raw.url)
    if outlet:
        return outlet.lower()
    return "dir:" + str(PurePath(raw.source.split("#", 1)[0]).parent)


def _text_of(raw: RawDocument) -> str | None:
    if raw.kind == "html":
        return None
    try:
        return decode(raw)
    except InputError:
        return None


def _count_chunk(stats: dict[str, LineStats], fresh: list[RawDocument]) -> None:
    by_outlet: dict[str, list[str]] = {}
    for raw in fresh:
        text = _text_of(raw)
        if text is not None:
            by_outlet.setdefault(outlet_key(raw), []).append(text)
    for key, texts in by_outlet.items():
        counted = count_lines(texts, known=stats.get(key))
        stats[key] = stats[key].merged(counted) if key in stats else counted


class _Deduplicator:
    """Exact and near-duplicate lookup against the store plus this batch."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index: NearDuplicateIndex | None = None

    def mark(self, article: Article, signature: Any) -> tuple[Article, bytes | None]:
        """The article, marked ``duplicate_of`` its first copy if it has one, and the
        MinHash ``signature`` to store with it (originals only)."""
        original = self.store.article_by_content_hash(article.content_hash)
        if original is not None:
            return article.with_(duplicate_of=original), None
        if signature is None:  # too short to compare
            return article, None
        if self.index is None:  # built lazily: a batch of known pages never needs it
            self.index = NearDuplicateIndex(self.store.iter_minhashes())
        original = self.index.original_of(signature)
        if original is not None:
            return article.with_(duplicate_of=original), None
        self.index.add(article.id, signature)
        return article, to_bytes(signature)


class _Linker:
    """The store's entity linker, loaded on first use (a batch of known pages never needs it)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.linker: EntityLinker | None = None

    def link(
        self, article: Article, annotations: Annotations
    ) -> tuple[list[str], list[CanonicalEntity]]:
        if self.linker is None:
            self.linker = EntityLinker(self.store.load_entities())
        ids = self.linker.link_article(article.id, annotations.entities, article.text)
        touched = [self.linker.entity(i) for i in dict.fromkeys(ids) if i]
        return ids, touched


class _Stories:
    """The store's story clusterer, rebuilt on first use by replaying stored placements.

    Also the story context for dates: a page that states no publication date of its
    own gets its yearless dates («17 июля») resolved against the median publication
    day of its story — the best evidence of which year the page speaks of. That runs
    after each chunk is stored, for every undated page of the stories the chunk
    touched, since a page may arrive before any dated page of its story.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.clusterer: StoryClusterer | None = None

    def _load(self) -> StoryClusterer:
        if self.clusterer is None:
            clusterer = StoryClusterer()
            for article_id, sid, features in self.store.story_placements():
                if features is None:  # a duplicate: it follows its original, adds nothing
                    clusterer.follow(article_id, sid)
                    continue
                clusterer.place(story_codec.from_json(article_id, features), sid)
            self.clusterer = clusterer
        return self.clusterer

    def place(
        self, article: Article, annotations: Annotations, entity_ids: list[str]
    ) -> StoryPlacement:
        """The story the article joins (or founds); a duplicate follows its original."""
        clusterer = self._load()
        if article.duplicate_of:
            # the replayed clusterer knows every stored article's story
            sid = clusterer.assignment.get(article.duplicate_of)
            if sid is not None:
                clusterer.follow(article.id, sid)
                return StoryPlacement(sid, None, "duplicate")
        doc = story_input(article, annotations, entity_ids)
        return StoryPlacement(clusterer.add(doc), story_codec.to_json(doc))

    def complete_dates(self, story_ids: Iterable[str]) -> None:
        """Resolve the yearless dates of undated pages in ``story_ids`` from their story."""
        for sid, article_ids in self.store.yearless_members(story_ids).items():
            anchor = self.store.median_published(sid)
            if anchor is None:
                continue
            for article in self.store.articles_by_id(article_ids):
                dates = find_dates(article.text, None, article.lang, anchor=anchor)
                self.store.replace_dates(article.id, dates)


def ingest(
    inputs: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    stdin: object | None = None,
    annotate: bool = True,
) -> IngestReport:
    """Read, extract, annotate, deduplicate, link and store every article in ``inputs``."""
    report = IngestReport()
    note = progress or (lambda source, outcome: None)
    dedup = _Deduplicator(store)
    linker = _Linker(store)
    stories = _Stories(store)
    stats: dict[str, LineStats] = {}
    pool: Executor | None = None
    if workers > 1:
        # Not fork: a forked child inherits the locks of the parent's native threads
        # (lingua's and the database driver's) mid-flight and can hang forever.
        context = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    seen: set[str] = set()
    store.refresh_stories()  # repair what an interrupted batch left stale
    try:
        documents = iter_documents(
            inputs, max_bytes=settings.max_bytes, fetch_timeout=settings.fetch_timeout, stdin=stdin
        )
        for chunk in _chunks(documents, CHUNK):
            fresh: list[RawDocument] = []
            known = store.known_documents(d.sha256 for d in chunk if isinstance(d, RawDocument))
            for item in chunk:
                if isinstance(item, InputError):
                    report.failed.append(item)
                    note(item.source, "failed")
                elif item.sha256 in known or item.sha256 in seen:
                    report.already_known += 1
                    note(item.source, "known")
                else:
                    seen.add(item.sha256)
                    fresh.append(item)
            _count_chunk(stats, fresh)
            outlets = {outlet_key(raw) for raw in fresh}
            sent = {k: stats[k].for_extraction() for k in outlets if k in stats}
            page_stats = [sent.get(outlet_key(raw)) for raw in fresh]
            languages = [settings.languages] * len(fresh)
            flags = [annotate] * len(fresh)
            results: Iterable[Processed | InputError] = (
                map(process_one, fresh, languages, page_stats, flags)
                if pool is None
                else pool.map(process_one, fresh, languages, page_stats, flags, chunksize=4)
            )
            touched_stories: set[str] = set()
            for raw, result in zip(fresh, results, strict=True):
                if isinstance(result, InputError):
                    report.failed.append(result)
                    note(raw.source, "failed")
                    continue
                annotations = result.annotations
                article, signature = dedup.mark(result.article, result.signature)
                ids, touched = linker.link(article, annotations) if annotations else ([], [])
                placement = stories.place(
                    article, annotations or Annotations(article.id, article.lang), ids
                )
                stored = store.add_article(
                    raw,
                    article,
                    signature,
                    annotations=annotations,
                    entity_ids=ids,
                    entities=touched,
                    story=placement,
                    search_terms=result.terms,
                )
                if not stored:
                    report.already_known += 1
                    note(raw.source, "known")
                    continue
                report.article_ids.append(article.id)
                touched_stories.add(placement.story_id)
                if article.duplicate_of:
                    report.duplicates += 1
                    note(raw.source, "duplicate")
                else:
                    report.ingested += 1
                    note(raw.source, "ingested")
            stories.complete_dates(touched_stories)
            store.refresh_stories(touched_stories)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return report
