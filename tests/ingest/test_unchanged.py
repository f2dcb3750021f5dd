"""The proof of "nothing written" the refusal tests use (:mod:`tests.ingest.unchanged`) is not
blind: every kind of write changes it, on both databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, write_csv
from tests.ingest.unchanged import state

ACT = ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "5", "t"]


def test_an_accepted_file_changes_the_state(ws: Database, tmp_path: Path) -> None:
    before = state(ws)
    Cli(ws)("import", "activities", str(write_csv(tmp_path / "act.csv", ACTIVITY_HEADER, [ACT])))
    assert state(ws) != before


def test_a_value_changed_in_place_changes_the_state(ws: Database) -> None:
    """One cell of one row, the row count unchanged."""
    before = state(ws)
    with ws.engine.begin() as conn:
        changed = conn.execute(text("UPDATE entities SET name = name || 'x' WHERE id = 'SZ1'"))
        assert changed.rowcount == 1
    assert state(ws) != before


def test_a_row_deleted_changes_the_state(ws: Database) -> None:
    with ws.engine.begin() as conn:
        conn.execute(text("CREATE TABLE scratch (n integer)"))
        conn.execute(text("INSERT INTO scratch VALUES (1), (2)"))
    before = state(ws)
    with ws.engine.begin() as conn:
        assert conn.execute(text("DELETE FROM scratch WHERE n = 2")).rowcount == 1
    assert state(ws) != before


def test_reading_leaves_the_state_as_it_was(ws: Database) -> None:
    before = state(ws)
    with ws.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entities")).scalar()
    Cli(ws)("entities", "list")
    assert state(ws) == before
