"""One writer at a time per SQLite file within a process, waiting without a connection.

SQLite lets one transaction write at a time. Left alone, every writing request of a server
takes a pooled connection and then waits in ``BEGIN IMMEDIATE`` (polling once a second) for
the writer ahead of it: under load the waiting writers hold the pool's connections, readers
queue behind them, and a waiter notices the lock is free up to a second late. Here writers
of one process queue on a lock first, holding nothing, and are woken the moment the writer
ahead finishes; ``BEGIN IMMEDIATE`` then only arbitrates between processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_turns: dict[str, threading.RLock] = {}
_registry = threading.Lock()


def _turn_of(path: Path) -> threading.RLock:
    key = str(path.resolve())
    with _registry:
        return _turns.setdefault(key, threading.RLock())


@contextmanager
def writer_turn(
    path: Path,
    wait: float,
    report: Callable[[float, float], None],
    too_long: Callable[[], Exception],
) -> Iterator[None]:
    """Hold the write turn for ``path``: wait up to ``wait`` seconds (telling ``report`` once
    a second how long so far), else raise ``too_long()``. Re-entrant within a thread, so a
    nested write behaves as before (it waits in ``BEGIN IMMEDIATE``)."""
    turn = _turn_of(path)
    start = time.monotonic()
    while not turn.acquire(timeout=max(0.0, min(1.0, wait - (time.monotonic() - start)))):
        waited = time.monotonic() - start
        if waited >= wait:
            raise too_long()
        report(waited, wait)
    try:
        yield
    finally:
        turn.release()
