"""The report computes its KPI tables once: the publication gate's checks take the tables
the appendix was built from instead of computing them again (#18, #12)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from esgledger.checks import run_checks
from esgledger.kpi.series import kpi_series_and_tables
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi, rules


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def test_checks_on_the_reports_tables_find_what_they_find_alone(ws: Workspace) -> None:
    ws.kpis(
        kpi("economy.revenue", "1000.00", "RMB million", 2024),
        kpi("economy.revenue", "1080.00", "RMB million"),
        kpi("economy.cash_dividend", "0.05", "RMB billion", preliminary="yes"),
        kpi("air.vocs", "/", "t"),
    )
    with ws.db.read() as session:
        alone = run_checks(session, 2025, claims={})
        _, tables = kpi_series_and_tables(session, 2025)
        shared = run_checks(session, 2025, claims={}, tables=tables)
    assert [f.as_dict() for f in shared] == [f.as_dict() for f in alone]
    assert "preliminary.value" in rules(alone)


def test_the_checks_read_the_tables_given_instead_of_computing_them(ws: Workspace) -> None:
    ws.kpis(kpi("economy.cash_dividend", "0.05", "RMB billion", preliminary="yes"))
    with ws.db.read() as session:
        _, tables = kpi_series_and_tables(session, 2025)
        key = ("economy.cash_dividend", "")
        final = {**tables[2025], key: dataclasses.replace(tables[2025][key], preliminary=False)}
        findings = run_checks(session, 2025, claims={}, tables={**tables, 2025: final})
    assert "preliminary.value" not in rules(findings)
