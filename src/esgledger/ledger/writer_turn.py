"""One writer at a time per SQLite file, across threads and processes, waiting without a
connection.

SQLite lets one transaction write at a time. Left alone, every writing request of a server
takes a pooled connection and then waits in ``BEGIN IMMEDIATE`` (polling once a second) for
the writer ahead of it: under load the waiting writers hold the pool's connections, readers
queue behind them, and a waiter notices the lock is free up to a second late. Here writers
of one process queue on a lock first, holding nothing, and are woken the moment the writer
ahead finishes. The one writer of each process at the head of that queue then takes an
exclusive ``flock`` on a file beside the database (:func:`turn_file`), so the writers of
several processes (``esg serve --workers 2``, a command beside the server) take turns too,
still before any connection is taken; the kernel drops the lock of a process that dies.
``BEGIN IMMEDIATE`` then only arbitrates with writers that do not take turns (older
versions, other tools).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

FIRST_POLL_S, LAST_POLL_S = 0.0005, 0.005  # a waiting process retries the file this often


@dataclass
class _Turn:
    """The turn of one database in this process: the thread holding it, how deeply, and the
    open lock file (opened again after a fork: a forked child must not share the parent's)."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    fd: int | None = None
    pid: int = 0


_turns: dict[str, _Turn] = {}
_registry = threading.Lock()


def turn_file(path: Path) -> Path:
    """The file whose ``flock`` is the write turn of the SQLite database at ``path``."""
    return Path(f"{path}.writer-lock")


def _turn_of(path: Path) -> _Turn:
    key = str(path.resolve())
    with _registry:
        return _turns.setdefault(key, _Turn())


@contextmanager
def writer_turn(
    path: Path,
    wait: float,
    report: Callable[[float, float], None],
    too_long: Callable[[], Exception],
) -> Iterator[None]:
    """Hold the write turn for ``path``: wait up to ``wait`` seconds in all (telling
    ``report`` once a second how long so far), else raise ``too_long()``. Re-entrant within
    a thread, so a nested write behaves as before (it waits in ``BEGIN IMMEDIATE``)."""
    turn = _turn_of(path)
    start = time.monotonic()
    reported = 0

    def waited_or_give_up() -> float:
        nonlocal reported
        waited = time.monotonic() - start
        if waited >= wait:
            raise too_long()
        if int(waited) > reported:
            reported = int(waited)
            report(waited, wait)
        return waited

    while not turn.lock.acquire(timeout=max(0.0, min(1.0, wait - (time.monotonic() - start)))):
        waited_or_give_up()
    try:
        if turn.depth == 0:
            _lock_file(turn, path, waited_or_give_up)
        turn.depth += 1
        try:
            yield
        finally:
            turn.depth -= 1
            if turn.depth == 0 and turn.fd is not None:
                fcntl.flock(turn.fd, fcntl.LOCK_UN)
    finally:
        turn.lock.release()


def _lock_file(turn: _Turn, path: Path, waited_or_give_up: Callable[[], float]) -> None:
    """Take the file lock for this process's writer, polling (briefly at first) while another
    process holds it; ``waited_or_give_up`` raises when the wait is over."""
    if turn.fd is None or turn.pid != os.getpid():
        turn.fd = os.open(turn_file(path), os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
        turn.pid = os.getpid()
    pause = FIRST_POLL_S
    while True:
        try:
            fcntl.flock(turn.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            waited_or_give_up()
            time.sleep(pause)
            pause = min(LAST_POLL_S, pause * 2)
