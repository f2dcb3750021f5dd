"""Has anything been committed to a SQLite workspace since I last looked? Without a query.

``PRAGMA data_version`` on a connection changes whenever *another* connection (of this or
any process) has committed to the file; it reads the WAL index in shared memory, takes no
lock and costs microseconds. A watcher keeps one private connection that never writes, so
every commit anywhere (the server's own pooled writers included) moves its version. Readers
that keep an answer per ledger state (:mod:`esgledger.api.replay`) ask the watcher first: an
unchanged version means an unchanged ledger, so they need neither a session nor a query.

PostgreSQL has no such counter: :class:`~esgledger.ledger.pg_watch.PostgresWatch` reads the
state stamp itself, one statement shared by the reads waiting for it.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

from esgledger.ledger.pg_watch import PostgresWatch

__all__ = ["ChangeWatch", "PostgresWatch"]


class ChangeWatch:
    """The data version of one SQLite file, read on a private read-only connection."""

    def __init__(self, path: Path | None):
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def version(self) -> int | None:
        """A number that differs after any commit since the last call, or None when this
        workspace cannot tell (PostgreSQL, a file that cannot be opened now)."""
        if self.path is None:
            return None
        with self._lock:  # one connection, used by one thread at a time
            try:
                if self._conn is None:
                    uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
                    self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
                return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                self._close()
                return None

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
