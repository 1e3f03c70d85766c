"""The ingest stage: inputs → clean, annotated articles in the store.

Four steps, each with one owner:

* **read** (:class:`_Reader`, this process): documents are read in order and
  grouped in :class:`Window` s of :data:`CHUNK` fresh ones (known and repeated
  inputs are skipped here, which is what makes a re-run resume);
* **process** (a :class:`Runner`): every document is extracted and annotated
  (:func:`process_one`, pure) in this process, a local process pool
  (:class:`LocalRunner`) or on a Dask cluster
  (:class:`storyline.distributed.DaskRunner`); a runner hands the windows back
  in the order they were read, whatever order they finished in;
* **assemble** (:class:`Assembler`, this process alone): each window is
  deduplicated, linked to canonical entities, placed into stories and written,
  with the story merges and splits the clusterer made meanwhile, in one
  transaction (:meth:`Store.add_articles`); then the dates and surfaces of the
  stories it left stale are refreshed. A killed batch leaves only whole windows
  with their merges, a re-run first finishes the stale stories and skips what is
  already stored, so it ends as the uninterrupted run would have;
* **accounts** (:func:`storyline.assemble.timeline.save_accounts`), at the end of the
  batch: the account (events, conflicts, coverage) of each story it changed is merged
  once and stored, however many windows changed the story, so reading a story is
  reading a row. A killed batch leaves them pending for the next run to build.

An ingest is the store's only writer from start to end (:meth:`Store.writer`:
an advisory lock on PostgreSQL, a lock file next to a SQLite file): the linker,
the clusterer and the duplicate index it builds from the store stay true for the
whole batch, and concurrent ingests come out as if run one after the other.

Whichever runner processes them, the same inputs give the same store: the
windows, the line statistics sent with them and the order of assembly are the
reader's and the assembler's, not the runner's.

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
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from pathlib import PurePath
from typing import Any, Protocol, TypeVar

from storyline.assemble import story_codec
from storyline.assemble.events import (
    annotate_parts,
    part_mentions,
    part_pages,
    part_texts,
    reference_key,
    reference_of,
)
from storyline.assemble.linking import EntityLinker
from storyline.assemble.stories import (
    StoryClusterer,
    StoryInput,
    UnlinkedInput,
    sentence_vector,
    unlinked_input,
    vector_text,
)
from storyline.assemble.surface import refresh_stories
from storyline.assemble.timeline import save_accounts
from storyline.config import Settings
from storyline.dedup import NearDuplicateIndex, minhash, to_bytes
from storyline.document import CRAWLER, Article, RawDocument
from storyline.errors import InputError
from storyline.extract.article import extract_article
from storyline.extract.decode import decode
from storyline.extract.outlet import outlet_from_url
from storyline.extract.published import (
    StorylineWindow,
    published_from_storyline,
    storyline_window,
)
from storyline.extract.text import LineStats, count_lines
from storyline.nlp.annotations import Annotations, EntityMention
from storyline.nlp.dates import find_dates
from storyline.nlp.events import EventMention, link_mentions, redate_mentions
from storyline.nlp.pipeline import annotate as annotate_article
from storyline.nlp.pipeline import date_reference, recognize_articles
from storyline.nlp.terms import article_terms
from storyline.records import CanonicalEntity, Merge, Split
from storyline.sources import iter_documents
from storyline.store import NewArticle, Store, StoryPlacement
from storyline.store.annotations import DateChange
from storyline.store.events import ArticleEventRows, Linked, PartEvents

CHUNK = 64
TASK_PAGES = 8
"""Pages per task of the local runner (:class:`LocalRunner`): their NER runs as one batch
(:func:`process_window`), and a window of :data:`CHUNK` makes several tasks for a pool."""
_T = TypeVar("_T")
CRAWLER_KEEP_DAYS = 183
"""How far a crawler's token may lie from its storyline's median day and still stand."""


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
    story: UnlinkedInput
    """What the story clusterer reads of the article but its entity ids, which the writer
    adds (:func:`storyline.assemble.stories.unlinked_input`)."""
    vector: tuple[float, ...] | None = None
    """Sentence vector of the title and opening, the stories' cross-lingual topic signal
    (:func:`storyline.assemble.stories.sentence_vector`); ``None`` without annotation."""
    parts: Mapping[str, Annotations] = field(default_factory=dict)
    """Body, title and lead annotated (:func:`~storyline.assemble.events.annotate_parts`);
    empty without annotation."""
    mentions: Mapping[str, tuple[EventMention, ...]] = field(default_factory=dict)
    """The event mentions of each part; the writer links their entities."""


class PageTimeLimitError(InputError):
    """A page took longer than :attr:`Settings.page_time_limit` to extract and annotate."""

    reason = "took longer than the time limit per page"


class _Expired(BaseException):
    """Raised by the alarm inside the page being processed. Not an ``Exception``: the
    extractors' own ``except Exception`` blocks must not swallow it."""


REPEAT = 0.25
"""Seconds between the alarm's repeats once a page is over its limit (see :func:`_time_limit`)."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`_Expired` in this thread after ``seconds`` (``SIGALRM`` via
    ``setitimer``). Only a process's main thread receives signals, so elsewhere (a
    web server's thread pool, a Dask worker's threads) the block runs unbounded.

    The alarm repeats every :data:`REPEAT` seconds until the block ends: an exception
    raised while Python runs a ``__del__`` (the garbage collector, a regex object
    dropped) is printed and swallowed, so one alarm alone may be lost and the page run
    on unbounded.

    The alarm interrupts Python code, not one long call into C: markup that would hold
    lxml is refused before parsing (:func:`storyline.extract.html.check_markup`)."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    running = True

    def expire(signum: int, frame: object) -> None:
        if running:  # the closure reads the flag the ``finally`` below clears
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
    try:
        yield
    finally:
        running = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_one(
    raw: RawDocument,
    languages: tuple[str, ...],
    stats: LineStats | None,
    annotate: bool = True,
    time_limit: float | None = None,
) -> Processed | InputError:
    """Extract and annotate one document; every failure becomes a value, never an exception.

    ``time_limit`` (seconds) bounds the page where :func:`_time_limit` can: past it the
    page becomes a :class:`PageTimeLimitError` naming it and the limit.
    """
    return _bounded(raw, time_limit, time_limit, partial(_process, raw, languages, stats, annotate))


def _bounded(
    raw: RawDocument, limit: float | None, seconds: float | None, work: Callable[[], _T]
) -> _T | PageTimeLimitError:
    """``work()`` for the page ``raw``, given up after ``seconds`` (what is left of the
    page's ``limit``) as a :class:`PageTimeLimitError`."""
    try:
        with _time_limit(seconds):
            return work()
    except _Expired:
        return PageTimeLimitError(
            raw.source, f"took longer than {limit:g} s, the time limit per page"
        )


def _process(
    raw: RawDocument, languages: tuple[str, ...], stats: LineStats | None, annotate: bool
) -> Processed | InputError:
    article = _extract(raw, languages, stats)
    return article if isinstance(article, InputError) else _annotate(raw, article, annotate)


def _extract(
    raw: RawDocument, languages: tuple[str, ...], stats: LineStats | None
) -> Article | InputError:
    try:
        return extract_article(raw, languages=languages, stats=stats)
    except Exception as error:  # one odd page must not end a batch
        return _failure(raw, error, "extraction")


def _annotate(
    raw: RawDocument,
    article: Article,
    annotate: bool,
    named: Mapping[str, tuple[EntityMention, ...]] | None = None,
) -> Processed | InputError:
    """The pure results of an extracted page (``named``: the NER mentions of its parts
    when found for several pages at once, :func:`process_window`)."""
    try:
        parts = annotate_parts(article, named=named) if annotate else {}
        notes = parts.get("text")
        vector = sentence_vector(vector_text(article)) if annotate else None
        return Processed(
            article,
            notes,
            article_terms(article),
            minhash(article.text),
            unlinked_input(article, notes or Annotations(article.id, article.lang), vector=vector),
            vector,
            parts,
            part_mentions(article, parts),
        )
    except Exception as error:  # one odd page must not end a batch
        return _failure(raw, error, "annotation")


def _failure(raw: RawDocument, error: Exception, stage: str) -> InputError:
    """``error``, raised at ``stage`` of the page ``raw``, as the value the writer reports."""
    if isinstance(error, InputError):
        if error.source != raw.source:  # raised where the input's name is not known
            return type(error)(raw.source, error.detail)
        return error
    return InputError(raw.source, f"{stage} failed ({type(error).__name__}: {error})")


WARM_UP_TEXTS = {
    "ru": "Президент Владимир Путин прибыл в Москву 17 июля 2023 года. «Мы готовы», — сказал он.",
    "uk": "Володимир Зеленський прибув до Києва 17 липня 2023 року. «Ми готові», — сказав він.",
    "en": 'President Joe Biden arrived in London on 17 July 2023. "We are ready," he said.',
}
"""One short page per language with a model, naming people and places, with a date and a
quote: processing it loads every model a real page needs (the web pages warm up on it too)."""


_WARM_HERE: set[tuple[tuple[str, ...], bool]] = set()
"""What this process has warmed up for (a web server's writer process warms up when it
starts, then ingests each POST with a new runner)."""


def warm_up(languages: tuple[str, ...], annotate: bool = True) -> int:
    """Process one short page per language with a model (:data:`WARM_UP_TEXTS`), so every
    model is loaded before the first real page (whose time limit must not pay for loading
    them); once per process for the same arguments. Returns how many were processed."""
    if (languages, annotate) in _WARM_HERE:
        return 0
    done = 0
    for lang, text in WARM_UP_TEXTS.items():
        if lang in languages:
            raw = RawDocument(source=f"<warm-up {lang}>", data=text.encode(), kind="text")
            process_one(raw, languages, None, annotate)
            done += 1
    _WARM_HERE.add((languages, annotate))
    return done


def process_window(
    documents: Sequence[RawDocument],
    stats: Sequence[LineStats | None],
    languages: tuple[str, ...],
    annotate: bool = True,
    time_limit: float | None = None,
) -> list[Processed | InputError]:
    """:func:`process_one` of each document of a slice of a window: one pool or cluster task,
    so the cost of sending a task is shared by several documents, and the NER models read
    the texts (body, title, lead) of all its pages in one call per language (on the real
    pages, 8 pages to a call: Ukrainian NER 22 -> 15 ms of CPU a page, English 26 -> 21).

    The results are :func:`process_one`'s. ``time_limit`` still bounds each page: its
    extraction and the rest of its annotation share one limit; the NER of the whole
    slice is bounded by its pages' limits together, and past them, or on any error, the
    pages are processed one by one, so a page too slow or broken fails alone as before.
    """

    def one_by_one() -> list[Processed | InputError]:
        return [
            process_one(raw, languages, st, annotate, time_limit)
            for raw, st in zip(documents, stats, strict=True)
        ]

    if not annotate or len(documents) < 2:
        return one_by_one()
    extracted: list[Article | InputError] = []
    left: list[float | None] = []
    """Per page: what its extraction left of its time limit."""
    for raw, st in zip(documents, stats, strict=True):
        start = time.monotonic()
        extracted.append(
            _bounded(raw, time_limit, time_limit, partial(_extract, raw, languages, st))
        )
        left.append(None if time_limit is None else time_limit - (time.monotonic() - start))
    named = _named_parts([a for a in extracted if isinstance(a, Article)], time_limit)
    if named is None:
        return one_by_one()
    found = iter(named)
    results: list[Processed | InputError] = []
    for raw, article, rest in zip(documents, extracted, left, strict=True):
        if isinstance(article, InputError):
            results.append(article)
            continue
        work = partial(_annotate, raw, article, True, next(found))
        results.append(_bounded(raw, time_limit, None if rest is None else max(rest, REPEAT), work))
    return results


def _named_parts(
    articles: Sequence[Article], time_limit: float | None
) -> list[dict[str, tuple[EntityMention, ...]]] | None:
    """The NER mentions of each part of each article (:func:`part_pages`), one model call
    per language for them all; ``None`` when that failed or took longer than the articles'
    time limits together."""
    pages = [part_pages(a) for a in articles]
    try:
        with _time_limit(None if time_limit is None else time_limit * max(len(articles), 1)):
            found = iter(recognize_articles([p for parts in pages for p in parts.values()]))
    except (_Expired, Exception):
        return None
    return [{name: next(found) for name in parts} for parts in pages]


def _chunks(
    items: Iterable[RawDocument | InputError], size: int
) -> Iterator[list[RawDocument | InputError]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


@dataclass(frozen=True, slots=True)
class Window:
    """Fresh documents read together: the unit of line statistics, of results handed back
    by a runner and of one bulk write."""

    documents: tuple[RawDocument, ...]
    stats: tuple[LineStats | None, ...]
    """Per document: its outlet's line counts over everything read up to this window."""

    def slices(
        self, size: int
    ) -> Iterator[tuple[tuple[RawDocument, ...], tuple[LineStats | None, ...]]]:
        """The window in runs of at most ``size`` documents (one task each)."""
        for i in range(0, len(self.documents), size):
            yield self.documents[i : i + size], self.stats[i : i + size]


Results = Sequence[Processed | InputError]
"""What a runner makes of a window: one value per document, in the window's order."""


class Runner(Protocol):
    """Extracts and annotates windows somewhere: here, in a local pool, on a cluster."""

    def run(
        self, windows: Iterable[Window], languages: tuple[str, ...], annotate: bool
    ) -> Iterator[tuple[Window, Results]]:
        """Each window with its results, in the order the windows came."""
        ...

    def close(self) -> None: ...


class LocalRunner:
    """This process (``workers == 1``) or a local process pool, one window at a time, in
    tasks of :data:`TASK_PAGES` pages (:func:`process_window`).

    ``time_limit`` bounds each page (:func:`process_one`). The models are loaded before
    the first page (:func:`warm_up`; in each pool process as it starts), so no page's
    limit pays for loading them; the pool starts with the first window, when the
    languages are known (a batch of stored pages never starts it).
    """

    def __init__(self, workers: int = 1, time_limit: float | None = None) -> None:
        self.workers = workers
        self.time_limit = time_limit
        self.pool: Executor | None = None

    def run(
        self, windows: Iterable[Window], languages: tuple[str, ...], annotate: bool
    ) -> Iterator[tuple[Window, Results]]:
        for window in windows:
            pool = self._start(languages, annotate)
            slices = list(window.slices(TASK_PAGES))
            n = len(slices)
            args = (
                [documents for documents, _ in slices],
                [stats for _, stats in slices],
                [languages] * n,
                [annotate] * n,
                [self.time_limit] * n,
            )
            tasks = map(process_window, *args) if pool is None else pool.map(process_window, *args)
            yield window, [result for task in tasks for result in task]

    def _start(self, languages: tuple[str, ...], annotate: bool) -> Executor | None:
        if self.workers > 1 and self.pool is None:
            # Not fork: a forked child inherits the locks of the parent's native threads
            # (lingua's and the database driver's) mid-flight and can hang forever.
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=warm_up,
                initargs=(languages, annotate),
            )
        elif self.workers <= 1:
            warm_up(languages, annotate)
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


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
        self.originals: dict[str, str] = {}
        """content hash → original, for the window being assembled (not stored yet)."""

    def start_window(self, articles: Iterable[Article]) -> None:
        """Look the window's content hashes up in the store at once (one query, not one per
        article); its own originals join as they are marked."""
        self.originals = self.store.originals_by_content_hash(a.content_hash for a in articles)

    def mark(self, article: Article, signature: Any) -> tuple[Article, bytes | None]:
        """The article, marked ``duplicate_of`` its first copy if it has one, and the
        MinHash ``signature`` to store with it (originals only)."""
        key = article.content_hash
        original = self.originals.get(key) if key else None
        if original is None and signature is not None:  # else too short to compare
            if self.index is None:  # built lazily: a batch of known pages never needs it
                self.index = NearDuplicateIndex(self.store.iter_minhashes())
            original = self.index.original_of(signature)
            if original is None:
                self.index.add(article.id, signature)
        if original is not None:
            return article.with_(duplicate_of=original), None
        if key:
            self.originals[key] = article.id
        return article, to_bytes(signature) if signature is not None else None


class _Linker:
    """The store's entity linker, loaded on first use (a batch of known pages never needs it)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.linker: EntityLinker | None = None

    def link(
        self, article: Article, annotations: Annotations, text: str | None = None
    ) -> list[str]:
        """Entity ids of ``annotations`` (of ``text``, by default the body). Another part
        than the body is linked without teaching the linker new forms (see
        :meth:`EntityLinker.link_article`)."""
        if self.linker is None:
            self.linker = EntityLinker(self.store.load_entities())
        return self.linker.link_article(
            article.id, annotations.entities, text or article.text, learn=text is None
        )

    def entities(self, entity_ids: Iterable[str]) -> list[CanonicalEntity]:
        """The entities ``entity_ids`` name as they stand now: taken once per window, after
        its last article is linked (each article of a window may change an entity again)."""
        if self.linker is None:
            return []
        linker = self.linker
        return [linker.entity(i) for i in entity_ids if i]


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
        self._pending: dict[str, StoryInput] = {}
        """Inputs placed since the last :meth:`take_changes` (not in the store yet)."""
        self._dated: dict[str, StorylineWindow] = {}
        """Article id → the story window :meth:`complete_dates` last dated it in, this batch."""

    def _members(self, article_ids: Sequence[str]) -> dict[str, StoryInput]:
        """Members' inputs for an automatic split: this window's from memory, the rest as
        the store keeps them."""
        found = {a: self._pending[a] for a in article_ids if a in self._pending}
        stored = self.store.story_features(a for a in article_ids if a not in found)
        found.update((a, story_codec.from_json(a, f)) for a, f in stored.items())
        return found

    def _load(self) -> StoryClusterer:
        if self.clusterer is None:
            clusterer = StoryClusterer(members=self._members)
            for article_id, sid, features in self.store.story_placements():
                if features is None:  # a duplicate: it follows its original, adds nothing
                    clusterer.follow(article_id, sid)
                    continue
                clusterer.place(story_codec.from_json(article_id, features), sid)
            # Replay places, it never merges nor splits: the stored stories already are the
            # result. Cleared all the same, so only changes new articles make reach the store.
            clusterer.changes.clear()
            self.clusterer = clusterer
        return self.clusterer

    def place(
        self, article: Article, features: UnlinkedInput, entity_ids: list[str]
    ) -> StoryPlacement:
        """The story the article joins (or founds) with ``features`` and the ids the linker
        gave its entity mentions; a duplicate follows its original."""
        clusterer = self._load()
        if article.duplicate_of:
            # the replayed clusterer knows every stored article's story
            sid = clusterer.assignment.get(article.duplicate_of)
            if sid is not None:
                sid = clusterer.resolve(sid)  # its original's story may have been merged since
                clusterer.follow(article.id, sid)
                return StoryPlacement(sid, None, "duplicate")
        doc = features.linked(entity_ids)
        self._pending[doc.article_id] = doc
        return StoryPlacement(clusterer.add(doc), story_codec.to_json(doc))

    def take_changes(self) -> list[Merge | Split]:
        """The automatic merges and splits the clusterer made since the last call, in the
        order it made them, for the store to write with the window that caused them.

        With the window, not after it: a merge may fold a story founded in that very
        window (and a split move pages stored with it), and a batch killed between a
        window and its changes would keep the window without them for good, since the
        replayed clusterer only places, never merges. The store skips a change whose
        story it no longer has apart (see :func:`storyline.store.stories.apply_story_changes`).
        The list is drained so no change is written twice.
        """
        self._pending.clear()
        if self.clusterer is None:
            return []
        changes = list(self.clusterer.changes)
        self.clusterer.changes.clear()
        return changes

    def finish(self) -> None:
        """Complete the dates and refresh the surface of every stale story.

        A story stays stale from the transaction that changed it (a placement, a merge, a
        split) until this is done, so the same call finishes a window's derived work and,
        when an ingest starts, whatever a killed batch left undone: both start from what
        is stored, so a resumed run ends as an uninterrupted one.
        """
        stale = self.store.stale_stories()
        if stale:
            # before the stale mark goes: a kill after it still leaves them pending
            self.store.mark_accounts(stale)
            self.complete_dates(stale)
            refresh_stories(self.store, stale)

    def complete_dates(self, story_ids: Iterable[str]) -> None:
        """Date the undated pages of ``story_ids`` from their story, and resolve their
        yearless dates: again each time the story changes, since its dates may have. A
        crawler's token half a year or more from the story's dates gives way when the
        page's own words, read in the story's time, name its day. A story whose stated days do
        not gather (a cluster mixing years) dates nothing.

        A page this batch already dated in the same window is left alone: what it would
        be given depends on its words and the window alone, and it holds that already
        (every story a window touches is completed again, mostly with the window it had).
        The stories' stated days and the pages to date are read, and the pages dated
        written, at once for all the stories, not story by story."""
        members = self.store.undated_members(story_ids)
        stated = self.store.stated_days(members)
        windows: dict[str, StorylineWindow] = {}
        for sid, article_ids in members.items():
            window = storyline_window(stated.get(sid, ()))
            if window is not None:
                windows.update((a, window) for a in article_ids if self._dated.get(a) != window)
        redated = list(windows)
        changes: list[DateChange] = []
        for article in self.store.articles_by_id(redated):
            window = self._dated[article.id] = windows[article.id]
            anchor = window.median
            content = "\n\n".join(filter(None, (article.title, article.lead, article.text)))
            found = published_from_storyline(content, window)
            token = article.published if article.published_evidence == CRAWLER else None
            if token is not None and (
                abs((token.date() - anchor).days) <= CRAWLER_KEEP_DAYS
                or found is None
                or found.precision != "day"
            ):
                # the token stands unless the page's own words date it in the storyline
                continue
            reference = found.value.date() if found and found.precision == "day" else anchor
            dates = find_dates(article.text, None, article.lang, anchor=reference)
            changes.append((article.id, dates, (found.value, found.precision) if found else None))
        self.store.replace_many_dates(changes)
        refind_events(self.store, redated)


def refind_events(store: Store, article_ids: Sequence[str]) -> int:
    """Find again the event mentions of the articles whose date reference changed since
    theirs were stored (their story re-dated them): the entities stay, so no NER and no
    linking; only what a new reference changes is read again (:func:`redated_parts`).
    Returns how many were found again."""
    if not article_ids:
        return 0
    stored = store.event_references(article_ids)
    redated = [
        (article, key)
        for article in store.articles_by_id(a for a in article_ids if a in stored)
        if (key := reference_key(article)) != stored[article.id]
    ]
    rows = store.article_event_rows(article.id for article, _ in redated)
    linked = store.event_entities(article.id for article, _ in redated)
    changed = [
        (article.id, key, redated_parts(article, rows[article.id], linked[article.id]))
        for article, key in redated
    ]
    store.replace_event_rows(changed)
    return len(changed)


def redated_parts(
    article: Article, stored: ArticleEventRows, linked: Mapping[str, Linked]
) -> dict[str, PartEvents]:
    """The event rows of each part of ``article`` read against its date reference now:
    ``stored`` holds the part's mentions found against the reference it had, ``linked`` the
    entity mentions (with ids) they were found with.

    A part whose dates that can date a happening stand where they stood only has its
    mentions' dates read anew (:func:`~storyline.nlp.events.redate_mentions`): the costly
    part of event finding is tokenizing and lemmatizing the text, and nothing of it
    depends on the date. Any other part is annotated again for what event finding reads
    (sentences, dates, durations; not quotes) and its mentions found again. Either way the
    rows are what a full reading of the part against the new reference gives
    (tests/unit/test_redated_events.py), provided the stored rows are what this event
    finder found: stored rows are never found again for a change of code alone."""
    texts = part_texts(article)
    before = reference_of(stored.reference)
    now = date_reference(article)
    parts: dict[str, PartEvents] = {}
    again: dict[str, Annotations] = {}
    for name, pairs in linked.items():
        if name not in texts:
            continue
        text = texts[name]
        kept = stored.parts.get(name)
        if kept is not None:
            redated = redate_mentions(
                text,
                kept,
                find_dates(text, before[0], article.lang, anchor=before[1]),
                find_dates(text, now[0], article.lang, anchor=now[1]),
            )
            if redated is not None:
                parts[name] = PartEvents(tuple(pairs), redated)
                continue
        page = article.with_(text=text)
        again[name] = annotate_article(page, entities=tuple(m for m, _ in pairs), quotes=False)
    ids = {name: [eid for _, eid in linked[name]] for name in again}
    parts.update(event_parts(again, ids, part_mentions(article, again)))
    return {name: parts[name] for name in linked if name in parts}  # in the stored order


class _Reader:
    """Turns the document stream into windows of fresh documents, counting what it skips.

    Skipping here, before anything is processed, is what makes a re-run cheap: inputs
    already stored (by an earlier, perhaps killed, run) or repeated in this one are
    never sent to a worker. The line statistics go with each window, so a page is
    cleaned with what the pages read before it say about its outlet, whichever runner
    processes it.
    """

    def __init__(self, store: Store, report: IngestReport, note: Progress) -> None:
        self.store = store
        self.report = report
        self.note = note
        self.seen: set[str] = set()
        self.stats: dict[str, LineStats] = {}

    def windows(
        self, documents: Iterable[RawDocument | InputError], size: int = CHUNK
    ) -> Iterator[Window]:
        for chunk in _chunks(documents, size):
            fresh, first_seen = self._sort(chunk)
            # Stored pages count too: the counts then follow the input alone, so a run
            # resumed after a kill cleans its pages as the uninterrupted run would have.
            _count_chunk(self.stats, first_seen)
            if not fresh:
                continue
            outlets = {outlet_key(raw) for raw in fresh}
            sent = {k: self.stats[k].for_extraction() for k in outlets if k in self.stats}
            yield Window(tuple(fresh), tuple(sent.get(outlet_key(raw)) for raw in fresh))

    def _sort(
        self, chunk: list[RawDocument | InputError]
    ) -> tuple[list[RawDocument], list[RawDocument]]:
        """The chunk's documents to process, and those read for the first time in this run
        (the former plus the already stored ones)."""
        fresh: list[RawDocument] = []
        first_seen: list[RawDocument] = []
        known = self.store.known_documents(d.sha256 for d in chunk if isinstance(d, RawDocument))
        for item in chunk:
            if isinstance(item, InputError):
                self.report.failed.append(item)
                self.note(item.source, "failed")
                continue
            repeated = item.sha256 in self.seen
            self.seen.add(item.sha256)
            if not repeated:
                first_seen.append(item)
            if repeated or item.sha256 in known:
                self.report.already_known += 1
                self.note(item.source, "known")
            else:
                fresh.append(item)
        return fresh, first_seen


def _publication_order(article: Article) -> tuple[bool, datetime]:
    """Earliest first, undated last (a stable sort keeps reading order among equals);
    times with a zone are compared in UTC, naive ones are taken as UTC."""
    published = article.published
    if published is None:
        return True, datetime.min
    if published.tzinfo is not None:
        published = published.astimezone(UTC).replace(tzinfo=None)
    return False, published


class Assembler:
    """The single writer: dedups, links, places into stories and stores each window.

    Everything here depends on what was stored before (the originals, the entities,
    the stories), so it runs in one process, one window per transaction, and within a
    window in publication order — a story grows as it was published, and of two copies
    the earlier is the original; only the pure work before it is spread out.
    """

    def __init__(self, store: Store, report: IngestReport, note: Progress) -> None:
        self.store = store
        self.report = report
        self.note = note
        self.dedup = _Deduplicator(store)
        self.linker = _Linker(store)
        self.stories = _Stories(store)

    def write(self, window: Window, results: Results) -> None:
        """Assemble and store one window with the story merges and splits it caused (one
        transaction), then date and refresh the stories it left stale."""
        done: list[tuple[RawDocument, Processed]] = []
        for raw, result in zip(window.documents, results, strict=True):
            if isinstance(result, InputError):
                self.report.failed.append(result)
                self.note(raw.source, "failed")
            else:
                done.append((raw, result))
        done.sort(key=lambda pair: _publication_order(pair[1].article))
        self.dedup.start_window(result.article for _, result in done)
        items: list[NewArticle] = []
        touched: dict[str, None] = {}
        for raw, result in done:
            items.append(self._assemble(raw, result, touched))
        stored = self.store.add_articles(
            items,
            entities=self.linker.entities(touched),  # the latest state, in first-touch order
            story_changes=self.stories.take_changes(),
        )
        for item, ok in zip(items, stored, strict=True):
            self._count(item, ok)
        self.stories.finish()

    def _assemble(
        self, raw: RawDocument, result: Processed, touched: dict[str, None]
    ) -> NewArticle:
        """The article to store; the ids of the entities it names join ``touched``."""
        annotations = result.annotations
        article, signature = self.dedup.mark(result.article, result.signature)
        ids = self.linker.link(article, annotations) if annotations else []
        touched.update(dict.fromkeys(ids))
        # The workers' features stand for the article as placed: the writer has changed
        # nothing they read (dedup only marks ``duplicate_of``; dates come after placing).
        placement = self.stories.place(article, result.story, ids)
        events = None
        if annotations is not None and not article.duplicate_of:  # accounts leave copies out
            part_ids = {"text": ids}
            texts = part_texts(article)
            for name in ("title", "lead"):
                if name in result.parts:
                    part_ids[name] = self.linker.link(article, result.parts[name], texts[name])
                    touched.update(dict.fromkeys(part_ids[name]))
            events = (
                reference_key(article),
                event_parts(result.parts, part_ids, result.mentions),
            )
        return NewArticle(
            raw, article, signature, annotations, ids, placement, result.terms, events
        )

    def _count(self, item: NewArticle, stored: bool) -> None:
        source = item.doc.source
        if not stored:
            self.report.already_known += 1
            self.note(source, "known")
            return
        self.report.article_ids.append(item.article.id)
        if item.article.duplicate_of:
            self.report.duplicates += 1
            self.note(source, "duplicate")
        else:
            self.report.ingested += 1
            self.note(source, "ingested")


def event_parts(
    notes: Mapping[str, Annotations],
    entity_ids: Mapping[str, Sequence[str]],
    mentions: Mapping[str, tuple[EventMention, ...]],
) -> dict[str, PartEvents]:
    """What the store keeps of each part's event mentions: its entity mentions with their
    ids, and the mentions with their entities linked."""
    return {
        name: PartEvents(
            tuple(zip(n.entities, entity_ids[name], strict=True)),
            link_mentions(mentions[name], n.entities, entity_ids[name]),
        )
        for name, n in notes.items()
    }


def _say_waiting(line: str) -> None:
    print(f"storyline: {line}", file=sys.stderr, flush=True)


def ingest(
    inputs: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    workers: int = 1,
    runner: Runner | None = None,
    progress: Progress | None = None,
    stdin: object | None = None,
    annotate: bool = True,
    on_wait: Callable[[str], None] | None = _say_waiting,
    lock_timeout: float | None = None,
    meta: str | None = None,
) -> IngestReport:
    """Read, extract, annotate, deduplicate, link and store every article in ``inputs``.

    ``runner`` says where documents are processed (it stays open for the caller to
    close); without one, this process or a local pool of ``workers`` processes.

    The whole batch holds the store's writer lock (:meth:`Store.writer`), taken before
    anything is read from the store: ``on_wait`` (default: one line on stderr) hears
    when another writer has it, and ``lock_timeout`` seconds later
    :class:`~storyline.store.WriterBusy` is raised (default: wait as long as it takes).
    ``meta`` names a metadata table for every page (:mod:`storyline.sources.sidecar`).
    """
    report = IngestReport()
    note = progress or (lambda source, outcome: None)
    with store.writer(on_wait=on_wait, timeout=lock_timeout):
        own = runner is None
        limit = settings.page_time_limit or None
        used = runner if runner is not None else LocalRunner(workers, limit)
        try:
            assembler = Assembler(store, report, note)
            assembler.stories.finish()  # what an interrupted batch left stale: dates, surfaces
            documents = iter_documents(
                inputs,
                max_bytes=settings.max_bytes,
                fetch_timeout=settings.fetch_timeout,
                stdin=stdin,
                meta=meta,
            )
            windows = _Reader(store, report, note).windows(documents, CHUNK)
            for window, results in used.run(windows, settings.languages, annotate):
                assembler.write(window, results)
            save_accounts(store)  # once per changed story, this batch's or a killed one's
        finally:
            if own:
                used.close()
    return report
