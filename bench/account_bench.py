"""Speed of the whole annotate-and-assemble path: pages in, every story's account out.

Two stages on the pages of ``ingest_bench.py`` (real pages and their one-line-off
variants), one process each, so the figures are per core:

1. **ingest** with one worker: extract, annotate (body, title and lead, with their
   event mentions), deduplicate, link entities, place articles into stories,
   complete dates, store;
2. **accounts**: for every story, :func:`~storyline.assemble.timeline.story_account`
   on a cold cache — every member's stored event mentions read, events merged
   across articles, the timeline, conflicts and coverage: what the story page,
   ``storyline timeline`` and the export build.

Reported: seconds and CPU seconds of each stage, articles per second per core of
each and of the whole path (stored articles over the summed CPU time), stories,
events, peak RSS. Run: ``python bench/account_bench.py [--pages N]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_bench import page_corpus, peak_rss_mb, report

from storyline.assemble.timeline import AccountCache
from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]


def _timed(work: object) -> tuple[object, float, float]:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    result = work()  # type: ignore[operator]
    return result, time.perf_counter() - wall0, time.process_time() - cpu0


def measure(pages_dir: Path, db: Path) -> dict[str, float | int]:
    settings = Settings.from_env(db_url=str(db))
    with Store.open(settings.db_url) as store:
        report, ingest_wall, ingest_cpu = _timed(
            lambda: ingest([str(pages_dir)], store, settings, workers=1)
        )
        stored = report.ingested + report.duplicates  # type: ignore[attr-defined]
        stories = [s.id for s in store.stories(limit=100_000)]
        cache = AccountCache(size=len(stories) + 1)
        accounts, accounts_wall, accounts_cpu = _timed(
            lambda: [cache.get(store, story_id) for story_id in stories]
        )
    events = sum(len(a.events) for a in accounts)  # type: ignore[attr-defined]
    conflicts = sum(len(a.conflicts) for a in accounts)  # type: ignore[attr-defined]
    total_cpu = ingest_cpu + accounts_cpu
    return {
        "articles": stored,
        "stories": len(stories),
        "events": events,
        "events_with_conflicts": conflicts,
        "ingest_wall_seconds": round(ingest_wall, 2),
        "ingest_cpu_seconds": round(ingest_cpu, 2),
        "ingest_articles_per_second_per_core": round(stored / ingest_cpu, 1),
        "accounts_wall_seconds": round(accounts_wall, 2),
        "accounts_cpu_seconds": round(accounts_cpu, 2),
        "accounts_articles_per_second_per_core": round(stored / accounts_cpu, 1),
        "ms_per_story_account": round(1000 * accounts_wall / max(len(stories), 1), 1),
        "annotate_and_assemble_articles_per_second_per_core": round(stored / total_cpu, 1),
        "peak_rss_mb": round(peak_rss_mb(resource.RUSAGE_SELF), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "account.json")
    args = parser.parse_args()
    with page_corpus(args.pages) as (work, pages_dir, n):
        result = measure(pages_dir, work / "account.db")
    report("annotate and assemble", n, args.out, **result)


if __name__ == "__main__":
    main()
