"""A small thread-safe LRU memo for values that are costly to rebuild and keyed by what
they are made of (a story's members, an article's id): the web process's threads share
it, and the least recently used entry goes first when it is full.

One build per key at a time: the others asking for that key wait for it. A cold story
page's account annotates every member; under load (the load bench: 18 readers), every
reader of the page used to build it at once, all sharing one GIL, and each waited for
all the builds — seconds — instead of for one."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Event, Lock
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._building: dict[K, Event] = {}
        self._lock = Lock()

    def get(self, key: K, build: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``build()`` kept for it. Built outside the lock,
        so readers of other keys never wait on it; readers of the same key wait for the
        one build under way. A build that raises is not kept: its waiters then try
        again, one of them building."""
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
                pending = self._building.get(key)
                if pending is None:
                    mine = self._building[key] = Event()
            if pending is not None:
                pending.wait()
                continue
            try:
                value = build()
            except BaseException:
                with self._lock:
                    del self._building[key]
                mine.set()
                raise
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                del self._building[key]
            mine.set()
            return value
