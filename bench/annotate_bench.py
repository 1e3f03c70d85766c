"""Speed and memory of the annotate stage on real pages: the seeds and the dev corpus.

Each page is extracted once (not timed), then annotated; the first pass loads
the models and is reported apart (``warm_up_seconds``); the timed passes give
articles per second on one core and the share of time each component takes,
so the figure says what dominates. Peak RSS is the process's high-water mark:
one worker holds exactly this set of models. Run: ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.document import Article, RawDocument
from storyline.errors import InputError
from storyline.extract.article import extract_article
from storyline.nlp import pipeline, roles, segment
from storyline.nlp.dates import find_dates
from storyline.nlp.durations import find_durations
from storyline.nlp.ner.registry import recognize

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PAGES = [
    *sorted((SHARED / "seeds").glob("*.txt")),
    *sorted((SHARED / "corpus" / "dev" / "articles").glob("*.txt")),
]


def articles() -> list[Article]:
    languages = Settings().languages
    out = []
    for path in PAGES:
        raw = RawDocument(str(path), path.read_bytes())
        try:
            out.append(extract_article(raw, languages=languages))
        except InputError:  # a page extraction refuses is simply not benchmarked
            continue
    return out


def components(article: Article) -> dict[str, Callable[[], Any]]:
    """The annotate stage split into its parts, in pipeline order (see nlp/pipeline.py)."""
    text, lang = article.text, article.lang
    published, anchor = pipeline.date_reference(article)
    mentions = recognize(text, lang)
    return {
        "sentences": lambda: segment.sentences(text, lang),
        "ner": lambda: recognize(text, lang),
        "roles": lambda: (
            roles.attach_roles(text, mentions, lang),
            roles.find_role_references(text, mentions, lang),
        ),
        "dates": lambda: find_dates(text, published, lang, anchor=anchor),
        "durations": lambda: find_durations(text, lang),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "annotate.json")
    args = parser.parse_args()
    docs = articles()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    for a in docs:
        pipeline.annotate(a)
    warm_up = time.perf_counter() - start

    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(args.passes):
        for a in docs:
            pipeline.annotate(a)
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    n = len(docs) * args.passes

    per_component: dict[str, float] = defaultdict(float)
    per_lang: dict[str, list[float]] = defaultdict(list)
    for a in docs:
        t_article = 0.0
        for name, run in components(a).items():
            t = time.perf_counter()
            run()
            dt = time.perf_counter() - t
            per_component[name] += dt
            t_article += dt
        per_lang[a.lang or "?"].append(t_article)
    total = sum(per_component.values())
    result = {
        "benchmark": "annotate",
        "articles": len(docs),
        "chars_per_article": round(sum(len(a.text) for a in docs) / len(docs)),
        "passes": args.passes,
        "warm_up_seconds": round(warm_up, 2),
        "articles_per_second_per_core": round(n / cpu, 1),
        "articles_per_second_wall": round(n / wall, 1),
        "ms_per_article_by_language": {
            lang: round(1000 * sum(ts) / len(ts), 1) for lang, ts in sorted(per_lang.items())
        },
        "share_of_time": {k: round(v / total, 3) for k, v in sorted(per_component.items())},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_models_mb": round(rss_before, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
