"""Ingest throughput on a local Dask cluster (``--dask local:1`` and ``local:2``), and the
cost of the serial assemble stage measured on its own.

Pages: the real ones, in variants (see ``ingest_bench.build_corpus``). For each worker
count a local cluster is started and its models loaded (timed apart, as start-up),
then the pages are ingested into a fresh SQLite store: articles per second, per worker
core, the scaling efficiency between the two, and each worker's peak memory.

The assemble stage (dedup, entity linking, story placement, the bulk write and the
story refresh: everything the single writer does) is then timed alone, by replaying
the results the workers made into another fresh store: no NLP runs during it.

Run niced on a shared machine: ``nice python bench/dask_bench.py``.
"""

from __future__ import annotations

import argparse
import json
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
        stored, wall = _ingest(pages, work / f"dask-{workers}.db", recording)
        peaks = dask.peak_memory()
    finally:
        dask.close()
    rate = stored / wall
    return {
        "dask": f"local:{workers}",
        "workers": workers,
        "articles": stored,
        "startup_seconds": round(startup, 1),
        "wall_seconds": round(wall, 2),
        "articles_per_second": round(rate, 2),
        "articles_per_second_per_core": round(rate / workers, 2),
        "peak_rss_per_worker_mb": sorted(round(b / 2**20, 1) for b in peaks.values()),
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
        stored, seconds = _ingest(pages, work / "assemble.db", Replay(recording.kept))
    base = runs[0]
    for r in runs:
        ideal = base["articles_per_second_per_core"] * r["workers"]
        r["scaling_efficiency"] = round(r["articles_per_second"] / ideal, 2)
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
            "articles_per_second": round(stored / seconds, 1),
            "peak_rss_client_mb": round(peak_rss_kib() / 1024, 1),
        },
    )


if __name__ == "__main__":
    main()
