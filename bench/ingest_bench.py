"""Ingest speed and memory on >= 2,000 pages built from real ones.

Pages: every real page we have (the seeds, the dev corpus dumps and the HTML
fixtures), each repeated in variants that drop a different line, until the
target count is reached. Variants are real extraction work (a different
document, a different body) and exercise the near-duplicate path as real
reprints do.

Reported per run: wall seconds, articles per second, articles per second per
core (divided by the worker count), CPU seconds, peak RSS of the main process
and of the largest worker. Run: ``make bench`` (or ``python bench/ingest_bench.py``).

Beside the runs, a yardstick: plain Natasha (segment, morphology, NER, normalize
the spans) and our whole worker stage (extraction, annotation of every part, event
mentions, index terms, story features, the sentence vector; in tasks of
``TASK_PAGES`` pages, as the local runner sends them) on the same real Russian pages,
in CPU seconds of this process after warm-up, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REAL_PAGES = [
    *sorted((SHARED / "seeds").glob("*.txt")),
    *sorted((SHARED / "corpus" / "dev" / "articles").glob("*.txt")),
    *sorted((SHARED / "corpus" / "train" / "articles").glob("*.txt")),
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
            if variant and len(lines) > 3 and path.suffix != ".html":
                drop = variant % len(lines)
                lines = lines[:drop] + lines[drop + 1 :]
            if variant and path.suffix == ".html":
                lines.append(f"<!-- variant {variant} -->".encode())
            elif variant and len(lines) <= 3:
                lines += [b""] * variant  # a distinct document with the same article
            (out / f"{n:05d}{path.suffix}").write_bytes(b"\n".join(lines))
            n += 1
        variant += 1
    return n


@contextmanager
def page_corpus(target: int) -> Iterator[tuple[Path, Path, int]]:
    """(a scratch folder, the pages folder inside it, how many pages) for one benchmark
    run; the folder is removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="storyline-bench-"))
    try:
        pages = work / "pages"
        pages.mkdir()
        yield work, pages, build_corpus(target, pages)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(benchmark: str, pages: int, out: Path, **fields: Any) -> None:
    """Write and print a benchmark's result with what every result carries."""
    result = {
        "benchmark": benchmark,
        "pages": pages,
        "real_pages": len(REAL_PAGES),
        "machine": {"python": sys.version.split()[0], "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        **fields,
    }  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


class DescendantSampler(threading.Thread):
    """Peak RSS and CPU time of every process below this one, read from /proc.

    Workers are started by a forkserver, so they are grandchildren: getrusage's
    RUSAGE_CHILDREN never sees them.
    """

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.stop = threading.Event()
        self.peak_kib: dict[int, int] = {}
        self.cpu_ticks: dict[int, int] = {}

    @staticmethod
    def _descendants(root: int) -> list[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry.name)] = int(fields[1])
        found, frontier = [], [root]
        while frontier:
            pid = frontier.pop()
            children = [c for c, p in parents.items() if p == pid]
            found += children
            frontier += children
        return found

    def sample(self) -> None:
        for pid in self._descendants(os.getpid()):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            hwm = next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM")), 0)
            self.peak_kib[pid] = max(self.peak_kib.get(pid, 0), hwm)
            self.cpu_ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            self.sample()

    def finish(self) -> tuple[float, float]:
        """(peak RSS of the largest process below us in MB, their CPU seconds)."""
        self.stop.set()
        self.join()
        ticks = os.sysconf("SC_CLK_TCK")
        return max(self.peak_kib.values(), default=0) / 1024, sum(self.cpu_ticks.values()) / ticks


def run(pages_dir: Path, workers: int, work: Path, annotate: bool) -> dict[str, float | int]:
    db = work / f"bench-{workers}-{annotate}.db"
    settings = Settings.from_env(db_url=str(db))
    cpu0 = time.process_time()
    sampler = DescendantSampler()
    sampler.start()
    start = time.perf_counter()
    with Store.open(settings.db_url) as store:
        report = ingest([str(pages_dir)], store, settings, workers=workers, annotate=annotate)
    wall = time.perf_counter() - start
    worker_peak_mb, worker_cpu = sampler.finish()
    cpu = time.process_time() - cpu0 + worker_cpu
    stored = report.ingested + report.duplicates
    return {
        "workers": workers,
        "annotate": annotate,
        "articles": stored,
        "failed": len(report.failed),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "articles_per_second": round(stored / wall, 1),
        "articles_per_second_per_core": round(stored / wall / workers, 1),
        "articles_per_cpu_second": round(stored / cpu, 1),
        "peak_rss_main_mb": round(peak_rss_mb(resource.RUSAGE_SELF), 1),
        "peak_rss_largest_worker_mb": round(worker_peak_mb, 1),
    }


def natasha_yardstick(languages: tuple[str, ...]) -> dict[str, float | int]:
    """CPU milliseconds per Russian page: plain Natasha against our worker stage."""
    from natasha import (
        Doc,
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        Segmenter,
    )

    from storyline.document import RawDocument
    from storyline.errors import InputError
    from storyline.extract.article import extract_article
    from storyline.ingest import TASK_PAGES, process_window, warm_up

    raws = [RawDocument(str(p), p.read_bytes()) for p in REAL_PAGES if p.suffix == ".txt"]
    texts = []
    for raw in raws:
        try:
            article = extract_article(raw, languages=languages)
        except InputError:
            continue
        if article.lang == "ru":
            texts.append((raw, article.text))
    segmenter, vocab, emb = Segmenter(), MorphVocab(), NewsEmbedding()
    morph, ner = NewsMorphTagger(emb), NewsNERTagger(emb)

    def natasha(text: str) -> None:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.tag_ner(ner)
        for span in doc.spans:
            span.normalize(vocab)

    warm_up(languages)
    natasha(texts[0][1])
    start = time.process_time()
    for _, text in texts:
        natasha(text)
    plain = (time.process_time() - start) / len(texts) * 1000
    start = time.process_time()
    for i in range(0, len(texts), TASK_PAGES):  # in tasks, as the local runner sends pages
        task = [raw for raw, _ in texts[i : i + TASK_PAGES]]
        process_window(task, [None] * len(task), languages)
    ours = (time.process_time() - start) / len(texts) * 1000
    return {
        "russian_pages": len(texts),
        "natasha_ms_per_page": round(plain, 1),
        "worker_ms_per_page": round(ours, 1),
        "worker_to_natasha": round(ours / plain, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--no-annotate", action="store_true", help="extraction, dedup and store only"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "ingest.json")
    args = parser.parse_args()
    with page_corpus(args.pages) as (work, pages_dir, n):
        runs = [run(pages_dir, w, work, not args.no_annotate) for w in args.workers]
    yardstick = natasha_yardstick(Settings().languages)
    report("ingest", n, args.out, runs=runs, russian_pages_against_natasha=yardstick)


if __name__ == "__main__":
    main()
