"""Every trigger keeping ``kpi_groups`` exists at head, on both databases (#18).

A later batch migration that recreates ``kpi_values`` on SQLite drops its triggers with the
old table; without them the kept sums drift from the values and ``esg kpi`` reads wrong
totals until a deep verify. The ``db`` fixture's workspace is migrated to head by the same
upgrade ``esg db upgrade`` runs (:mod:`tests.template`, :mod:`tests.pg_pool`).
"""

from __future__ import annotations

from esgledger.ledger.db import Database
from esgledger.ledger.kpi_groups import POSTGRES_TRIGGERS, SQLITE_TRIGGERS, triggers


def test_every_trigger_keeping_the_grouped_sums_exists_at_head(db: Database) -> None:
    with db.read() as session:
        found = triggers(session)
        postgres = session.connection().dialect.name == "postgresql"
    if postgres:
        assert found == {name: name for name in POSTGRES_TRIGGERS}  # each runs its function
    else:
        assert found == {name: "kpi_values" for name in SQLITE_TRIGGERS}


def test_a_dropped_trigger_is_missed(db: Database) -> None:
    """The check sees a trigger go (the failure a recreated table would cause)."""
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        on = " ON kpi_values" if postgres else ""
        conn.exec_driver_sql(f"DROP TRIGGER kpi_groups_delete{on}")
    with db.read() as session:
        found = triggers(session)
    expected = POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS
    assert "kpi_groups_delete" in expected and "kpi_groups_delete" not in found
    assert len(found) == len(expected) - 1
