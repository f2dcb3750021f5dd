"""#14: SQLite writers of different processes (``esg serve --workers 2``, or a command beside
a server) take their turn in order, waiting without a connection, instead of each holding a
pooled connection while polling ``BEGIN IMMEDIATE``.

SQLite only: on PostgreSQL many writers run at once and the audit chain's lock orders them.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from esgledger.errors import Contention, Exit
from esgledger.ledger.db import Database
from esgledger.ledger.writer_turn import turn_file, writer_turn
from tests.conftest import Cli
from tests.factories import entities_file
from tests.faults.conftest import activities_file, counts, esg, one_line_error

LEDGER = ("activity_records", "import_batches", "audit_events")
THREADS, WRITES = 4, 15
_PROCESSES = multiprocessing.get_context("spawn")


def _held_elsewhere(lock: Path) -> bool:
    """Whether some writer holds the turn: a new open file cannot take the lock."""
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _writer_process(url: str, name: str) -> None:
    """In a process of its own: THREADS threads writing WRITES rows each, one write at a time
    per row; each write notes whether the cross-process turn was held while it wrote."""
    db = Database(url)
    lock = turn_file(db.sqlite_path)  # type: ignore[arg-type]  # a SQLite workspace

    def write_rows(thread: int) -> None:
        for n in range(WRITES):
            with db.write() as session:
                held = _held_elsewhere(lock)
                session.execute(
                    text("INSERT INTO turns (writer, n, held) VALUES (:w, :n, :h)"),
                    {"w": f"{name}.{thread}", "n": n, "h": held},
                )

    threads = [threading.Thread(target=write_rows, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.dispose()


def test_a_command_waits_while_another_process_holds_the_turn(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While this process holds the write turn (and no SQLite lock at all), an import in
    another process waits for it, then gives up in one line, exit 4, having written nothing."""
    cli = Cli(sqlite_db)
    cli("import", "entities", str(entities_file(tmp_path)))
    monkeypatch.setenv("ESG_LOCK_WAIT_SECONDS", "1")
    before = counts(sqlite_db, *LEDGER)
    data = activities_file(tmp_path, 2025)
    assert sqlite_db.sqlite_path is not None
    with writer_turn(sqlite_db.sqlite_path, 5, lambda *_: None, lambda: Contention("busy")):
        result = esg("import", "activities", str(data), db=sqlite_db)
    message = one_line_error(result, Exit.CONTENTION)
    assert "is busy: another command kept it locked for more than 1 s" in message
    assert counts(sqlite_db, *LEDGER) == before
    cli("import", "activities", str(data))  # the turn released, the same import goes in
    assert counts(sqlite_db, "activity_records")["activity_records"] == 24


def test_writers_of_two_processes_take_turns_and_nothing_is_lost(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_LOCK_WAIT_SECONDS", "60")
    with sqlite_db.write() as session:
        session.execute(text("CREATE TABLE turns (writer TEXT, n INTEGER, held BOOLEAN)"))
    workers = [
        _PROCESSES.Process(target=_writer_process, args=(sqlite_db.url, name))
        for name in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0, 0]
    with sqlite_db.read() as session:
        rows = session.execute(text("SELECT writer, n, held FROM turns")).all()
    assert len(rows) == 2 * THREADS * WRITES  # nothing lost, nobody gave up
    assert len({(w, n) for w, n, _ in rows}) == len(rows)
    assert all(held for _, _, held in rows)  # every write held the turn of both processes
