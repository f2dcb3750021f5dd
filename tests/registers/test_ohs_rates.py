"""#17 OHS: rates per 200,000 and 1,000,000 hours and per mille of employees computed from
the register, checked against values computed by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi
from tests.registers.ohs_files import load


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def figures(ws: Workspace, year: int = 2025) -> dict[tuple[str, str], dict[str, Any]]:
    with ws.db.read() as session:
        series = kpi_series(session, year, years=1)
    return {
        (k["metric"], ";".join(f"{a}={b}" for a, b in sorted(k["dims"].items()))): k["figures"][
            str(year)
        ]
        for k in series["kpis"]
    }


def test_counts_and_rates_match_hand_computed_values(ws: Workspace) -> None:
    load(ws)
    ws.kpis(kpi("workforce.headcount", "1,500", "person"))
    got = figures(ws)
    # counts: 1,200,000 hours; 4 recordable (I-1, I-2, I-3 fatality, I-5); I-6 is 2024
    assert got[("ohs.hours_worked", "")]["value"] == 1_200_000
    assert got[("ohs.hours_worked", "worker_type=contractor")]["value"] == 100_000
    assert got[("ohs.recordable_injuries", "")]["value"] == 4
    assert got[("ohs.recordable_injuries", "worker_type=employee")]["value"] == 3
    assert got[("ohs.recordable_injuries_employees", "")]["value"] == 3
    assert got[("ohs.lost_time_injuries", "")]["value"] == 2  # I-1 (5 days), I-2 (30 days)
    assert got[("ohs.lost_days", "")]["value"] == 35
    assert got[("ohs.fatalities", "")]["value"] == 1
    assert got[("ohs.high_consequence_injuries", "")]["value"] == 1  # I-2; the fatality is apart
    assert got[("ohs.occupational_disease_cases", "")]["value"] == 1
    # rates, by hand: 4 / 1,200,000 × 200,000 = 0.6667; × 1,000,000 = 3.3333
    assert got[("ohs.recordable_injury_rate_200k", "")]["value"] == pytest.approx(
        0.666667, abs=1e-6
    )
    assert got[("ohs.recordable_injury_rate_1m", "")]["value"] == pytest.approx(3.333333, abs=1e-6)
    assert got[("ohs.lost_time_injury_rate_1m", "")]["value"] == pytest.approx(1.666667, abs=1e-6)
    assert got[("ohs.fatality_rate_1m", "")]["value"] == pytest.approx(0.833333, abs=1e-6)
    # 3 employee injuries / 1,500 employees × 1000 = 2 ‰
    assert got[("ohs.injury_rate_permille", "")]["value"] == pytest.approx(2.0)
    rate = got[("ohs.recordable_injury_rate_1m", "")]
    assert rate["source"] == "derived" and not rate["partial"]


def test_a_plant_without_hours_makes_the_rates_partial(ws: Workspace) -> None:
    load(ws, hours=[["SZ1", 2025, "employee", 400000]], incidents=[])
    got = figures(ws)
    hours = got[("ohs.hours_worked", "")]
    assert hours["value"] == 400000 and hours["partial"]
    assert "does not cover 2 member(s) (VN1, WH1)" in hours["note"]
    assert got[("ohs.recordable_injuries", "")]["value"] == 0  # covered, no injury: a real 0
    assert got[("ohs.recordable_injury_rate_1m", "")]["partial"]


def test_no_register_rows_leaves_the_typed_figures_alone(ws: Workspace) -> None:
    ws.kpis(kpi("ohs.fatalities", "0", "case"))
    got = figures(ws)
    assert got[("ohs.fatalities", "")]["source"] == "reported"
    rate = got[("ohs.recordable_injury_rate_1m", "")]
    assert rate["value"] is None and "missing input" in rate["note"]
