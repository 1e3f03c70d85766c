"""CPU time of the worker stage on real pages, per language and per stage.

The worker stage is :func:`storyline.ingest.process_window` over tasks of
``TASK_PAGES`` pages, as the local runner sends them (one page at a time on revisions
without it): extraction, annotation of the body, title and lead, event mentions, index
terms, MinHash, story features and the sentence vector. Every distinct real page the
ingest benchmark builds its corpus from (the seeds, the dev and train corpora, the HTML
fixtures) is processed once after the models are loaded
(:func:`storyline.ingest.warm_up`), as a worker meets new pages. Tasks are made of
pages of one language here, so each language has its own figures; an ingest's tasks
mix languages, and each language's model then reads fewer pages per call.

Times are CPU seconds of this process (``time.process_time``), not wall time: the
machine may be shared, and CPU time per page is what a worker's throughput follows.
Each stage's time is *exclusive* (a stage that calls another does not count the
callee's time), so the stages of one language add up to its total. Stages are timed
by wrapping the functions the worker calls (:data:`STAGES`); the wrapping costs about
a microsecond per call, small beside any stage.

Reported: pages per CPU second, CPU ms per page by language, and per language each
stage's CPU ms per page; ``--passes 2`` adds a second pass over the same pages (the
per-process caches warm, as for the variants of one page the ingest benchmark
repeats). Peak RSS is this process's high-water mark: one worker's models. Run:
``make bench``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline import ingest
from storyline.config import Settings
from storyline.document import RawDocument
from storyline.errors import InputError
from storyline.extract.article import extract_article
from storyline.ingest import process_one, warm_up
from storyline.nlp.ner import registry

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from ingest_bench import REAL_PAGES  # noqa: E402  # the same real pages as the ingest bench

STAGES: tuple[tuple[str, str, str], ...] = (
    ("storyline.ingest", "extract_article", "extract"),
    ("storyline.extract.article", "detect_language", "extract: language"),
    ("storyline.ingest", "sentence_vector", "vector"),
    ("storyline.ingest", "part_mentions", "event mentions"),
    ("storyline.ingest", "article_terms", "terms"),
    ("storyline.ingest", "minhash", "minhash"),
    ("storyline.ingest", "unlinked_input", "story features"),
    ("storyline.ingest", "annotate_article", "annotate: glue"),
    ("storyline.assemble.events", "annotate", "annotate: glue"),
    ("storyline.nlp.pipeline", "annotate", "annotate: glue"),
    ("storyline.nlp.pipeline", "recognize", "ner: glue"),
    ("storyline.nlp.pipeline", "recognize_many", "ner: glue"),
    ("storyline.nlp.ner.ru", "natasha_spans", "ner: model"),
    ("storyline.nlp.ner.ru", "postprocess", "ner: rules"),
    ("storyline.nlp.ner.uk", "tag_doc", "ner: model"),
    ("storyline.nlp.ner.uk", "tag_docs", "ner: model"),
    ("storyline.nlp.ner.uk", "postprocess", "ner: rules"),
    ("storyline.nlp.ner.en", "tag_en", "ner: model"),
    ("storyline.nlp.ner.en", "tag_en_many", "ner: model"),
    ("storyline.nlp.ner.known", "known_names", "ner: known names"),
    ("storyline.nlp.ner.known", "amend", "ner: known names"),
    ("storyline.nlp.morph", "person_genders", "ner: genders"),
    ("storyline.nlp.morph", "normalize", "ner: normalize"),
    ("storyline.nlp.roles", "drop_role_words", "roles"),
    ("storyline.nlp.roles", "attach_roles", "roles"),
    ("storyline.nlp.roles", "find_role_references", "roles"),
    ("storyline.nlp.segment", "sentences", "sentences"),
    ("storyline.nlp.pipeline", "find_dates", "dates"),
    ("storyline.nlp.pipeline", "find_durations", "durations"),
    ("storyline.nlp.pipeline", "find_quotes", "quotes"),
)
"""(module, function, stage): each function is replaced by a timed wrapper in its
module, which is where its callers look it up (one the code does not have is skipped:
the bench also runs on older revisions). Time not inside any of them is ``other`` (the
worker's own glue)."""


class StageClock:
    """Exclusive CPU time per stage, of the calls made through :meth:`wrap`."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._open: list[list[float]] = []  # [started, time spent in nested stages]

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [time.process_time(), 0.0]
            self._open.append(frame)
            try:
                return function(*args, **kwargs)
            finally:
                self._open.pop()
                spent = time.process_time() - frame[0]
                self.seconds[stage] += spent - frame[1]
                if self._open:
                    self._open[-1][1] += spent

        return timed

    def install(self) -> None:
        for module_name, name, stage in STAGES:
            module = importlib.import_module(module_name)
            if hasattr(module, name):
                setattr(module, name, self.wrap(stage, getattr(module, name)))
        if hasattr(registry.tagger, "cache_clear"):  # older revisions cached the taggers
            registry.tagger.cache_clear()

    def take(self) -> dict[str, float]:
        taken, self.seconds = dict(self.seconds), defaultdict(float)
        return taken


def pages_by_language(languages: tuple[str, ...]) -> dict[str, list[RawDocument]]:
    """The real pages by the language extraction finds (pages it refuses are left out)."""
    found: dict[str, list[RawDocument]] = defaultdict(list)
    for path in REAL_PAGES:
        raw = RawDocument(str(path), path.read_bytes())
        try:
            found[extract_article(raw, languages=languages).lang or "?"].append(raw)
        except InputError:
            continue
    return found


def timed_pass(
    pages: dict[str, list[RawDocument]], languages: tuple[str, ...], clock: StageClock
) -> dict[str, dict[str, float]]:
    """Per language: total CPU ms per page and each stage's CPU ms per page."""
    result = {}
    for lang, raws in sorted(pages.items()):
        start = time.process_time()
        size = getattr(ingest, "TASK_PAGES", 1)
        for i in range(0, len(raws), size):
            task = raws[i : i + size]
            if size == 1:
                process_one(task[0], languages, None)
            else:
                ingest.process_window(task, [None] * len(task), languages)
        total = time.process_time() - start
        stages = clock.take()
        stages["other"] = total - sum(stages.values())
        result[lang] = {
            "pages": len(raws),
            "ms_per_page": round(1000 * total / len(raws), 2),
            "stages_ms_per_page": {
                name: round(1000 * seconds / len(raws), 2)
                for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1])
            },
        }
    return result


def summary(by_language: dict[str, dict[str, Any]]) -> dict[str, Any]:
    pages = sum(v["pages"] for v in by_language.values())
    ms = sum(v["ms_per_page"] * v["pages"] for v in by_language.values())
    return {
        "pages": pages,
        "pages_per_cpu_second": round(1000 * pages / ms, 1),
        "ms_per_page": round(ms / pages, 2),
        "ms_per_page_by_language": {k: v["ms_per_page"] for k, v in by_language.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "annotate.json")
    args = parser.parse_args()
    languages = Settings().languages
    pages = pages_by_language(languages)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.process_time()
    warm_up(languages)
    warm_up_seconds = time.process_time() - start
    clock = StageClock()
    clock.install()
    passes = [timed_pass(pages, languages, clock) for _ in range(args.passes)]
    result = {
        "benchmark": "annotate (worker stage, CPU time)",
        "warm_up_cpu_seconds": round(warm_up_seconds, 2),
        "passes": [{"summary": summary(p), "by_language": p} for p in passes],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_models_mb": round(rss_before, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
