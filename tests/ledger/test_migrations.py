"""The schema comes only from migrations, and they agree with the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from esgledger.ledger.db import Database
from esgledger.ledger.migrate import current_revision, head_revision, upgrade
from esgledger.ledger.models import Base
from esgledger.ledger.schema_head import declared_head
from tests.conftest import Cli


def test_migrations_match_models(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_upgrade_is_idempotent(db: Database) -> None:
    assert current_revision(db) == head_revision()
    assert upgrade(db) == (head_revision(), head_revision())


def test_commands_refuse_a_missing_or_foreign_database(tmp_path: Path) -> None:
    missing = Cli(Database(str(tmp_path / "none.db")))
    result = missing("entities", "list", expect=2)
    assert "no workspace at" in result.output and "run `esg init`" in result.output
    assert not (tmp_path / "none.db").exists(), "reading must not create a database file"

    foreign = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    result = Cli(Database(str(foreign)))("entities", "list", expect=2)
    assert "is not an esgledger workspace; run `esg init`" in result.output


def test_init_then_db_upgrade(tmp_path: Path) -> None:
    cli = Cli(Database(str(tmp_path / "w.db")))
    assert "Created workspace" in cli("init").stdout
    assert "already exists" in cli("init").stdout
    assert "already at schema" in cli("db", "upgrade").stdout
    assert '"up_to_date": true' in cli("db", "status", "--json").stdout


def test_the_quick_schema_head_is_alembics(tmp_path: Path) -> None:
    """#18: the head read from the migration files' revision lines (no alembic import) is
    the one alembic finds, and a workspace one revision behind is still refused."""
    assert declared_head() == head_revision()
    path = tmp_path / "old.db"
    db = Database(str(path))
    upgrade(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0030_suppl4'")
    result = Cli(db)("entities", "list", expect=2)
    assert "is at schema 0030_suppl4, this version needs" in result.output
    assert "run `esg db upgrade`" in result.output
    db.dispose()
