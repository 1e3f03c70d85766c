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
from typing import Any

from distributed import WorkerPlugin

from storyline.document import RawDocument

_WARM_UP = {
    "ru": "Президент Владимир Путин прибыл в Москву 17 июля 2023 года. «Мы готовы», — сказал он.",
    "uk": "Володимир Зеленський прибув до Києва 17 липня 2023 року. «Ми готові», — сказав він.",
    "en": 'President Joe Biden arrived in London on 17 July 2023. "We are ready," he said.',
}


def warm_up(languages: tuple[str, ...]) -> int:
    """Process one short page per language with a model, so every model is loaded;
    returns how many were processed."""
    from storyline.ingest import process_one  # the worker imports the pipeline here, once

    done = 0
    for lang, text in _WARM_UP.items():
        if lang in languages:
            raw = RawDocument(source=f"<warm-up {lang}>", data=text.encode(), kind="text")
            process_one(raw, languages, None)
            done += 1
    return done


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
