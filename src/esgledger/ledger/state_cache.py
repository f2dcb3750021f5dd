"""Results kept per ledger state (see :mod:`esgledger.ledger.state`), computed once.

A key holds the state stamp and whatever else the result depends on, so a write makes
every old key unreachable and the least recently used entries fall out. Concurrent readers
asking for the same missing key wait for one computation instead of each redoing it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class StateCache(Generic[T]):
    """A bounded LRU cache with one computation per missing key."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for ``key``, else ``compute()``'s (kept unless it raised)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            flight = self._computing.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            try:
                value = compute()
                with self._lock:
                    self._entries[key] = value
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
                return value
            finally:
                with self._lock:
                    self._computing.pop(key, None)

    def peek(self, key: Hashable) -> T | None:
        """The value kept for ``key``, or None; never computes nor waits for a computation."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def newest(self, wanted: Callable[[Hashable], bool]) -> T | None:
        """The most recently used value whose key is ``wanted`` (a base to update from)."""
        with self._lock:
            return next((v for k, v in reversed(self._entries.items()) if wanted(k)), None)

    def drop(self, stale: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key is ``stale`` (e.g. of a superseded state)."""
        with self._lock:
            for key in [k for k in self._entries if stale(k)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._computing.clear()
