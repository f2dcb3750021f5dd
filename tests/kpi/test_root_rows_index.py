"""The group root's own KPI rows are read through the current values' index (#18).

The KPI tables read the root's rows whole beside the members' grouped sums. Asked for its
counted rows of a span, SQLite walked the grouping index over every counted value of the
span (4.6 M at 10,000 entities, 0.6 CPU s) to keep the root's 90. The read names the
partial index's own condition and, on SQLite, the index itself: the plan must search
``uq_kpi_values_current`` by entity, on both databases, and give the same rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from esgledger.kpi.member_groups import read_grouped
from esgledger.ledger.db import Database
from esgledger.ledger.models import KpiValue
from tests.checks.workspace import ROOT, Workspace
from tests.kpi.test_grouping_order import _plan
from tests.kpi.three_entities import three_entities

YEAR = 2025


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return three_entities(db, tmp_path, (YEAR - 2, YEAR - 1, YEAR), headcount_at=ROOT)


def _root_read(db: Database) -> list[tuple[str, object]]:
    """The statements selecting the root's ids while the grouped read runs."""
    sent: list[tuple[str, object]] = []

    def seen(conn: object, cursor: object, sql: str, params: object, *args: object) -> None:
        if sql.lstrip().upper().startswith("SELECT KPI_VALUES.ID") and "entity_id =" in sql:
            sent.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.read() as session:
            grouped = read_grouped(session, YEAR - 2, YEAR, ROOT)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert {(y, m) for y, m, _ in grouped.root_rows} == {
        (YEAR - 2, "packaging.plastics"),
        (YEAR - 1, "packaging.plastics"),
        (YEAR, "packaging.plastics"),
        (YEAR, "workforce.headcount"),
    }
    assert {r.entity_id for r in grouped.root_rows.values()} == {ROOT}
    return sent


def test_root_rows_are_searched_by_entity_in_the_current_values_index(ws: Workspace) -> None:
    sent = _root_read(ws.db)
    assert len(sent) == 1, sent
    with ws.db.read() as session:
        plan = _plan(session, *sent[0])
    assert "uq_kpi_values_current" in plan, plan
    assert "ix_kpi_values_grouping" not in plan, plan
    assert "disabled" not in plan.lower(), plan  # PostgreSQL 18 marks a plan it had to keep


def test_root_rows_leave_out_history_and_other_entities(ws: Workspace) -> None:
    with ws.db.write() as session:
        old = session.query(KpiValue).filter_by(entity_id=ROOT, year=YEAR - 1).one()
        old.is_current = False
    with ws.db.read() as session:
        grouped = read_grouped(session, YEAR - 2, YEAR, ROOT)
    assert (YEAR - 1, "packaging.plastics", "") not in grouped.root_rows
    assert grouped.root_rows[(YEAR, "packaging.plastics", "")].value == 0.5
