"""The shared fixtures hand out migrated, independent workspaces."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from esgledger.ledger import audit
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from tests.filled import FilledPostgres, FilledSqlite
from tests.pg_pool import DatabasePool


def test_workspace_is_migrated_and_chain_starts(db):
    assert "activity_records" in db.table_names()
    with db.read() as session:
        assert audit.verify(session).ok


def test_each_postgres_test_gets_its_own_fresh_copy(pg_pool: DatabasePool) -> None:
    """The pool's copies are distinct, migrated, and a write to one is not seen by another."""
    first, second = pg_pool.take(), pg_pool.take()
    a, b = Database(pg_pool.url_of(first)), Database(pg_pool.url_of(second))
    try:
        assert first != second
        with a.write() as session:
            audit.record(session, actor="test", action="smoke.write", subject="a", payload={})
        with a.read() as session:
            assert session.scalar(select(func.count()).select_from(AuditEvent)) == 2
        with b.read() as session:
            assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1
            assert audit.verify(session).ok
    finally:
        a.dispose()
        b.dispose()
        pg_pool.give_back(first)
        pg_pool.give_back(second)


def _events(db: Database) -> int:
    with db.read() as session:
        assert audit.verify(session).ok
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_a_filled_workspace_is_filled_once_and_each_copy_is_its_own(
    filled_sqlite: FilledSqlite, filled_pg: FilledPostgres, tmp_path: Path
) -> None:
    """:mod:`tests.filled`: the fill runs once per run and name; every copy starts in the
    filled state, and a write to one copy is seen in no other."""
    calls: list[str] = []

    def fill(db: Database, folder: Path) -> str:
        calls.append(db.dialect)
        with db.write() as session:
            audit.record(session, actor="test", action="smoke.fill", subject="x", payload={})
        return "made"

    path, made = filled_sqlite.get("smoke", fill)
    assert filled_sqlite.get("smoke", fill) == (path, made) and made == "made"
    pool, pg_made = filled_pg.get("smoke", fill)
    assert filled_pg.get("smoke", fill)[0] is pool and pg_made == "made"
    assert calls == ["sqlite", "postgresql"]
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(path, tmp_path / folder / "esg.db")
    names = [pool.take(), pool.take()]
    pairs = [
        (Database(str(tmp_path / "a" / "esg.db")), Database(str(tmp_path / "b" / "esg.db"))),
        (Database(pool.url_of(names[0])), Database(pool.url_of(names[1]))),
    ]
    try:
        for first, second in pairs:
            assert _events(first) == _events(second) == 2  # the workspace's first event, the fill's
            with first.write() as session:
                audit.record(session, actor="test", action="smoke.write", subject="a", payload={})
            assert (_events(first), _events(second)) == (3, 2)
    finally:
        for first, second in pairs:
            first.dispose()
            second.dispose()
        for name in names:
            pool.give_back(name)
