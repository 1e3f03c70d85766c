"""The LRU memo behind the story-account and article-anchor caches."""

from __future__ import annotations

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
