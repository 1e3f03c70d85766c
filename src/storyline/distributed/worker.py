"""What runs inside a Dask worker process: the models, loaded once, and the task.

A worker process lives for the whole run (and longer, on a standing cluster), so the
NLP models its module-level caches load on first use stay loaded. :class:`Preload`
makes that first use happen when the worker starts, not inside the first task:
a worker without a model installed then fails at once with its own error, and the
measured task times are the steady ones.
"""

from __future__ import annotations

import asyncio
import resource
import time
from typing import Any

from distributed import WorkerPlugin


def warm_up(languages: tuple[str, ...]) -> int:
    """Process one short page per language with a model, so every model is loaded;
    returns how many were processed (:func:`storyline.ingest.warm_up`)."""
    from storyline.ingest import warm_up  # the worker imports the pipeline here, once

    return warm_up(languages)


class Preload(WorkerPlugin):
    """Loads the models when a worker starts, including one that replaces a lost worker."""

    name = "storyline-preload"

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = languages

    async def setup(self, worker: Any) -> None:
        # Off the event loop: loading takes seconds, and the worker must keep answering
        # the scheduler's heartbeats meanwhile.
        await asyncio.get_running_loop().run_in_executor(None, warm_up, self.languages)


def peak_rss_bytes() -> int:
    """This process's peak resident memory (``client.run`` it to ask each worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_seconds() -> float:
    """This process's CPU time so far, all threads (``client.run`` it to ask each worker):
    what a run cost the workers, beside what it cost the client, tells how many workers
    one writer keeps busy."""
    return time.process_time()
