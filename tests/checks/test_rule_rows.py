"""The rules read only the stored rows they look at one by one, picked in the database (#18).

At 10,000 entities ``esg check`` read 3.6 M stored values as rows, while the rules look at a
few hundred by themselves (history, the group's own values, notes, restatements, labels,
members of a figure the group also reports). The findings must not depend on which way the
rows came: every row in memory (the report reads them all) or only those picked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.checks import run_checks
from esgledger.checks.rule_rows import coverage_metrics, from_rows, read_rule_rows
from esgledger.kpi.inputs import read_inputs
from esgledger.kpi.scope import Scopes
from esgledger.ledger.db import Database
from esgledger.ledger.kpi_rows import span_rows
from tests.checks.workspace import Workspace, kpi

YEAR = 2025
MEMBERS = ("HQ", "SZ1", "WH1")


def _fill(ws: Workspace) -> None:
    ws.kpis(
        kpi("packaging.plastics", 9, "t"),  # the group's own value against its members'
        *(kpi("packaging.plastics", 1, "t", entity=e) for e in MEMBERS),
        *(kpi("packaging.cartons", 2, "t", y, entity=e) for y in (2024, YEAR) for e in MEMBERS),
        kpi("economy.revenue", "1000.00", "RMB million", 2024),
        kpi("economy.revenue", "1080.00", "RMB million"),
        kpi("ohs.fatalities", "/", "case"),
        kpi("packaging.wood", 3, "t", note="new definition of wood packaging from 2025"),
        kpi("packaging.metal", 4, "t", entity="SZ1", source="EHS workbook"),
    )
    ws.kpis(
        kpi("economy.revenue", "1100.00", "RMB million", 2024, restatement_reason="audited"),
        kpi(
            "packaging.metal",
            6,
            "t",
            entity="SZ1",
            source="plant survey",
            restatement_reason="survey corrected",
        ),  # stored twice: a history row
    )


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    ws = Workspace(db, tmp_path)
    _fill(ws)
    return ws


def test_findings_from_picked_rows_are_those_from_every_row(ws: Workspace) -> None:
    with ws.db.read() as session:
        picked = run_checks(session, YEAR, claims={})
        every = run_checks(session, YEAR, claims={}, inputs=read_inputs(session, YEAR - 2, YEAR))
    assert [f.as_dict() for f in picked] == [f.as_dict() for f in every]
    found = {f.rule for f in picked}
    assert {
        "sum.entities", "restated.prior_year", "missing.value",
        "definition.changed",
    } <= found  # fmt: skip


def test_picked_answers_are_those_of_every_row(ws: Workspace) -> None:
    """The units and years of reported values (counted from the grouping index, less the keys
    whose current values are all labels) and each metric's reporting entities (one list per
    metric from the database) are what every stored row says."""
    with ws.db.read() as session:
        root = Scopes(session, YEAR).root
        picked = read_rule_rows(session, YEAR - 2, YEAR, root)
        every = from_rows(span_rows(session, YEAR - 2, YEAR), YEAR)
    assert picked.unit_years == every.unit_years
    assert ("packaging.plastics", YEAR, "t") in picked.unit_years
    assert ("ohs.fatalities", YEAR, "case") not in picked.unit_years  # a label ("/") only
    covered = set(coverage_metrics())
    assert picked.reporters == {m: e for m, e in every.reporters.items() if m in covered}
    assert picked.reporters["packaging.cartons"] == set(MEMBERS)
