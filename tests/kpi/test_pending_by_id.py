"""Pending requests' values are searched by id, not found by walking the span (#18).

The kept groups count every current value; a value a data request entered and no reviewer
approved yet is taken off at read time. Asked as ``id IN (pending requests' values)`` beside
the span's conditions, SQLite walked ``ix_kpi_values_grouping`` over the span's 4.6 M values
at 10,000 entities to find none (0.52 CPU s of every ``esg kpi`` and ``esg check``). The ids
are read first (a few rows of ``data_requests``); with none there is no read at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from esgledger.auth.users import add_user
from esgledger.kpi.kept_sums import kept_sums
from esgledger.ledger.db import Database
from esgledger.ledger.models import KpiValue
from esgledger.ledger.workflow_models import DataRequest
from tests.checks.workspace import Workspace
from tests.kpi.kept_tables import wood_values
from tests.kpi.test_grouping_order import _plan, statements

YEAR = 2025
MEMBERS = ("HQ", "SZ1", "WH1", "VN1")


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return wood_values(db, tmp_path, YEAR, MEMBERS)


def _pending_reads(sent: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Reads of values that are not the root's (the root's rows are read by entity)."""
    return [
        (s, p) for s, p in sent if "FROM kpi_values" in s and "kpi_values.entity_id = " not in s
    ]


def _wood(db: Database) -> tuple[int, float]:
    with db.read() as session:
        ((_, group),) = list(kept_sums(session, YEAR, YEAR, "GRP"))
    return group.count, group.total


def test_no_pending_request_no_read_of_the_values(ws: Workspace) -> None:
    with statements(ws.db) as sent:
        count, _ = _wood(ws.db)
    assert count == 4
    assert _pending_reads(sent) == []


def test_a_pending_value_is_searched_by_its_id(ws: Workspace) -> None:
    with ws.db.write() as session:
        owner = add_user(session, username="owner", role="admin", actor="t")
        session.flush()
        value_id = session.scalar(select(KpiValue.id).where(KpiValue.entity_id == "SZ1"))
        session.add(
            DataRequest(
                year=YEAR,
                metric_id="packaging.wood",
                entity_id="SZ1",
                dims="",
                owner_id=owner.id,
                due_date=dt.date(2026, 3, 31),
                state="submitted",
                value_id=value_id,
                created_by="t",
                updated_by="t",
            )
        )
    with statements(ws.db) as sent:
        count, _ = _wood(ws.db)
    assert count == 3  # SZ1's value is pending: taken off
    reads = _pending_reads(sent)
    assert len(reads) == 1, reads
    assert "data_requests" not in reads[0][0]  # the ids were read before, on their own
    with ws.db.read() as session:
        plan = _plan(session, *reads[0])
    assert "ix_kpi_values_grouping" not in plan, plan
    if ws.db.engine.dialect.name == "sqlite":
        assert "INTEGER PRIMARY KEY" in plan, plan
    else:  # PostgreSQL chooses by cost, and the test's table has no statistics
        assert "Index" in plan and "Seq Scan" not in plan, plan
        assert "disabled" not in plan.lower(), plan
