"""Has anything been committed to a PostgreSQL workspace since a read arrived? One statement.

PostgreSQL has no counter like SQLite's ``PRAGMA data_version``: :class:`PostgresWatch`
reads the state stamp itself (:func:`esgledger.ledger.state.stamp_query`), on connections
of its own outside the app's pool, in autocommit, so every question sees the newest commit.

A caller waits for the first question *sent after it called* (a question already on its way
may have been answered before a commit the caller must see), and every caller waiting then
shares that question. How long a read waits is how soon that question is sent and its
answer handed over, so both happen at the socket, not in a task:

- a question goes out the moment a caller asks, on an idle connection of the watch's
  :data:`LINKS`; when every one is busy it goes out the moment one answers, from the
  callback that read the answer;
- the answer is read by a reader callback on the connection's socket, which hands it to the
  waiting callers there and then.

On one connection asked through psycopg's asynchronous cursor (the way before) a caller
arriving while a question was out waited for it to end, for the asking task to be resumed,
for the next caller to be woken to ask again and for that answer's task in turn: each of
those a turn of a busy event loop (``bench/api_tail.py``, "PostgreSQL's freshness
question at the socket").

The statement is prepared on each connection with its first question (``PREPARE`` and
``EXECUTE`` sent together) and every later question runs that plan: sent as text, the
server parsed and planned its four subqueries each time (about 1.1 ms of planning against
0.18 of running, and 0.20–0.26 ms of the server's CPU a question against 0.05–0.08
prepared; ``tests/api/test_replay_question_prepared.py``). A server that lost the statement
(a pooler handing each statement to any of its connections) is asked as text from then on.

A failed, lost or slow question answers None ("cannot tell": the caller takes the usual
path) and its connection is dropped; the next question connects afresh.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy import make_url
from sqlalchemy.dialects import postgresql

from esgledger.ledger.state import stamp_query

QUESTION_SECONDS = 10  # a server that does not answer the stamp by then: the usual path
LINKS = 2  # connections: a caller arriving while one question is out sends on the other
PREPARED = b"esg_stamp"  # the stamp statement's name on each of the watch's connections
MISSING_STATEMENT = b"26000"  # "prepared statement does not exist": answer as text from then on


@dataclass(eq=False)
class _Link:
    """One connection of the watch, and the callers waiting for the question out on it."""

    conn: psycopg.AsyncConnection[Any]
    fd: int
    waiters: list[asyncio.Future[Any]] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None
    value: Any = None
    sent_at: float = 0.0
    prepared: bool = False  # the stamp statement is prepared on this connection

    @property
    def pg(self) -> pq.abc.PGconn:
        return self.conn.pgconn


class PostgresWatch:
    """The state stamp of a PostgreSQL workspace: it changes with every write (each leaves
    an audit event), so an unchanged stamp is an unchanged ledger (see the module)."""

    def __init__(self, url: str, links: int = LINKS):
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
        compiled = stamp_query().compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        self.sql = str(compiled)
        self.links = max(1, links)
        self.prepare = True  # False: every question sent as text, parsed and planned anew
        self.sent = 0  # statements sent: what the tests and bench/api_tail.py count
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop the connections are in
        self._idle: list[_Link] = []
        self._busy: list[_Link] = []
        self._connecting = 0
        self._waiting: list[asyncio.Future[Any]] = []  # callers no question was sent for yet
        self._tasks: set[asyncio.Task[None]] = set()

    async def version(self) -> Any:
        """The stamp read by a question sent after this call began, or None when the
        server cannot be asked in time."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self.close()
            self._loop = loop
        waiter: asyncio.Future[Any] = loop.create_future()
        self._waiting.append(waiter)
        self._dispatch()
        # bounded without a timer per caller: a question's own timer, and the connection's
        # connect_timeout, answer None in time
        return await waiter

    def backends(self) -> list[int]:
        """The server process ids of the watch's connections (to see them on the server)."""
        return [link.pg.backend_pid for link in (*self._idle, *self._busy)]

    def close(self) -> None:
        """Drop every connection (closed at the socket: no event loop needed); callers
        still waiting are told "cannot tell"."""
        for link in (*self._idle, *self._busy):
            self._drop(link)
            _answer(link.waiters, None)  # a question out: its callers are told too
            link.waiters = []
        self._idle, self._busy = [], []
        _answer(self._waiting, None)
        self._waiting, self._loop = [], None

    def _dispatch(self) -> None:
        """Send the waiting callers' question on an idle connection, or connect one more."""
        while self._waiting and self._idle and len(self._busy) < self.links:
            link = self._idle.pop()
            waiters, self._waiting = self._waiting, []
            self._send(link, waiters)
        if self._waiting and len(self._busy) + self._connecting < self.links:
            assert self._loop is not None
            self._connecting += 1
            task = self._loop.create_task(self._connect())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _connect(self) -> None:
        loop = self._loop
        try:
            conn = await psycopg.AsyncConnection.connect(
                self.conninfo, autocommit=True, connect_timeout=QUESTION_SECONDS
            )
        except (psycopg.Error, OSError):
            conn = None
        self._connecting -= 1
        if loop is not self._loop:  # closed meanwhile: not ours any more
            if conn is not None:
                conn.pgconn.finish()
            return
        if conn is None:
            if not self._busy and not self._connecting:  # nobody else will answer them
                _answer(self._waiting, None)
                self._waiting = []
            return
        conn.pgconn.nonblocking = 1
        self._idle.append(_Link(conn, conn.pgconn.socket))
        self._dispatch()

    def _send(self, link: _Link, waiters: list[asyncio.Future[Any]]) -> None:
        assert self._loop is not None
        link.waiters, link.value, link.sent_at = waiters, None, time.monotonic()
        self._busy.append(link)
        try:
            if link.pg.status != pq.ConnStatus.OK:
                raise psycopg.OperationalError("the watch's connection is closed")
            if not self.prepare:  # as text (what bench/api_tail.py's ``:text`` compares)
                link.pg.send_query(self.sql.encode())
            elif link.prepared:
                link.pg.send_query_prepared(PREPARED, None)
            else:  # the first question prepares the statement for the later ones
                name = PREPARED.decode()
                link.pg.send_query(f"PREPARE {name} AS {self.sql}; EXECUTE {name}".encode())
                link.prepared = True
            self.sent += 1
            if link.pg.flush():  # the socket's buffer is full (a few hundred bytes: rare)
                self._loop.add_writer(link.fd, self._writable, link)
            self._loop.add_reader(link.fd, self._readable, link)
        except (psycopg.Error, OSError):
            self._fail(link)
            return
        link.timer = self._loop.call_later(QUESTION_SECONDS, self._fail, link)

    def _writable(self, link: _Link) -> None:
        try:
            if link.pg.flush() == 0 and self._loop is not None:
                self._loop.remove_writer(link.fd)
        except (psycopg.Error, OSError):
            self._fail(link)

    def _readable(self, link: _Link) -> None:
        """The answer's bytes arrived: read them; once whole, hand the stamp to the waiting
        callers here (no task to resume) and send the next question if anyone waits."""
        pg = link.pg
        try:
            pg.consume_input()
            while not pg.is_busy():
                result = pg.get_result()
                if result is None:  # the question's results are all in
                    self._answered(link)
                    return
                if result.status == pq.ExecStatus.COMMAND_OK:  # PREPARE's, before the answer
                    continue
                if result.error_field(pq.DiagnosticField.SQLSTATE) == MISSING_STATEMENT:
                    self.prepare = False  # a pooler between: the next connection may lack it
                if result.status != pq.ExecStatus.TUPLES_OK or result.ntuples != 1:
                    raise psycopg.OperationalError("the stamp's question failed")
                link.value = tuple(result.get_value(0, i) for i in range(result.nfields))
        except (psycopg.Error, OSError):
            self._fail(link)

    def _answered(self, link: _Link) -> None:
        self._release(link)
        _answer(link.waiters, link.value)
        link.waiters = []
        self._idle.append(link)
        self._dispatch()

    def _fail(self, link: _Link) -> None:
        """The question on ``link`` cannot be answered: its callers are told "cannot
        tell" and the connection goes."""
        if link not in self._busy:
            return
        self._release(link)
        self._drop(link)
        for idle in self._idle:  # most likely lost with it (a restarted server): go too
            self._drop(idle)
        self._idle = []
        _answer(link.waiters, None)
        link.waiters = []
        self._dispatch()

    def _release(self, link: _Link) -> None:
        self._busy.remove(link)
        if link.timer is not None:
            link.timer.cancel()
            link.timer = None
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(link.fd)
            self._loop.remove_writer(link.fd)

    def _drop(self, link: _Link) -> None:
        if link in self._busy:
            self._release(link)
        if not link.conn.closed:
            link.pg.finish()


def _answer(waiters: list[asyncio.Future[Any]], value: Any) -> None:
    for waiter in waiters:
        # a caller that gave up has a cancelled future; one of a closed loop waits no more
        if not waiter.done() and not waiter.get_loop().is_closed():
            waiter.set_result(value)
