"""The read layer gives the KPI computation what the rules' tests build in memory (#20).

The rule tests (tests/kpi/plain.py) hand plain inputs to the same computation the
commands use. Here a workspace stores the same values through the real imports, on SQLite
and PostgreSQL, and the series read from it (:mod:`esgledger.kpi.table_reads`) is the plain
ledger's, figure for figure and note for note: stored text parsed as the ledger's rows say
(decimals, qualifiers, units, breakdowns), restatements, activity sums, boundaries and a
register's figures.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from esgledger.kpi.register_source import PROVIDERS, RegisterFigure
from esgledger.kpi.registered import lineage_of, register_lineage
from esgledger.kpi.scope import Scopes
from esgledger.kpi.series import kpi_series
from esgledger.kpi.values import kpi_table
from esgledger.ledger.db import Database
from esgledger.ledger.kpi_rows import figure_rows
from tests.checks.workspace import Workspace
from tests.checks.workspace import kpi as stored
from tests.kpi.plain import Ledger, kpi

CASES = RegisterFigure(
    "compliance.whistleblowing.received", 2025, "GRP", 7, "case", "whistleblowing", (1, 2, 3)
)


def given_cases(session: Session, year: int) -> list[RegisterFigure]:
    return [CASES] if year == CASES.year else []


@pytest.fixture
def provider() -> Iterator[None]:
    PROVIDERS.append(given_cases)
    try:
        yield
    finally:
        PROVIDERS.remove(given_cases)


# (what the CSV file says, what the plain ledger holds): first import, then a restatement
FIRST = [
    (stored("water.discharge.total", "38,000.5", "t"),
     kpi("water.discharge.total", 38000.5, "t", decimals=1)),
    (stored("energy.fuel.diesel", "96.40", "t"), kpi("energy.fuel.diesel", 96.4, "t", decimals=2)),
    (stored("economy.revenue", "1.5", "RMB billion"),
     kpi("economy.revenue", 1.5, "RMB billion", decimals=1)),
    (stored("economy.revenue", "1000", "RMB million", 2024),
     kpi("economy.revenue", 1000, "RMB million", 2024)),
    (stored("workforce.headcount", "100", "person", entity="SZ1"),
     kpi("workforce.headcount", 100, "person", entity_id="SZ1")),
    (stored("workforce.headcount", "50", "person", entity="WH1", qualifier="≈"),
     kpi("workforce.headcount", 50, "person", entity_id="WH1", qualifier="approximately")),
    (stored("workforce.headcount", "60", "person", entity="SZ1", gender="female"),
     kpi("workforce.headcount", 60, "person", entity_id="SZ1", gender="female")),
    (stored("ohs.safety_education_share", "99", "%", entity="SZ1"),
     kpi("ohs.safety_education_share", 99, "%", entity_id="SZ1")),
    (stored("water.consumption", "900", "t", 2024), kpi("water.consumption", 900, "t", 2024)),
    (stored("compliance.whistleblowing.received", "9", "case"),
     kpi("compliance.whistleblowing.received", 9, "case")),
]  # fmt: skip
RESTATED = [
    (stored("economy.revenue", "1010", "RMB million", 2024, restatement_reason="audited"),
     kpi("economy.revenue", 1010, "RMB million", 2024, restatement_reason="audited")),
]  # fmt: skip
ACTIVITIES = [
    ("SZ1", 2025, "water.municipal", 5000, "t"),
    ("SZ1", 2025, "water.discharge", 800, "m3"),
    ("WH1", 2025, "electricity.purchased", 1000, "MWh"),
    ("SZ1", 2024, "electricity.purchased", 900, "MWh"),
    ("WH1", 2024, "electricity.purchased", 100, "MWh"),
]
BOUNDARIES = [
    ("2025-env", 2025, "environment", ("SZ1", "WH1", "VN1")),
    ("2024-ghg", 2024, "energy_ghg", ("HQ",)),
    ("2025-ghg", 2025, "energy_ghg", ("HQ", "WH1")),
]


def _plain() -> Ledger:
    ledger = Ledger()
    ledger.kpis(*(plain for _, plain in FIRST))
    ledger.kpis(*(plain for _, plain in RESTATED))
    for row in ACTIVITIES:
        ledger.activity(*row)
    for code, year, family, members in BOUNDARIES:
        ledger.boundary(code, year, family, *members)
    ledger.registers.append(CASES)
    return ledger


def _text(series: dict[str, Any]) -> str:
    return json.dumps(series, sort_keys=True, default=str)


def test_a_workspace_gives_the_series_of_its_plain_inputs(
    db: Database, tmp_path: Path, provider: None
) -> None:
    ws = Workspace(db, tmp_path)
    ws.kpis(*(csv for csv, _ in FIRST))
    ws.kpis(*(csv for csv, _ in RESTATED))
    ws.activities(ACTIVITIES)
    for code, year, family, members in BOUNDARIES:
        ws.boundary(code, year, family, *members, note="WH1 acquired")
    ledger = _plain()
    with ws.db.read() as session:
        for years in (1, 2):
            read = kpi_series(session, 2025, years=years)
            built = ledger.series(2025, years=years)
            assert [r["metric"] for r in read["kpis"]] == [r["metric"] for r in built["kpis"]]
            for got, expected in zip(read["kpis"], built["kpis"], strict=True):
                assert _text(got) == _text(expected), got["metric"]
            assert _text(read) == _text(built)
        overridden = kpi_series(session, 2025, years=2, boundary="2025-env")
    assert _text(overridden) == _text(ledger.series(2025, years=2, boundary="2025-env"))


def test_a_workspaces_rows_and_the_rows_they_restate_give_the_plain_tables(
    db: Database, tmp_path: Path, provider: None
) -> None:
    """The other read of reported values: the year's counted rows, read one by one with
    the rows they restate (as a report reading every row does)."""
    ws = Workspace(db, tmp_path)
    ws.kpis(*(csv for csv, _ in FIRST))
    ws.kpis(*(csv for csv, _ in RESTATED))
    ledger = _plain()
    ledger.sums.clear()  # the workspace holds no activity rows here
    ledger.boundaries.clear()
    with ws.db.read() as session:
        for year in (2024, 2025):
            read = kpi_table(session, year, rows=figure_rows(session, year))
            built = ledger.table(year)
            assert list(read) == list(built)
            assert {k: f.as_dict() for k, f in read.items()} == {
                k: f.as_dict() for k, f in built.items()
            }
    assert read[("economy.revenue", "")].value == 1500.0


def test_a_registers_lineage_read_is_the_plain_lineage(
    db: Database, tmp_path: Path, provider: None
) -> None:
    ws = Workspace(db, tmp_path)
    ledger = _plain()
    with ws.db.read() as session:
        read = register_lineage(session, 2025, Scopes(session, 2025), CASES.metric)
    assert read == lineage_of(ledger.registers, ledger.scopes(2025), CASES.metric)
    assert [(r["entity"], r["member"], r["rows"]) for r in read] == [("GRP", "GRP", [1, 2, 3])]
