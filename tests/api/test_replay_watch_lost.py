"""Issue #14: the replay's freshness question on PostgreSQL runs in the event loop on a
connection of its own. A lost connection or an unreachable server must cost one read the
usual path (never a stale or failed answer), and the next question connects afresh."""

from __future__ import annotations

import asyncio
import socket
import time

import psycopg
import pytest

from esgledger.ledger.change_watch import PostgresWatch
from tests.api.conftest import YEAR, Api
from tests.api.test_read_statements import statements

pytestmark = pytest.mark.usefixtures("one_recheck_window")

KPIS = f"/kpis?year={YEAR}&years=2"


def test_an_unreachable_server_answers_none_at_once() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    watch = PostgresWatch(f"postgresql+psycopg://esg@127.0.0.1:{port}/nowhere")
    start = time.monotonic()
    assert asyncio.run(watch.version()) is None
    assert time.monotonic() - start < 5
    watch.close()


def test_a_lost_watch_connection_costs_one_usual_read(api: Api) -> None:
    full = api.call("mia", "GET", KPIS)
    assert api.call("mia", "GET", KPIS).content == full.content  # kept from now on
    watch = api.client.app.state.change_watch  # type: ignore[attr-defined]
    if isinstance(watch, PostgresWatch):
        pids = watch.backends()
        assert pids
        with psycopg.connect(watch.conninfo, autocommit=True) as conn:  # as an administrator
            for pid in pids:
                conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
    else:
        watch.close()  # SQLite: its private connection is opened again
    lost = api.call("mia", "GET", KPIS)  # the question fails: the usual path answers
    assert lost.status_code == 200 and lost.content == full.content
    with statements(api) as seen:
        again = api.call("mia", "GET", KPIS)  # a new connection: kept answers again
    assert again.status_code == 200 and again.content == full.content
    assert seen == []
