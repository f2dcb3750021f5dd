"""Issue #14, PostgreSQL's read-only tail: a kept read waits for the freshness question (the
state stamp, :class:`~esgledger.ledger.pg_watch.PostgresWatch`). Sent as text, the server
parsed and planned its four subqueries for every question: 1.1 ms of planning against
0.18 of running on ``bench/api.py``'s workspace, and 0.20–0.26 ms of the server process's
CPU a question against 0.045–0.078 prepared. The watch now prepares the statement once per
connection and each question runs that plan; seen on the server itself
(``pg_prepared_statements``, asked on the watch's own connection)."""

from __future__ import annotations

import asyncio

from esgledger.ledger.change_watch import PostgresWatch
from esgledger.ledger.db import Database


def test_every_question_runs_the_statement_prepared_once_per_connection(pg_db: Database) -> None:
    watch = PostgresWatch(pg_db.url, links=1)

    async def go() -> tuple[list[object], list[tuple[object, ...]]]:
        got = [await watch.version() for _ in range(6)]
        (link,) = watch._idle  # the one connection, idle between questions
        link.conn.pgconn.nonblocking = 0
        held = await link.conn.execute(
            "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements"
        )
        return got, list(await held.fetchall())

    try:
        got, prepared = asyncio.run(go())
    finally:
        watch.close()
    assert len(set(got)) == 1 and got[0] is not None
    assert [(watch.sql in statement, runs) for statement, runs in prepared] == [(True, 6)]
    assert watch.sent == 6


def test_a_connection_without_the_statement_answers_as_text_from_then_on(pg_db: Database) -> None:
    """Behind a pooler that hands each statement to any server connection, the statement
    prepared on one is missing on the next (``26000``): that question's reads are told
    "cannot tell" (the usual path) and the watch sends its questions as text from then on,
    instead of failing every other one."""
    watch = PostgresWatch(pg_db.url, links=1)

    async def go() -> tuple[object, object, object]:
        first = await watch.version()
        (link,) = watch._idle
        link.conn.pgconn.nonblocking = 0
        await link.conn.execute("DEALLOCATE ALL")  # as a pooler's next server connection
        link.conn.pgconn.nonblocking = 1
        lost = await watch.version()
        return first, lost, await watch.version()

    try:
        first, lost, again = asyncio.run(go())
    finally:
        watch.close()
    assert first is not None and lost is None and again == first
    assert watch.prepare is False
