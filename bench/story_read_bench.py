"""Reading a big story cold: story page, timeline API, ``storyline timeline``, export.

The story: the 60 train pages of one storyline prefix (``AS``: six stories of the
corpus's A period, ten pages each), ingested into a fresh SQLite store and merged into
one story by hand (``merge_stories``), so the account has 60 real members.

Measured, each on a fresh process with an empty cache (a story's account is read from
the row the ingest stored when it changed the story; nothing is merged or annotated
when read):

* **story page / timeline API, cold**: ``--trials`` times, a new ``storyline serve``
  process is started and left to finish starting (idle), and the first request of
  the page (or of the API) is timed;
  p50/p95/max over the trials, and the server's CPU time for that request (from
  ``/proc``); then ``--warm`` more requests on the same server, for comparison;
* **``storyline timeline``**: wall and CPU time of the command, against the CLI's
  own start-up (``storyline timeline --help``: the same imports, no store);
* **export**: ``storyline export`` of the dev + train corpora against their ingest
  (one worker), wall and CPU time each;
* **accounts at ingest**: what storing the accounts adds to an ingest: CPU time of
  merging and saving the account of the 60-page story, and of every story of the
  dev + train store (:func:`storyline.assemble.timeline.save_accounts`, in this
  process after one warm-up story, as the ingest's writer runs it at a batch's end).

The machine's load average is printed beside each figure (it is shared).
Run: ``python bench/story_read_bench.py [--trials 20]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TRAIN = SHARED / "corpus" / "train"
DEV = SHARED / "corpus" / "dev"
CLI = str(Path(sys.executable).with_name("storyline"))
TICKS = os.sysconf("SC_CLK_TCK")


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(_percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
    }


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(db: str) -> dict[str, str]:
    return {**os.environ, "STORYLINE_DB": db}


def _run(args: list[str], db: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of one CLI run (CPU: the child's own, from rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=_env(db), capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def build_story(work: Path, prefix: str) -> tuple[str, str, int]:
    """A store holding the train pages of the storyline ``prefix``, merged into one story."""
    pages = work / "pages"
    pages.mkdir()
    for line in (TRAIN / "manifest.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        if row["story"].startswith(prefix):
            name = f"{row['id']}.txt"
            shutil.copy(TRAIN / "articles" / name, pages / name)
    db = f"sqlite:///{work / 'story.db'}"
    _run([CLI, "ingest", str(pages)], db)
    from storyline.store import Store

    with Store.open(db) as store:
        stories = store.stories(limit=1000)
        target = stories[0].id
        for story in stories[1:]:
            store.merge_stories(target, story.id)
    _run([CLI, "ingest", str(pages)], db)  # finishes the merged story: dates, surface
    with Store.open(db) as store:
        size = len(store.story_article_ids(target))
    return db, target, size


def _serve(db: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(
        [CLI, "serve", "--port", str(port)],
        env=_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/stories?limit=1", timeout=5).status_code < 500:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def _settle(pid: int, limit: float = 60.0) -> None:
    """Wait until the new server is idle (under 10 ms of CPU in half a second): right
    after it answers, its start-up's tail (threads of the models it loaded) still runs,
    and a reader's first request is not what it pays for."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = _cpu_seconds(pid)
        time.sleep(0.5)
        if _cpu_seconds(pid) - before < 0.01:
            return


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def cold_requests(db: str, path: str, trials: int, warm: int) -> dict[str, Any]:
    """The first request of ``path`` on ``trials`` fresh servers; ``warm`` more on the last."""
    firsts: list[float] = []
    cpus: list[float] = []
    loads: list[float] = []
    warm_times: list[float] = []
    for trial in range(trials):
        server, base = _serve(db)
        _settle(server.pid)
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                loads.append(_load())
                cpu0 = _cpu_seconds(server.pid)
                start = time.perf_counter()
                client.get(path).raise_for_status()
                firsts.append((time.perf_counter() - start) * 1000)
                cpus.append((_cpu_seconds(server.pid) - cpu0) * 1000)
                if trial == trials - 1:
                    for _ in range(warm):
                        start = time.perf_counter()
                        client.get(path).raise_for_status()
                        warm_times.append((time.perf_counter() - start) * 1000)
        finally:
            _stop(server)
    return {
        "path": path,
        "cold_trials": trials,
        "cold": _summary(firsts),
        "cold_server_cpu": _summary(cpus),
        "load_average_1min": {"min": min(loads), "max": max(loads)},
        "warm": _summary(warm_times) if warm_times else None,
    }


def cli_timeline(db: str, story: str, runs: int) -> dict[str, Any]:
    """``storyline timeline`` against the CLI's start-up (median of ``runs`` each)."""
    startup = [_run([CLI, "timeline", "--help"], db)[:2] for _ in range(runs)]
    loads = [_load()]
    timeline = [_run([CLI, "timeline", story], db)[:2] for _ in range(runs)]
    loads.append(_load())
    start_wall = statistics.median(w for w, _ in startup)
    start_cpu = statistics.median(c for _, c in startup)
    cmd_wall = statistics.median(w for w, _ in timeline)
    cmd_cpu = statistics.median(c for _, c in timeline)
    return {
        "runs": runs,
        "startup_wall_s": round(start_wall, 3),
        "startup_cpu_s": round(start_cpu, 3),
        "timeline_wall_s": round(cmd_wall, 3),
        "timeline_cpu_s": round(cmd_cpu, 3),
        "over_startup_wall_s": round(cmd_wall - start_wall, 3),
        "over_startup_cpu_s": round(cmd_cpu - start_cpu, 3),
        "load_average_1min": loads,
    }


def account_cost(db: str, story_ids: list[str] | None = None) -> dict[str, Any]:
    """CPU time of storing the accounts of ``story_ids`` (default: every live story)
    again, one call each, as the end of an ingest does for the stories it changed; after
    one untimed call (it loads what any account needs once per process: the outlet
    registry, statement caches). Each call also runs the batch's two bookkeeping
    queries (marking, dropping merged stories' rows), so this overstates a little."""
    from storyline.assemble.timeline import save_accounts
    from storyline.store import Store

    with Store.open(db) as store:
        ids = story_ids or [s.id for s in store.stories(limit=100_000)]
        save_accounts(store, ids[:1])
        load0 = _load()
        times = []
        for story_id in ids:
            start = time.process_time()
            save_accounts(store, [story_id])
            times.append((time.process_time() - start) * 1000)
        sizes = [len(store.story_article_ids(s)) for s in ids]
    return {
        "stories": len(ids),
        "articles": sum(sizes),
        "cpu_ms_total": round(sum(times), 1),
        "cpu_ms_per_story": _summary(times),
        "load_average_1min": [load0, _load()],
    }


def export_vs_ingest(work: Path) -> dict[str, Any]:
    db = f"sqlite:///{work / 'corpora.db'}"
    load0 = _load()
    ingest_wall, ingest_cpu, _ = _run(
        [CLI, "ingest", str(DEV / "articles"), str(TRAIN / "articles")], db
    )
    load1 = _load()
    out = work / "export.jsonl"
    export_wall, export_cpu, _ = _run([CLI, "export", "--out", str(out)], db)
    load2 = _load()
    accounts = account_cost(db)
    return {
        "accounts_at_ingest": accounts,
        "pages": len(list((DEV / "articles").glob("*.txt")))
        + len(list((TRAIN / "articles").glob("*.txt"))),
        "ingest_wall_s": round(ingest_wall, 2),
        "ingest_cpu_s": round(ingest_cpu, 2),
        "export_wall_s": round(export_wall, 2),
        "export_cpu_s": round(export_cpu, 2),
        "load_average_1min": [load0, load1, load2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", default="AS")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--warm", type=int, default=50)
    parser.add_argument("--cli-runs", type=int, default=5)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "story_read.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storyline-read-") as tmp:
        work = Path(tmp)
        db, story, size = build_story(work, args.prefix)
        result: dict[str, Any] = {
            "benchmark": "reading a big story cold",
            "story": f"train pages of storylines {args.prefix}*, merged into one story",
            "story_size": size,
            "story_page": cold_requests(db, f"/stories/{story}", args.trials, args.warm),
            "timeline_api": cold_requests(
                db, f"/api/v1/stories/{story}/timeline", args.trials, args.warm
            ),
            "cli_timeline": cli_timeline(db, story, args.cli_runs),
            "account_at_ingest": account_cost(db, [story]),
        }
        if not args.skip_export:
            result["export_vs_ingest"] = export_vs_ingest(work)
    result["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
