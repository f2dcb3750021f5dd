"""The kept groups trusted (#18): the deep verify names a dropped or disabled trigger and a
tampered row of ``kpi_groups``; ``esg kpi`` and ``esg check`` do not read a table whose
triggers are not all in place (they group the values afresh, so their figures stay the
values' own).

A tampered row with every trigger in place is the deep verify's to find: telling it apart
would cost ``esg check`` the grouping the kept table saves.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from esgledger.kpi.kept_sums import kept_sums
from esgledger.kpi.values import kpi_table
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.kpi_groups import trigger_problems
from esgledger.ledger.kpi_rows import figure_rows
from esgledger.ledger.models import KpiGroup, KpiValue
from tests.checks.workspace import Workspace
from tests.kpi.kept_tables import wood_values

MEMBERS = ("HQ", "WH1", "VN1", "SZ1")
YEAR = 2025


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return wood_values(db, tmp_path, YEAR, MEMBERS)


def _drop(db: Database, name: str) -> None:
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TRIGGER {name}" + (" ON kpi_values" if postgres else ""))


def _wood(db: Database) -> float | None:
    with db.read() as session:
        table = kpi_table(session, YEAR)
        by_rows = kpi_table(session, YEAR, rows=figure_rows(session, YEAR))
    (key,) = [k for k in table if k[0] == "packaging.wood" and not k[1]]
    assert table[key].as_dict() == by_rows[key].as_dict()
    return table[key].value


def test_the_deep_verify_names_a_dropped_trigger(ws: Workspace) -> None:
    with ws.db.read() as session:
        assert verify_data(session).ok, verify_data(session).problems
        assert trigger_problems(session) == []
    _drop(ws.db, "kpi_groups_delete")
    with ws.db.read() as session:
        result = verify_data(session)
    assert not result.ok
    assert result.problems == [
        "kpi_groups: trigger kpi_groups_delete on kpi_values is missing: "
        "the kept sums are not kept on that write"
    ]


def test_the_deep_verify_names_a_tampered_row(ws: Workspace) -> None:
    with ws.db.write() as session:
        session.execute(update(KpiGroup).values(members=KpiGroup.members + 1))
    with ws.db.read() as session:
        result = verify_data(session)
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"kpi_groups: {YEAR} packaging.wood in t (count, ")


def test_a_disabled_trigger_is_named_on_postgresql(pg_db: Database, tmp_path: Path) -> None:
    """PostgreSQL can keep a trigger and not fire it; SQLite has no such state."""
    with pg_db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE kpi_values DISABLE TRIGGER kpi_groups_insert")
    with pg_db.read() as session:
        problems = trigger_problems(session)
    assert problems == [
        "kpi_groups: trigger kpi_groups_insert on kpi_values is disabled: "
        "the kept sums are not kept on that write"
    ]


def test_figures_stay_the_values_own_when_a_trigger_is_missing(ws: Workspace) -> None:
    """A write made while a trigger is missing leaves the kept table stale: the KPI table
    groups the values afresh instead of reading it."""
    before = _wood(ws.db)
    assert before == 11.0  # 1.25 + 2.25 + 3.25 + 4.25: one group (two decimals)
    _drop(ws.db, "kpi_groups_delete")
    with ws.db.write() as session:
        session.query(KpiValue).filter(KpiValue.entity_id == "VN1").delete()
    with ws.db.read() as session:
        stale = {k[1]: g.count for k, g in kept_sums(session, YEAR, YEAR, "GRP")}
        kept_count = session.query(KpiGroup.members).scalar()
    assert kept_count == 4  # the table missed the delete
    assert stale == {"packaging.wood": 3}  # the values' own count, not the table's
    assert _wood(ws.db) == 11.0 - 3.25
