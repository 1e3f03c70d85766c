"""The web server under load: 20 connections of mixed reads while writes run.

A temporary SQLite store is built from the first ``--store-pages`` real dev-corpus pages
(``shared/corpus/dev/articles``) and served by real uvicorn in its own process on a
free loopback port, with an API token. Then 20 connections share a budget of
``--requests`` requests (default 2,000): ``--writers`` of them post the remaining dev
pages one by one (``POST /api/v1/articles``, as a client feeding the store would), the
others read, each picking at random (seeded) among the front page, story pages, article
pages, the API's lists and search (HTML and API). Writers stop when their pages or the
budget run out, readers when the budget does; the run also ends at ``--time-limit``.

Before the timed run, one request of each read kind, of every story and article page,
and one post of a stored page (the writer process answers it once its models are
loaded) warm the server; that time is reported apart. So the run measures a server in
its steady state — a story page's first view builds its account from every member's
annotations, which a long-running server has done before — and the cold start is the
warm-up time. Reported: p50/p95/p99/max of reads (all, and per
kind), of writes, how many reads ran while a write was in flight, the error count (a
read not 200, a write not 200/201, a timeout or a dropped connection) with the first
few, the wall time, and the machine's one-minute load average before and after (the
machine is shared: 2 cores, other jobs' load slows every figure). Only loopback traffic.
Run: ``python bench/load_bench.py`` (writes ``bench/results/load.json``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from ingest_bench import REPO, SHARED, report
from web_bench import _free_port, _percentile

from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store
from storyline.web import create_app

DEV_PAGES = sorted((SHARED / "corpus" / "dev" / "articles").glob("*.txt"))
TOKEN = "load-bench-token"
CONNECTIONS = 20
SEARCHES = ["Пригожин", "Зеленський", "НАТО", "Путин", "Вагнер", "Україна", "Kyiv", "мобилизация"]
READ_WEIGHTS = {
    "front": 15,
    "story": 25,
    "article": 10,
    "api_list": 25,
    "search": 15,
    "api_search": 10,
}
"""What readers ask for, in proportion (story pages are the costly ones)."""


def app() -> FastAPI:
    """The served app, for ``uvicorn --factory``: settings from the environment."""
    return create_app(Settings.from_env())


@dataclass
class Run:
    """What the connections share: the request budget, the timings, the errors."""

    budget: int
    deadline: float
    reads: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    writes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    writing: int = 0
    reads_during_writes: int = 0

    def take(self) -> bool:
        """One request from the budget, if any is left and time remains."""
        if self.budget <= 0 or time.monotonic() > self.deadline:
            return False
        self.budget -= 1
        return True


@dataclass(frozen=True)
class Targets:
    """Ids read off the store before the run, so readers ask for pages that exist."""

    stories: list[str]
    articles: list[str]


def _read_path(kind: str, rng: random.Random, targets: Targets) -> str:
    if kind == "front":
        return rng.choice(["/", "/?offset=20", "/?language=uk", "/?language=ru"])
    if kind == "story":
        return f"/stories/{rng.choice(targets.stories)}"
    if kind == "article":
        return f"/articles/{rng.choice(targets.articles)}"
    if kind == "api_list":
        what = rng.choice(["stories", "articles", "entities", "quotes"])
        return f"/api/v1/{what}?limit=20&offset={rng.choice([0, 0, 20])}"
    query = rng.choice(SEARCHES)
    return f"/search?q={query}" if kind == "search" else f"/api/v1/search?q={query}"


async def _request(
    client: httpx.AsyncClient, method: str, path: str, body: bytes | None = None
) -> tuple[float, str | None]:
    """Seconds taken and the error (None when the answer is what the bench expects)."""
    start = time.perf_counter()
    try:
        if method == "POST":
            headers = {"Authorization": f"Bearer {TOKEN}"}
            response = await client.post(path, content=body, headers=headers)
        else:
            response = await client.get(path)
    except httpx.HTTPError as exc:
        return time.perf_counter() - start, f"{method} {path}: {type(exc).__name__}"
    took = time.perf_counter() - start
    ok = response.status_code in ((200, 201) if method == "POST" else (200,))
    return took, None if ok else f"{method} {path}: HTTP {response.status_code}"


async def _reader(client: httpx.AsyncClient, run: Run, targets: Targets, seed: int) -> None:
    rng = random.Random(seed)
    kinds, weights = list(READ_WEIGHTS), list(READ_WEIGHTS.values())
    while run.take():
        kind = rng.choices(kinds, weights)[0]
        during = run.writing > 0
        took, error = await _request(client, "GET", _read_path(kind, rng, targets))
        run.reads[kind].append(took)
        run.reads_during_writes += during
        if error:
            run.errors.append(error)


async def _writer(client: httpx.AsyncClient, run: Run, pages: list[Path]) -> None:
    while pages and run.take():
        page = pages.pop(0)
        run.writing += 1
        try:
            took, error = await _request(client, "POST", "/api/v1/articles", page.read_bytes())
        finally:
            run.writing -= 1
        run.writes.append(took)
        if error:
            run.errors.append(error)


def _figures(times: list[float]) -> dict[str, Any]:
    if not times:
        return {"requests": 0}
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(_percentile(times, 0.95) * 1000, 1),
        "p99_ms": round(_percentile(times, 0.99) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


async def _load(base: str, args: argparse.Namespace, targets: Targets) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    timeout = httpx.Timeout(args.request_timeout)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        warm_start = time.perf_counter()
        paths = [_read_path(kind, random.Random(0), targets) for kind in READ_WEIGHTS]
        paths += [f"/stories/{s}" for s in targets.stories]
        paths += [f"/articles/{a}" for a in targets.articles]
        for path in paths:
            response = await client.get(path)
            response.raise_for_status()
        _, error = await _request(client, "POST", "/api/v1/articles", DEV_PAGES[0].read_bytes())
        if error:  # a stored page: the writer answers "already known" once it is up
            raise RuntimeError(f"warm-up post failed: {error}")
        warm_up = time.perf_counter() - warm_start
        run = Run(args.requests, time.monotonic() + args.time_limit)
        pages = DEV_PAGES[args.store_pages :]
        started = time.perf_counter()
        tasks = [_writer(client, run, pages) for _ in range(args.writers)]
        tasks += [_reader(client, run, targets, n) for n in range(CONNECTIONS - args.writers)]
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
    every_read = [t for times in run.reads.values() for t in times]
    return {
        "warm_up_s": round(warm_up, 2),
        "wall_s": round(wall, 1),
        "requests": len(every_read) + len(run.writes),
        "reads": _figures(every_read),
        "reads_by_kind": {kind: _figures(run.reads[kind]) for kind in READ_WEIGHTS},
        "reads_while_a_write_ran": run.reads_during_writes,
        "writes": _figures(run.writes),
        "errors": len(run.errors),
        "first_errors": run.errors[:10],
        "budget_left": run.budget,
    }


def _build_store(url: str, pages: list[Path]) -> Targets:
    with tempfile.TemporaryDirectory() as folder:
        for page in pages:
            (Path(folder) / page.name).write_bytes(page.read_bytes())
        with Store.open(url) as store:
            ingest([folder], store, Settings.from_env(db_url=url))
            stories = [s.id for s in store.stories(limit=1000)]
            articles = [a.id for a in store.articles(limit=1000)]
    return Targets(stories, articles)


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    """uvicorn in its own process (the bench's client must not share the server's GIL)."""
    env = {**os.environ, "STORYLINE_DB": url, "STORYLINE_API_TOKEN": TOKEN}
    command = [sys.executable, "-m", "uvicorn", "--factory", "load_bench:app"]
    command += ["--app-dir", str(REPO / "bench"), "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-level", "warning"]
    return subprocess.Popen(command, env=env)


def _wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            httpx.get(f"{base}/api/v1/stories?limit=1", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise TimeoutError(f"the server did not answer on {base} within {seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--store-pages", type=int, default=64)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=900.0, help="seconds")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="seconds")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "load.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storyline-load-") as work:
        load_before = os.getloadavg()
        url = f"sqlite:///{Path(work) / 'load.db'}"
        build_start = time.perf_counter()
        targets = _build_store(url, DEV_PAGES[: args.store_pages])
        build_s = time.perf_counter() - build_start
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(url, port)
        try:
            _wait_until_up(base, server)
            figures = asyncio.run(_load(base, args, targets))
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(
        "load",
        args.store_pages,
        args.out,
        what=(
            f"{CONNECTIONS} connections to real uvicorn on loopback, {args.writers} posting "
            "dev pages, the others reading (front, story, article pages, API lists, search)"
        ),
        store_build_s=round(build_s, 1),
        stories=len(targets.stories),
        load_average_before_and_after=[round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        **figures,
    )


if __name__ == "__main__":
    main()
