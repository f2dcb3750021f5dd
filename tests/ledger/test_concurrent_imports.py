"""Issue #13.1: two truly concurrent imports of the same file on PostgreSQL (where writers do
not queue as on SQLite): exactly one is accepted, the other is refused with one line naming
the rows (exit 4, HTTP 409: the clash arose after its check), never a traceback, and nothing
is stored twice.

To make the race certain rather than likely, the test holds the audit chain's lock (the last
step of every import) while both imports run in their own processes; it lets go only once
both are waiting on PostgreSQL — one on that lock, the other on the first one's rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select

from esgledger.api.app import PREFIX
from esgledger.errors import Exit
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.models import ActivityRecord, KpiValue
from esgledger.server import create_app
from tests.api.conftest import problem, setup_users
from tests.factories import ACTIVITY_HEADER, entities_file, monthly_rows, write_csv
from tests.faults.conftest import Finished, start_esg

AUDIT_LOCK = 727001  # ledger/audit.py serialises appenders with this advisory lock
KPI_HEADER = ["entity", "year", "metric", "value", "unit", "restatement_reason"]


@pytest.fixture
def ws(pg_db: Database, tmp_path: Path) -> Database:
    import_entities(pg_db, entities_file(tmp_path), actor="test")
    return pg_db


def plain_url(db: Database) -> str:
    return db.url.replace("postgresql+psycopg://", "postgresql://")


@contextmanager
def audit_chain_held(db: Database) -> Iterator[psycopg.Connection]:
    with psycopg.connect(plain_url(db), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (AUDIT_LOCK,))
        try:
            yield conn
        finally:
            conn.execute("SELECT pg_advisory_unlock_all()")


def wait_until_waiting(conn: psycopg.Connection, writers: int, ended: Callable[[], bool]) -> None:
    """Until ``writers`` backends of this database wait for a lock (or a writer ends early)."""
    for _ in range(6000):  # a bound against hanging, not a time assertion
        if ended():
            return
        waiting = conn.execute(
            "SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE NOT l.granted AND a.datname = current_database()"
        ).fetchone()
        if waiting and waiting[0] >= writers:
            return
        time.sleep(0.05)
    pytest.fail(f"{writers} writers never waited on each other")


def wait_until_both_wait(conn: psycopg.Connection, ended: Callable[[], bool]) -> None:
    """Until two backends of this database wait for a lock (or an import ends early)."""
    wait_until_waiting(conn, 2, ended)


def race(db: Database, *args: str) -> list[Finished]:
    """Run ``esg ARGS --db …`` twice at once, each in a process of its own, both inside their
    transactions together. The processes are forked from the fault suite's warm server
    (tests/faults/conftest.py), not started as fresh interpreters: the same real processes,
    exit codes and stderr, without paying Python's start and the imports twice a test (#20)."""
    with audit_chain_held(db) as conn:
        procs = [start_esg(*args, db=db) for _ in range(2)]
        wait_until_both_wait(conn, lambda: any(not p.is_running() for p in procs))
    return sorted((p.finish() for p in procs), key=lambda r: r.returncode)


def race_threads(db: Database, call: Callable[[], Any]) -> list[Any]:
    """Run ``call`` twice at once in threads, both inside their transactions together."""
    pool = ThreadPoolExecutor(2)
    try:
        with audit_chain_held(db) as conn:
            calls = [pool.submit(call) for _ in range(2)]
            wait_until_both_wait(conn, lambda: any(c.done() for c in calls))
        return sorted((c.result() for c in calls), key=lambda r: r.status_code)
    finally:
        pool.shutdown()


def count(db: Database, table: type[ActivityRecord] | type[KpiValue]) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def assert_one_line_errors(result: Finished, code: int = Exit.BAD_INPUT) -> list[str]:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    return lines


def test_issue13_1_concurrent_imports_of_one_activity_file_store_it_once(
    ws: Database, tmp_path: Path
) -> None:
    rows = [r for e in ("SZ1", "WH1") for r in monthly_rows(e, "fuel.diesel", "t", 2024, 10)]
    path = write_csv(tmp_path / "acts.csv", ACTIVITY_HEADER, rows)
    first, second = race(ws, "import", "activities", str(path))
    assert first.returncode == 0, first.stderr
    # both checked the file before either stored it: the clash arose meanwhile (contention)
    (line,) = assert_one_line_errors(second, Exit.CONTENTION)
    assert line == (
        "error: acts.csv: refused, another user stored rows with the same keys (rows 2, 3, 4, "
        f"5, 6 …; {len(rows)} in all) while the file was being checked; nothing was imported "
        "(run the import again to compare with what is stored now)"
    )
    assert count(ws, ActivityRecord) == len(rows)


def test_concurrent_replacing_imports_replace_once(ws: Database, tmp_path: Path) -> None:
    rows = monthly_rows("SZ1", "fuel.diesel", "t", 2024, 10)
    path = write_csv(tmp_path / "acts.csv", ACTIVITY_HEADER, rows)
    from esgledger.ledger.activities import import_activities

    import_activities(ws, path, actor="test")
    fixed = write_csv(tmp_path / "fixed.csv", ACTIVITY_HEADER, [[*r[:4], 99, "t"] for r in rows])
    args = ("import", "activities", str(fixed), "--replace", "--reason", "meter")
    first, second = race(ws, *args)
    assert first.returncode == 0, first.stderr
    (line,) = assert_one_line_errors(second, Exit.CONTENTION)
    assert "another user voided or stored rows with the keys this file replaces" in line
    assert count(ws, ActivityRecord) == 2 * len(rows)


@pytest.mark.parametrize("restating", [False, True], ids=["new", "restated"])
def test_concurrent_kpi_imports_end_in_one_line(
    ws: Database, tmp_path: Path, restating: bool
) -> None:
    if restating:
        base = write_csv(
            tmp_path / "base.csv", KPI_HEADER, [["SZ1", 2024, "ghg.scope1", 4, "tCO2e", ""]]
        )
        import_kpis(ws, base, actor="test")
    rows = [["SZ1", 2024, "ghg.scope1", 5, "tCO2e", "recounted" if restating else ""]]
    path = write_csv(tmp_path / "kpis.csv", KPI_HEADER, rows)
    first, second = race(ws, "import", "kpis", str(path))
    assert first.returncode == 0, first.stderr
    (line,) = assert_one_line_errors(second, Exit.CONTENTION)
    assert line == (
        "error: kpis.csv: refused, another user changed the same KPI values at the same time; "
        "nothing was imported (run the import again to compare with what is stored now)"
    )
    with ws.read() as session:
        assert session.scalars(select(KpiValue.value).where(KpiValue.is_current)).all() == [5]
    assert count(ws, KpiValue) == (2 if restating else 1)


def test_concurrent_api_imports_of_one_file_store_it_once(pg_db: Database, tmp_path: Path) -> None:
    """The API's import endpoint, two requests at once (threads, separate connections)."""
    from fastapi.testclient import TestClient

    token = setup_users(pg_db, tmp_path)["mia"]
    rows = monthly_rows("SZ1", "fuel.diesel", "t", 2024, 10)
    body = write_csv(tmp_path / "acts.csv", ACTIVITY_HEADER, rows).read_bytes()

    with TestClient(create_app(pg_db.url), raise_server_exceptions=False) as client:

        def post() -> Any:
            return client.post(
                PREFIX + "/imports/activities",
                headers={"Authorization": f"Bearer {token}"},
                files={"file": ("acts.csv", body)},
            )

        answers = race_threads(pg_db, post)
    assert answers[0].status_code == 200, answers[0].text
    refused = problem(answers[1], 409)
    assert "another user stored rows with the same keys (rows 2, 3, 4, 5, 6 …" in refused["detail"]
    assert count(pg_db, ActivityRecord) == len(rows)
