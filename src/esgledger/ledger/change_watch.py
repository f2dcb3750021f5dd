"""Has anything been committed to a SQLite workspace since I last looked? Without a query.

``PRAGMA data_version`` on a connection changes whenever *another* connection (of this or
any process) has committed to the file; it reads the WAL index in shared memory, takes no
lock and costs microseconds. A watcher keeps one private connection that never writes, so
every commit anywhere (the server's own pooled writers included) moves its version. Readers
that keep an answer per ledger state (:mod:`esgledger.api.replay`) ask the watcher first: an
unchanged version means an unchanged ledger, so they need neither a session nor a query.

PostgreSQL has no such counter: :class:`PostgresWatch` reads the state stamp itself (one
statement, on an asynchronous connection of its own outside the app's pool, in autocommit
so it always sees the newest commit), in the event loop, one check at a time that answers
every request waiting for it (:meth:`esgledger.api.replay.Replay._version`).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import psycopg
from sqlalchemy import make_url
from sqlalchemy.dialects import postgresql

from esgledger.ledger.state import stamp_query

QUESTION_SECONDS = 10  # a server that does not answer the stamp by then: the usual path


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


class PostgresWatch:
    """The state stamp of a PostgreSQL workspace: it changes with every write (each leaves
    an audit event), so an unchanged stamp is an unchanged ledger.

    Asked in the event loop on an asynchronous connection of its own (autocommit, so every
    question sees the newest commit), one statement per question and nothing else: on a
    worker thread each question waited to hand the interpreter's lock back and forth with
    the loop serving the answers (a question's p99 56-62 ms at 50 connections, where its
    round trip is a fraction of a millisecond), and a ping before every statement doubled
    the round trips. A failed or slow question answers None (the usual path says why) and
    the connection is made afresh for the next one."""

    def __init__(self, url: str):
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
        compiled = stamp_query().compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        self._sql = str(compiled)
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop the connection is in

    async def version(self) -> Any:
        """The stamp now, or None when the server cannot be asked in time."""
        loop = asyncio.get_running_loop()
        try:
            with anyio.fail_after(QUESTION_SECONDS):
                if self._conn is None or self._loop is not loop or self._conn.closed:
                    self.close()
                    self._conn = await psycopg.AsyncConnection.connect(
                        self.conninfo, autocommit=True, connect_timeout=QUESTION_SECONDS
                    )
                    self._loop = loop
                cursor = await self._conn.execute(self._sql)
                return tuple(await cursor.fetchone() or ())
        except (psycopg.Error, OSError, TimeoutError):  # only "cannot tell"
            self.close()  # a question cut short leaves the connection unusable
            return None

    def close(self) -> None:
        """Drop the connection (closed at the socket: no event loop needed)."""
        if self._conn is not None:
            self._conn.pgconn.finish()
            self._conn, self._loop = None, None
