"""The LRU memo behind the story-account and article-anchor caches."""

from __future__ import annotations

import threading
import time

import pytest

from storyline.memo import Memo


def test_builds_once_per_key_and_drops_the_least_recently_used() -> None:
    built: list[str] = []
    memo: Memo[str, str] = Memo(2)

    def get(key: str) -> str:
        return memo.get(key, lambda: built.append(key) or key.upper())

    assert get("a") == "A" and get("b") == "B" and get("a") == "A"
    assert built == ["a", "b"]  # "a" came from memory
    get("c")  # full: "b" is the least recently used, not "a"
    get("a")
    get("b")
    assert built == ["a", "b", "c", "b"]


def test_readers_of_one_key_wait_for_one_build() -> None:
    """Twenty threads asking for one cold key cost one build, not twenty at once (under
    load, a cold story page was built by every reader that asked, all sharing the GIL)."""
    memo: Memo[str, str] = Memo(4)
    started, release = threading.Event(), threading.Event()
    builds: list[str] = []

    def build() -> str:
        builds.append("s")
        started.set()
        release.wait(5)
        return "account"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(memo.get("s", build))) for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    assert started.wait(5)
    time.sleep(0.2)  # every other thread has asked by now
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == ["account"] * 20 and builds == ["s"]


def test_a_failed_build_is_not_kept_and_the_next_reader_builds_again() -> None:
    memo: Memo[str, int] = Memo(2)

    def broken() -> int:
        raise RuntimeError("store unreachable")

    with pytest.raises(RuntimeError):
        memo.get("k", broken)
    assert memo.get("k", lambda: 7) == 7
