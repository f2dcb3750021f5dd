"""#13.3: a writer that finds the database locked by another waits, saying so, and then
either succeeds or gives up with one line and exit code 4, having written nothing."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from esgledger.errors import Exit
from esgledger.ledger.activities import import_activities
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, monthly_rows, write_csv
from tests.faults.conftest import activities_file, counts, one_line_error

LEDGER = ("activity_records", "import_batches", "audit_events")


@contextmanager
def another_writer(db: Database) -> Iterator[threading.Event]:
    """Hold the write lock (SQLite's, or the audit chain's on PostgreSQL) until the event."""
    release = threading.Event()
    if db.dialect == "sqlite":
        conn = sqlite3.connect(str(db.sqlite_path), check_same_thread=False, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
    else:
        conn = psycopg.connect(db.url.replace("postgresql+psycopg://", "postgresql://"))
        conn.execute("SELECT pg_advisory_xact_lock(727001)")
    holder = threading.Thread(target=lambda: (release.wait(60), conn.rollback(), conn.close()))
    holder.start()
    try:
        yield release
    finally:
        release.set()
        holder.join()


def test_a_writer_gives_up_in_one_line(
    seeded: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_LOCK_WAIT_SECONDS", "1")
    before = counts(seeded.db, *LEDGER)
    with another_writer(seeded.db):
        result = seeded("import", "activities", str(activities_file(tmp_path, 2025)), expect=None)
    message = one_line_error(result, Exit.CONTENTION)
    assert "is busy: another command kept it locked for more than 1 s" in message
    assert "nothing was written" in message
    assert counts(seeded.db, *LEDGER) == before


def test_a_writer_waits_for_the_other_to_finish(
    seeded: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_LOCK_WAIT_SECONDS", "60")
    with another_writer(seeded.db) as release:
        threading.Timer(2.5, release.set).start()
        result = seeded("import", "activities", str(activities_file(tmp_path, 2025)))
    assert counts(seeded.db, "activity_records")["activity_records"] == 48
    if seeded.db.dialect == "sqlite":
        assert "waiting for another command to finish writing: 1 s of 60 s" in result.stderr


def test_calc_computes_again_when_the_data_changed_while_it_computed(
    seeded: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The calculation holds no lock while computing; another command's import lands in
    between (at the `calc.computed` point), so the run stored is of the data after it."""
    from esgledger.calc import runs

    real_compute, calls = runs.compute, []
    late = tmp_path / "late.csv"
    write_csv(late, ACTIVITY_HEADER, monthly_rows("VN1", "fuel.diesel", "L", 2024, 7.0))

    def compute_while_another_command_imports(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        out = real_compute(*args, **kwargs)
        if len(calls) == 1:
            import_activities(seeded.db, late, actor="someone else")
        return out

    monkeypatch.setattr(runs, "compute", compute_while_another_command_imports)
    run = json.loads(seeded("calc", "--year", "2024", "--allow-incomplete", "--json").stdout)
    assert len(calls) == 2 and run["activity_rows"] == 36
    assert counts(seeded.db, "calculation_runs")["calculation_runs"] == 1
