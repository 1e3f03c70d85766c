"""Ingest speed and memory on >= 2,000 pages built from real ones.

Pages: every real page we have (the seeds, the dev corpus dumps and the HTML
fixtures), each repeated in variants that drop a different line, until the
target count is reached. Variants are real extraction work (a different
document, a different body) and exercise the near-duplicate path as real
reprints do.

Reported per run: wall seconds, articles per second, articles per second per
core (divided by the worker count), CPU seconds, peak RSS of the main process
and of the largest worker. Run: ``make bench`` (or ``python bench/ingest_bench.py``).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REAL_PAGES = [
    *sorted((SHARED / "seeds").glob("*.txt")),
    *sorted((SHARED / "corpus" / "dev" / "articles").glob("*.txt")),
    *sorted((REPO / "tests" / "data" / "html").glob("*.html")),
]


def build_corpus(target: int, out: Path) -> int:
    """Write ``target`` distinct pages into ``out``; returns how many were written."""
    pages = [(p, p.read_bytes()) for p in REAL_PAGES]
    n = 0
    variant = 0
    while n < target:
        for path, data in pages:
            if n >= target:
                break
            lines = data.split(b"\n")
            if variant:
                drop = variant % len(lines)
                lines = lines[:drop] + lines[drop + 1 :]
                if path.suffix == ".html":
                    lines.append(f"<!-- variant {variant} -->".encode())
            (out / f"{n:05d}{path.suffix}").write_bytes(b"\n".join(lines))
            n += 1
        variant += 1
    return n


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def run(pages_dir: Path, workers: int, work: Path) -> dict[str, float | int]:
    db = work / f"bench-{workers}.db"
    settings = Settings.from_env(db_url=str(db))
    cpu0 = time.process_time()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with Store.open(settings.db_url) as store:
        report = ingest([str(pages_dir)], store, settings, workers=workers)
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (
        time.process_time()
        - cpu0
        + (children.ru_utime - children0.ru_utime)
        + (children.ru_stime - children0.ru_stime)
    )
    stored = report.ingested + report.duplicates
    return {
        "workers": workers,
        "articles": stored,
        "failed": len(report.failed),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "articles_per_second": round(stored / wall, 1),
        "articles_per_second_per_core": round(stored / wall / workers, 1),
        "articles_per_cpu_second": round(stored / cpu, 1),
        "peak_rss_main_mb": round(peak_rss_mb(resource.RUSAGE_SELF), 1),
        "peak_rss_largest_worker_mb": round(peak_rss_mb(resource.RUSAGE_CHILDREN), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "ingest.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storyline-bench-"))
    try:
        pages_dir = work / "pages"
        pages_dir.mkdir()
        n = build_corpus(args.pages, pages_dir)
        runs = [run(pages_dir, w, work) for w in args.workers]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "benchmark": "ingest",
        "pages": n,
        "real_pages": len(REAL_PAGES),
        "machine": {"python": sys.version.split()[0], "cpus": __import__("os").cpu_count(),
                    "platform": platform.platform()},
        "runs": runs,
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
