"""CPU time of the single writer per article, stage by stage.

The workers' results for a page corpus (see ``ingest_bench.build_corpus``) are made once
in this process and kept in a pickle (``--cache``); each run then replays them through
:func:`storyline.ingest.ingest` into a fresh SQLite store, so only what the writer does is
timed: reading and skipping (the reader), taking a result off the wire (unpickling, as the
Dask client does), dedup, entity linking, story features, clustering, event rows, the
bulk write, dates and surfaces of stale stories (with the event mentions of the pages
their story re-dated found again), and the accounts at the end.

Times are CPU seconds of this process (``time.process_time``), each stage exclusive of the
stages timed inside it; the profile of the whole replay goes to ``--profile`` if given.
What the writer loads once per process (the linker's gazetteer, the morphology
dictionaries, the models and tokenizers the re-reading of a re-dated page uses: spaCy's
English pipeline tokenizes an English page's events) is loaded and timed
before the replay, as start-up: it is no cost per article, and a 600-page replay would
otherwise spread a second or two of it over the pages.

Run niced on a shared machine: ``nice python bench/writer_profile.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pickle
import pstats
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotate_bench import StageClock
from ingest_bench import REPO, page_corpus

import storyline.ingest as ingest_module
from storyline.assemble.stories import StoryClusterer
from storyline.config import Settings
from storyline.ingest import Results, Window, ingest, process_window
from storyline.store import Store

CLOCK = StageClock()
"""Exclusive CPU time per writer stage (the worker stage's bench keeps it the same way)."""


def _instrument() -> None:
    """Wrap each writer stage (module attributes the ingest looks up when it runs)."""
    m = ingest_module
    patches: list[tuple[Any, str, str]] = [
        (m._Deduplicator, "start_window", "dedup"),
        (m._Deduplicator, "mark", "dedup"),
        (m._Linker, "link", "linking"),
        (m, "story_input", "story features"),  # before the workers made them
        (m, "unlinked_input", "story features"),
        (getattr(m, "UnlinkedInput", None), "linked", "story features"),
        (StoryClusterer, "add", "clustering"),
        (StoryClusterer, "follow", "clustering"),
        (m.story_codec, "to_json", "story features"),
        (m, "event_parts", "event rows"),
        (m, "reference_key", "event rows"),
        (Store, "add_articles", "store write"),
        (m._Stories, "_load", "clusterer replay"),
        (m._Stories, "complete_dates", "dates"),
        (m, "refind_events", "events of re-dated pages"),
        (m, "refresh_stories", "surfaces"),
        (m, "save_accounts", "accounts"),
        (m.Assembler, "write", "other"),
    ]
    for owner, attr, name in patches:
        if hasattr(owner, attr):  # the stages of this version of the ingest
            setattr(owner, attr, CLOCK.wrap(name, getattr(owner, attr)))
    windows = m._Reader.windows

    def read(self: Any, *args: Any, **kwargs: Any) -> Iterator[Window]:
        it = windows(self, *args, **kwargs)
        step = CLOCK.wrap("read", lambda: next(it, None))
        while (window := step()) is not None:
            yield window

    m._Reader.windows = read


class Replay:
    """A runner handing back results made earlier, each unpickled as it is taken (what the
    Dask client does with a finished task's result)."""

    def __init__(self, kept: dict[tuple[str, ...], bytes]) -> None:
        self.kept = kept

    def run(
        self, windows: Iterable[Window], languages: tuple[str, ...], annotate: bool
    ) -> Iterator[tuple[Window, Results]]:
        take = CLOCK.wrap("unpickle", pickle.loads)
        for window in windows:
            yield window, take(self.kept[tuple(d.sha256 for d in window.documents)])

    def close(self) -> None:
        pass


class Making:
    """A runner that processes windows here and keeps each result pickled."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, ...], bytes] = {}

    def run(
        self, windows: Iterable[Window], languages: tuple[str, ...], annotate: bool
    ) -> Iterator[tuple[Window, Results]]:
        ingest_module.warm_up(languages)
        for window in windows:
            results = process_window(window.documents, window.stats, languages, annotate)
            self.kept[tuple(d.sha256 for d in window.documents)] = pickle.dumps(results, 5)
            yield window, results

    def close(self) -> None:
        pass


def writer_warm_up(languages: tuple[str, ...]) -> float:
    """Load what the writer loads once per process; returns the CPU seconds it took."""
    from storyline.assemble.linking import _gazetteer
    from storyline.document import Article
    from storyline.nlp.events import find_event_mentions
    from storyline.nlp.morph import known_not_a_place
    from storyline.nlp.pipeline import annotate

    start = time.process_time()
    _gazetteer()
    known_not_a_place("Москва")
    for lang, text in ingest_module.WARM_UP_TEXTS.items():
        if lang in languages:
            page = Article(id=f"warm-{lang}", source="", lang=lang, text=text)
            find_event_mentions(text, lang, annotate(page, entities=()))
    return time.process_time() - start


def _ingest(pages: Path, db: Path, runner: Any) -> int:
    settings = Settings.from_env(db_url=str(db))
    with Store.open(settings.db_url) as store:
        report = ingest([str(pages)], store, settings, runner=runner)
    return report.ingested + report.duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument(
        "--cache", type=Path, required=True, help="pickle of the workers' results (made if missing)"
    )
    parser.add_argument("--profile", type=Path, help="write the replay's cProfile stats here")
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "writer_profile.json"
    )
    args = parser.parse_args()  # fmt: skip
    with page_corpus(args.pages) as (work, pages, n):
        if not args.cache.exists():
            making = Making()
            _ingest(pages, work / "making.db", making)
            args.cache.write_bytes(pickle.dumps(making.kept, 5))
        kept = pickle.loads(args.cache.read_bytes())
        wire = sum(len(b) for b in kept.values())
        startup = writer_warm_up(Settings.from_env().languages)
        _instrument()
        profiler = cProfile.Profile() if args.profile else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        stored = _ingest(pages, work / "replay.db", Replay(kept))
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).dump_stats(args.profile)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    per = {
        k: round(1000 * v / stored, 3)
        for k, v in sorted(CLOCK.seconds.items(), key=lambda kv: -kv[1])
    }
    result = {
        "benchmark": "writer_profile",
        "pages": n,
        "articles": stored,
        "wire_kib_per_article": round(wire / 1024 / stored, 1),
        "writer_startup_cpu_seconds": round(startup, 2),
        "wall_seconds": round(wall, 2),
        "cpu_ms_per_article": round(1000 * cpu / stored, 2),
        "cpu_ms_per_article_by_stage": per,
        "untimed_ms_per_article": round(1000 * cpu / stored - sum(per.values()), 2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
