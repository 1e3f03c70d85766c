"""Story page render time on the demo store: p50 and p95 over 100 requests.

Builds the demo store (the five pages in examples/) in a temporary SQLite file,
serves it with real uvicorn on a loopback port, and times 100 sequential GETs of
the biggest story's page with httpx (after 5 untimed warm-up requests), so the
figure includes HTTP, routing, the store queries and Jinja2 rendering — what a
reader waits for. The first request of the story page (the story's account merged from
its members' stored event mentions on a cold cache) is reported on its own. The article page of the
story's longest article, the API's story endpoint and its timeline are timed the same
way for comparison.
Run: ``make bench`` (or ``python bench/web_bench.py --out bench/results/web.json``).
"""

from __future__ import annotations

import argparse
import json
import platform
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store
from storyline.web import create_app

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
REQUESTS = 100
WARM_UP = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time(client: httpx.Client, path: str) -> dict[str, Any]:
    for _ in range(WARM_UP):
        client.get(path).raise_for_status()
    times: list[float] = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return {
        "path": path,
        "requests": REQUESTS,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "max_ms": round(max(times), 2),
        "bytes": len(response.content),
    }


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        settings = Settings.from_env(db_url=url)
        with Store.open(url) as store:
            ingest([str(EXAMPLES)], store, settings)
            story = store.stories(limit=1)[0]
            members = store.articles_by_id(store.story_article_ids(story.id))
            longest = max(members, key=lambda a: len(a.text))
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                start = time.perf_counter()
                client.get(f"/stories/{story.id}").raise_for_status()
                cold_ms = round((time.perf_counter() - start) * 1000, 2)
                page = _time(client, f"/stories/{story.id}")
                article = _time(client, f"/articles/{longest.id}")
                api = _time(client, f"/api/v1/stories/{story.id}")
                timeline = _time(client, f"/api/v1/stories/{story.id}/timeline")
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    return {
        "what": "story page of the demo store (5 articles), real uvicorn + httpx on loopback",
        "story_size": story.size,
        "story_page_first_request_ms": cold_ms,
        "story_page": page,
        "article_page": article,
        "story_api": api,
        "timeline_api": timeline,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "web.json")
    args = parser.parse_args()
    result = run()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
