"""Issue #14, PostgreSQL's read-only tail: a kept read waits for the freshness question
(the state stamp, :class:`~esgledger.ledger.pg_watch.PostgresWatch`) sent after it arrived.
On one connection, a read arriving while a question was out waited for that question to
end before its own could be sent: up to two questions and the event loop's turns between
them. Now its question goes out at once on the watch's other connection. Seen on the server
itself: two questions out together, each blocked on a table lock held for the test."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import psycopg
import pytest

from esgledger.ledger.change_watch import PostgresWatch
from esgledger.ledger.db import Database


def _plain(db: Database) -> str:
    return PostgresWatch(db.url).conninfo


def _blocked(conninfo: str) -> int:
    """Questions of a watch (the stamp reads ``audit_events``) waiting for a lock now."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND query LIKE %s AND pid <> pg_backend_pid()",
            ("%audit_events%",),
        ).fetchone()
    return int(row[0]) if row else 0


async def _until(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        await asyncio.sleep(0.05)
    return check()


def test_a_read_arriving_while_a_question_is_out_sends_its_own_at_once(pg_db: Database) -> None:
    conninfo = _plain(pg_db)
    watch = PostgresWatch(pg_db.url)

    async def go() -> tuple[object, object, object, bool, bool]:
        fresh = await watch.version()  # connected; the stamp of the empty ledger
        with psycopg.connect(conninfo) as locker:  # a transaction holding the lock
            locker.execute("LOCK TABLE kpi_values IN ACCESS EXCLUSIVE MODE")
            first = asyncio.create_task(watch.version())
            one_out = await _until(lambda: _blocked(conninfo) == 1)
            second = asyncio.create_task(watch.version())  # arrives while the first is out
            both_out = await _until(lambda: _blocked(conninfo) == 2)
            locker.rollback()
        return fresh, await first, await second, one_out, both_out

    try:
        fresh, a, b, one_out, both_out = asyncio.run(go())
    finally:
        watch.close()
    assert one_out
    assert both_out, "the second read's question waited for the first's"
    assert fresh is not None and a == b == fresh


def test_a_question_unanswered_in_time_answers_none_and_the_next_connects_afresh(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from esgledger.ledger import pg_watch

    monkeypatch.setattr(pg_watch, "QUESTION_SECONDS", 0.5)
    conninfo = _plain(pg_db)
    watch = PostgresWatch(pg_db.url, links=1)

    async def go() -> tuple[object, object, list[int], list[int]]:
        await watch.version()
        before = watch.backends()
        with psycopg.connect(conninfo) as locker:
            locker.execute("LOCK TABLE kpi_values IN ACCESS EXCLUSIVE MODE")
            late = await watch.version()  # blocked past the limit: "cannot tell"
            locker.rollback()
        again = await watch.version()
        return late, again, before, watch.backends()

    try:
        late, again, before, after = asyncio.run(go())
    finally:
        watch.close()
    assert late is None
    assert again is not None
    assert len(before) == len(after) == 1 and before != after  # the stuck one was dropped


def test_many_reads_together_share_one_question(pg_db: Database) -> None:
    watch = PostgresWatch(pg_db.url)

    async def go() -> list[object]:
        await watch.version()
        sent = watch.sent
        got = await asyncio.gather(*(watch.version() for _ in range(40)))
        return [watch.sent - sent, *got]

    try:
        sent, *got = asyncio.run(go())
    finally:
        watch.close()
    assert 1 <= sent <= 3, sent  # one per idle connection, then one for all that wait
    assert len(set(got)) == 1 and got[0] is not None


def test_closing_the_watch_answers_the_reads_waiting_for_a_question_out(pg_db: Database) -> None:
    """At shutdown a read waiting for a question on its way is told "cannot tell" (it takes
    the usual path), never left waiting."""
    conninfo = _plain(pg_db)
    watch = PostgresWatch(pg_db.url)

    async def go() -> tuple[bool, object]:
        await watch.version()
        with psycopg.connect(conninfo) as locker:
            locker.execute("LOCK TABLE kpi_values IN ACCESS EXCLUSIVE MODE")
            waiting = asyncio.create_task(watch.version())
            out = await _until(lambda: _blocked(conninfo) == 1)
            watch.close()
            answer = await asyncio.wait_for(waiting, 5)
            locker.rollback()
        return out, answer

    out, answer = asyncio.run(go())
    assert out and answer is None
