"""``esg db check``: the database's own check, every row read, the audit chain verified deep."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import text

from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.ledger.test_backup import populate


def test_a_sound_workspace_passes(db: Database, cli: Cli, tmp_path: Path) -> None:
    populate(db, tmp_path)
    out = cli("db", "check").stdout
    assert "Database check passed: audit chain of 6 events, head 6:" in out
    data = json.loads(cli("db", "check", "--json").stdout)
    assert data["ok"] and data["storage"]["rows"]["activity_records"] == 30
    expected = "PRAGMA integrity_check" if db.dialect == "sqlite" else "amcheck"
    assert expected in data["storage"]["engine_check"]


def test_an_edited_value_fails_the_check(db: Database, cli: Cli, tmp_path: Path) -> None:
    populate(db, tmp_path)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE kpi_values SET value = 5 WHERE is_current"))
    result = cli("db", "check", expect=1)
    assert "kpi_values differs from the digest of event" in result.output
    assert "Database check failed" in result.output


def test_undecodable_text_in_a_page_is_named_by_table_and_key(
    sqlite_db: Database, tmp_path: Path
) -> None:
    """Bit-rot that SQLite's own check passes: text that is no longer UTF-8."""
    populate(sqlite_db, tmp_path)
    path = sqlite_db.sqlite_path
    sqlite_db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE entities SET name = CAST(X'57C3FF80' AS TEXT) WHERE id = 'SZ1'")
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    result = Cli(sqlite_db)("db", "check", expect=1)
    assert "entities: cannot read row" in result.output
    assert "Traceback" not in result.output
