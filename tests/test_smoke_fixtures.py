"""The shared fixtures hand out migrated, independent workspaces."""

from __future__ import annotations

from sqlalchemy import func, select

from esgledger.ledger import audit
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
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
