"""A small thread-safe LRU memo for values that are costly to rebuild and keyed by what
they are made of (a story's members, an article's id): the web process's threads share
it, and the least recently used entry goes first when it is full."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K, build: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``build()`` kept for it. Built outside the lock:
        two threads may build the same value once, but no reader waits on a build."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
