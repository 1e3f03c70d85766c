"""Ingest throughput on a local Dask cluster (``--dask local:1`` and ``local:2``), and the
cost of the serial assemble stage measured on its own.

Pages: the real ones, in variants (see ``ingest_bench.build_corpus``). For each worker
count a local cluster is started and its models loaded (timed apart, as start-up),
then the pages are ingested into a fresh SQLite store: articles per second, per worker
core, the scaling efficiency between the two, and each worker's peak memory.

The assemble stage (dedup, entity linking, story placement, the bulk write and the
story refresh: everything the single writer does) is then timed alone, by replaying
the results the workers made into another fresh store: no NLP runs during it. It runs in
the process that just ingested the same pages twice, so what the writer reads again (the
words of re-dated pages, entity names) is already in its parse caches: a lower bound. A
fresh process's figure, stage by stage, is ``bench/writer_profile.py``'s.

Each run also reports the CPU time it cost the workers and the client (the reader, the
writer, the Dask client and, on a local cluster, the scheduler) per article. Both
processes also spend CPU while idle (heartbeats, the scheduler's periodic work), so much
per second, not per article: that rate is measured over :data:`IDLE_SECONDS` before the
run and its share of the run taken off, which leaves the busy CPU per article (on a busy
machine a run takes longer and the idle share grows; the busy cost does not). The ratio
of the workers' busy CPU to the client's is the projected worker count at which the
writer saturates: past it, more workers wait on the one client. See
``bench/writer_profile.py`` for the writer's time stage by stage.

Run niced on a shared machine: ``nice python bench/dask_bench.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ingest_bench import REPO, page_corpus, report

from storyline.config import Settings
from storyline.distributed import DaskRunner
from storyline.ingest import Results, Window, ingest
from storyline.store import Store


class Recording:
    """A runner that passes another's results through and keeps them for a replay."""

    def __init__(self, inner: DaskRunner) -> None:
        self.inner = inner
        self.kept: list[tuple[Window, Results]] = []

    def run(
        self, windows: Iterable[Window], languages: tuple[str, ...], annotate: bool
    ) -> Iterator[tuple[Window, Results]]:
        for pair in self.inner.run(windows, languages, annotate):
            self.kept.append(pair)
            yield pair

    def close(self) -> None:
        self.inner.close()


class Replay:
    """A runner that hands back results made earlier: only the assemble stage runs."""

    def __init__(self, kept: list[tuple[Window, Results]]) -> None:
        self.kept = {tuple(d.sha256 for d in w.documents): r for w, r in kept}

    def run(
        self, windows: Iterable[Window], languages: tuple[str, ...], annotate: bool
    ) -> Iterator[tuple[Window, Results]]:
        for window in windows:
            yield window, self.kept[tuple(d.sha256 for d in window.documents)]

    def close(self) -> None:
        pass


IDLE_SECONDS = 5.0


def idle_rates(dask: DaskRunner) -> tuple[float, float]:
    """CPU seconds per second the client and the workers (all together) spend idle."""
    client, workers = time.process_time(), sum(dask.cpu_seconds().values())
    time.sleep(IDLE_SECONDS)
    client = time.process_time() - client
    workers = sum(dask.cpu_seconds().values()) - workers
    return client / IDLE_SECONDS, workers / IDLE_SECONDS


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _ingest(pages: Path, db: Path, runner: Any) -> tuple[int, float]:
    settings = Settings.from_env(db_url=str(db))
    start = time.perf_counter()
    with Store.open(settings.db_url) as store:
        report = ingest([str(pages)], store, settings, runner=runner)
    return report.ingested + report.duplicates, time.perf_counter() - start


def run(pages: Path, workers: int, work: Path) -> tuple[dict[str, Any], Recording]:
    start = time.perf_counter()
    dask = DaskRunner(f"local:{workers}")
    dask._preload(Settings.from_env().languages)  # models loaded before the clock starts
    startup = time.perf_counter() - start
    recording = Recording(dask)
    try:
        client_idle, workers_idle = idle_rates(dask)
        worker_cpu, client_cpu = sum(dask.cpu_seconds().values()), time.process_time()
        stored, wall = _ingest(pages, work / f"dask-{workers}.db", recording)
        client_cpu = time.process_time() - client_cpu
        worker_cpu = sum(dask.cpu_seconds().values()) - worker_cpu
        peaks = dask.peak_memory()
    finally:
        dask.close()
    rate = stored / wall
    client_busy = client_cpu - client_idle * wall
    worker_busy = worker_cpu - workers_idle * wall
    return {
        "dask": f"local:{workers}",
        "workers": workers,
        "articles": stored,
        "startup_seconds": round(startup, 1),
        "wall_seconds": round(wall, 2),
        "articles_per_second": round(rate, 2),
        "articles_per_second_per_core": round(rate / workers, 2),
        "peak_rss_per_worker_mb": sorted(round(b / 2**20, 1) for b in peaks.values()),
        "worker_cpu_ms_per_article": round(1000 * worker_cpu / stored, 1),
        "client_cpu_ms_per_article": round(1000 * client_cpu / stored, 1),
        "idle_cpu_per_second": {"client": round(client_idle, 3), "workers": round(workers_idle, 3)},
        "worker_busy_cpu_ms_per_article": round(1000 * worker_busy / stored, 1),
        "client_busy_cpu_ms_per_article": round(1000 * client_busy / stored, 1),
        "writer_saturates_at_workers": round(worker_busy / client_busy, 1),
        "load_average": os.getloadavg()[0],
    }, recording


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "dask.json")
    args = parser.parse_args()
    with page_corpus(args.pages) as (work, pages, n):
        runs = []
        recording: Recording | None = None
        for w in args.workers:
            result, recording = run(pages, w, work)
            runs.append(result)
            print(json.dumps(result), flush=True)
        assert recording is not None
        cpu = time.process_time()
        stored, seconds = _ingest(pages, work / "assemble.db", Replay(recording.kept))
        cpu = time.process_time() - cpu
    base = runs[0]
    writer_cpu = 1000 * cpu / stored
    for r in runs:
        ideal = base["articles_per_second_per_core"] * r["workers"]
        r["scaling_efficiency"] = round(r["articles_per_second"] / ideal, 2)
        # the writer's own CPU (the replay) alone, without the Dask client's: an upper bound
        r["writer_alone_saturates_at_workers"] = round(
            r["worker_busy_cpu_ms_per_article"] / writer_cpu, 1
        )
    report(
        "dask",
        n,
        args.out,
        note="2 cores; the client (reader + assemble) runs on the same cores as the workers",
        runs=runs,
        assemble_only={
            "articles": stored,
            "wall_seconds": round(seconds, 2),
            "ms_per_article": round(1000 * seconds / stored, 2),
            "cpu_ms_per_article": round(writer_cpu, 2),
            "articles_per_second": round(stored / seconds, 1),
            "peak_rss_client_mb": round(peak_rss_kib() / 1024, 1),
        },
    )


if __name__ == "__main__":
    main()
