"""The API's ingests (``POST /api/v1/articles``), run in a child process of their own.

Why not a thread of the server: an ingest is seconds of CPU-bound Python (extraction,
NER, the sentence encoder, linking, story placement). In a thread it shares the server's
GIL, and each time a request thread lets the GIL go for a query the ingest takes it for
a whole switch interval, so every read in the process crawls while a post runs. A child
process has its own interpreter (and, on a machine with two cores, its own core), keeps
its models and its store open from one post to the next, and runs each page in its main
thread, where the per-page time limit of the ingest (a ``SIGALRM``) can work.

One child per server process, one ingest at a time (the linker and the story clusterer
read the store as it was when they started, so two interleaved batches could mint twin
entities). A child that dies (killed, out of memory) costs its post an error and is
replaced on the next one; a child whose server is gone (killed, or stopped mid-post)
ends within a second instead of lingering with the store open.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from storyline.config import Settings
from storyline.errors import StorylineError
from storyline.ingest import IngestReport, ingest, warm_up
from storyline.store import Store


class IngestProcessDied(StorylineError):
    """The child process running an ingest ended before answering."""


_WRITER_NICENESS = 10
"""How much lower the ingest child's CPU priority is than the server's (``nice``)."""

_stores: dict[str, Store] = {}
"""In the child: the stores it has opened, by URL (opening one checks its migrations)."""


def _start_child(server: int, languages: tuple[str, ...]) -> None:
    """In the child, at start: follow the server, step back in the CPU queue, and load
    the ingest's models now rather than during the first post.

    Lower priority because a post can wait seconds and a reader should not: on a machine
    of two cores the child's annotation otherwise takes a core the readers queue for."""
    _follow(server)
    os.nice(_WRITER_NICENESS)
    warm_up(languages)


def _follow(server: int) -> None:
    """A watcher thread that ends this process once ``server`` is gone."""

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(server, 0)
            except OSError:  # no such process (or its pid reused by another user's)
                os._exit(0)

    threading.Thread(target=watch, name="storyline-follow-server", daemon=True).start()


def _ingest_in_child(body: bytes, settings: Settings) -> IngestReport:
    store = _stores.get(settings.db_url)
    if store is None:
        store = _stores[settings.db_url] = Store.open(settings.db_url)
    return ingest(["-"], store, settings, stdin=io.BytesIO(body))


class Writer:
    """Runs ingests in one child process, started on first use (a read-only server
    never starts it), one at a time."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self, settings: Settings) -> None:
        """Start the child now (a writable server does, at startup): it loads its models
        while the server begins to serve, not while the first post waits."""
        with self._lock:
            self._started(settings).submit(os.getpid)

    def _started(self, settings: Settings) -> ProcessPoolExecutor:
        if self._pool is None:
            # Not fork: a forked child inherits the locks of the server's threads (the
            # database driver's, lingua's) mid-flight and can hang forever.
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_child,
                initargs=(os.getpid(), settings.languages),
            )
        return self._pool

    def ingest(self, body: bytes, settings: Settings) -> IngestReport:
        """Ingest ``body`` (a page, JSONL, WARC or feed) into ``settings.db_url``."""
        with self._lock:
            try:
                return self._started(settings).submit(_ingest_in_child, body, settings).result()
            except BrokenProcessPool:
                self._pool = None
                raise IngestProcessDied(
                    "the ingest process ended before answering (killed or out of memory); "
                    "the next post starts a new one"
                ) from None


WRITER = Writer()
"""The server process's one writer."""
