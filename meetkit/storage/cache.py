"""The read cache for hot answers, emptied only by changes that cached answers show."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import TypeVar

T = TypeVar("T")

READ_CACHE_SIZE = 50_000


class ReadCache:
    """Typed values by key, with a generation that every invalidation moves on.

    A value read from the database before an invalidation must not be stored after it: `get` remembers the
    generation of each miss, and `put` keeps a value only when no invalidation happened since that miss.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, object] = {}
        self._misses: dict[Hashable, int] = {}
        self._generation = 0
        self._lock = threading.Lock()  # invalidations may come from a listener thread

    def get(self, key: Hashable, kind: type[T]) -> T | None:
        """Return the value cached under `key` if it is a `kind`; None (and a remembered miss) otherwise."""
        value = self._values.get(key)
        if isinstance(value, kind):
            return value
        if len(self._misses) >= READ_CACHE_SIZE:
            self._misses.clear()
        self._misses[key] = self._generation
        return None

    def put(self, key: Hashable, value: object) -> None:
        """Keep `value` unless the cache was invalidated since the miss that led to reading it."""
        with self._lock:
            if self._misses.pop(key, None) != self._generation:
                return
            if len(self._values) >= READ_CACHE_SIZE:
                self._values.clear()
            self._values[key] = value

    def invalidate(self) -> None:
        """Forget every value; reads under way will not be stored."""
        with self._lock:
            self._generation += 1
            self._values.clear()
            self._misses.clear()
