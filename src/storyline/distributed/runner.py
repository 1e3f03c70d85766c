"""Windows of documents processed on a Dask cluster, handed back in reading order.

Each window is split into tasks of :attr:`DaskRunner.task_size` documents, so every
worker has work even when a window is small. At most :attr:`DaskRunner.depth` windows
are in flight: the reader stays that far ahead of the writer and no further, so the
client's memory holds a bounded number of windows however large the input is, and
the workers never wait on the writer while it stores the previous window.

A lost worker costs nothing but time: the scheduler runs its tasks again elsewhere
(their results are only ever taken from a finished task, so none is stored twice).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from distributed import Client, Future, LocalCluster
from distributed.client import FutureCancelledError
from distributed.scheduler import KilledWorker

from storyline.distributed.cluster import ClusterError, connect
from storyline.distributed.worker import Preload, cpu_seconds, peak_rss_bytes
from storyline.ingest import CHUNK, Results, Window, process_window

TASK_SIZE = 8
"""Documents per task: ~0.5 s of work, far above Dask's ~1 ms cost per task."""


class DaskRunner:
    """A :class:`storyline.ingest.Runner` on the cluster at ``address`` (``local:N`` or
    ``tcp://host:port``, see :func:`storyline.distributed.cluster.connect`)."""

    def __init__(
        self, address: str, *, task_size: int = TASK_SIZE, depth: int | None = None
    ) -> None:
        self.address = address
        self.task_size = task_size
        self._depth = depth
        self.client: Client
        self.cluster: LocalCluster | None
        self.client, self.cluster = connect(address)
        self._preloaded: tuple[str, ...] | None = None

    @property
    def threads(self) -> int:
        """Worker threads on the cluster now."""
        return max(1, sum(self.client.nthreads().values()))

    @property
    def depth(self) -> int:
        """Windows in flight: enough tasks to keep every worker busy twice over."""
        if self._depth is not None:
            return self._depth
        return max(2, math.ceil(2 * self.threads * self.task_size / CHUNK))

    def run(
        self, windows: Iterable[Window], languages: tuple[str, ...], annotate: bool
    ) -> Iterator[tuple[Window, Results]]:
        self._preload(languages)
        pending: deque[tuple[Window, list[Future]]] = deque()
        try:
            for window in windows:
                pending.append((window, self._submit(window, languages, annotate)))
                if len(pending) >= self.depth:
                    yield self._collect(*pending.popleft())
            while pending:
                yield self._collect(*pending.popleft())
        finally:
            if pending:  # the writer stopped early: do not leave work on the cluster
                self.client.cancel([f for _, futures in pending for f in futures])

    def peak_memory(self) -> dict[str, int]:
        """Each worker's peak resident memory in bytes, by worker address."""
        return dict(self.client.run(peak_rss_bytes))

    def cpu_seconds(self) -> dict[str, float]:
        """Each worker's CPU seconds so far, by worker address."""
        return dict(self.client.run(cpu_seconds))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def _preload(self, languages: tuple[str, ...]) -> None:
        if self._preloaded != languages:
            self.client.register_plugin(Preload(languages))
            self._preloaded = languages

    def _submit(self, window: Window, languages: tuple[str, ...], annotate: bool) -> list[Future]:
        return [
            self.client.submit(process_window, docs, stats, languages, annotate, pure=False)
            for docs, stats in window.slices(self.task_size)
        ]

    def _collect(self, window: Window, futures: list[Future]) -> tuple[Window, Results]:
        try:
            parts: list[Any] = self.client.gather(futures)
        except (FutureCancelledError, KilledWorker) as exc:
            raise ClusterError(
                f"{self.address}: the cluster gave up on a task ({type(exc).__name__}: {exc}); "
                "re-run the same command to go on where it stopped"
            ) from None
        return window, [result for part in parts for result in part]
