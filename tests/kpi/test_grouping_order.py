"""The KPI tables' two grouped reads come out of an index in grouping order (#18).

At 10,000 entities the database sorted every counted KPI value of the span (3.6 M) and
every activity row (2.9 M) before grouping them: most of the KPI tables' 13.6 CPU s. Two
covering indexes (migration ``0029_kpicheck2``) hand the rows over in group order. Each
plan is asked of the database itself: SQLite's ``EXPLAIN QUERY PLAN`` must use the index
and no temporary B-tree; PostgreSQL, told to avoid sorts and table scans, must read the
index and sort nothing. The figures are the same: the activity index keeps the natural
key's order within a group, so ``SUM`` adds a group's rows in the order it did before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from esgledger.checks.context import CheckContext
from esgledger.kpi.calculated import activity_sums, activity_sums_by_year
from esgledger.kpi.member_groups import read_grouped
from esgledger.ledger.db import Database
from tests.checks.workspace import ROOT, Workspace
from tests.kpi.three_entities import three_entities

YEAR = 2025


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    sites = ("HQ", "SZ1", "WH1")
    return three_entities(
        db, tmp_path, (YEAR - 1, YEAR), sites, headcount_at="SZ1", electricity=sites
    )


@contextmanager
def grouped_statements(db: Database) -> Iterator[list[tuple[str, object]]]:
    """Every ``GROUP BY`` statement sent while the block runs, with its parameters."""
    sent: list[tuple[str, object]] = []

    def seen(conn: object, cursor: object, sql: str, params: object, *args: object) -> None:
        if "GROUP BY" in sql and not sql.lstrip().upper().startswith("EXPLAIN"):
            sent.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def _plan(session: Session, sql: str, params: object) -> str:
    conn = session.connection()
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        cursor = driver.cursor()  # type: ignore[union-attr]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_hashagg = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(r[0] for r in cursor.fetchall())
    rows = driver.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()  # type: ignore[union-attr]
    return "\n".join(r[-1] for r in rows)


def _assert_in_index_order(session: Session, sql: str, params: object, index: str) -> None:
    plan = _plan(session, sql, params)
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # SQLite: no sort before grouping
    assert "Sort" not in plan, plan  # PostgreSQL: none either, when told to avoid one
    assert "disabled" not in plan.lower(), plan  # PostgreSQL 18 marks a plan it had to keep


def test_members_values_are_grouped_in_index_order(ws: Workspace) -> None:
    with ws.db.read() as session:
        with grouped_statements(ws.db) as sent:
            grouped = read_grouped(session, YEAR - 2, YEAR, ROOT)
        assert grouped.sums and len(sent) == 1
        _assert_in_index_order(session, *sent[0], "ix_kpi_values_grouping")


def test_activity_sums_are_grouped_in_index_order(ws: Workspace) -> None:
    with ws.db.read() as session:
        with grouped_statements(ws.db) as sent:
            sums = activity_sums_by_year(session, [YEAR - 1, YEAR])
        assert sums[YEAR] and len(sent) == 1
        _assert_in_index_order(session, *sent[0], "ix_activity_records_sums")


def test_the_checks_group_the_span_activity_rows_once(ws: Workspace) -> None:
    """The checks read the activity sums of every year of their span in one grouped query
    (each read walks the grouping index), with the figures a read per year gives."""
    ws.boundary("2025-e", YEAR, "energy_ghg", ROOT)
    ws.boundary("2024-e", YEAR - 1, "energy_ghg", ROOT)
    with grouped_statements(ws.db) as sent:
        ws.check(YEAR)
    sums_reads = [
        s for s, _ in sent if "FROM activity_records" in s and "activity_records.unit" in s
    ]
    assert len(sums_reads) == 1, sums_reads
    with ws.db.read() as session:
        ctx = CheckContext(session, YEAR)
        for year in ctx.span:
            assert dict(ctx.activity_sums(year)) == dict(activity_sums(session, year))
