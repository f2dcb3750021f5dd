"""Issue #11 findings 2 and 3: reported and recomputed figures side by side with a
documented precedence; a figure without records is not available, never zero; partial
boundaries are marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def figure(ws: Workspace, metric: str, year: int = 2025) -> dict[str, Any]:
    with ws.db.read() as session:
        series = kpi_series(session, year, years=1)
    (row,) = [k for k in series["kpis"] if k["metric"] == metric and not k["dims"]]
    return row["figures"][str(year)]


def test_a_reported_value_without_records_is_used_not_replaced_by_zero(ws: Workspace) -> None:
    ws.kpis(kpi("water.discharge.total", "38,000.5", "t"), kpi("energy.fuel.diesel", "96.40", "t"))
    discharge = figure(ws, "water.discharge.total")
    assert (discharge["value"], discharge["source"], discharge["decimals"]) == (
        38000.5,
        "reported",
        1,
    )
    assert discharge["rounding"] == pytest.approx(0.05)
    assert "nothing recomputed (not available: no water.discharge records" in discharge["note"]
    assert figure(ws, "energy.fuel.diesel")["value"] == 96.4


def test_no_records_is_not_available_and_consumption_is_not_made_up(ws: Workspace) -> None:
    ws.activities([("SZ1", 2025, "water.municipal", 5000, "t")])
    discharge = figure(ws, "water.discharge.total")
    assert discharge["value"] is None and discharge["status"] == "missing"
    assert discharge["note"] == "not available: no water.discharge records in the boundary in 2025"
    withdrawal = figure(ws, "water.withdrawal.total")  # groundwater and surface: left out
    assert withdrawal["value"] == 5000.0
    assert "leaves out (no records): water.withdrawal.groundwater" in withdrawal["note"]
    consumption = figure(ws, "water.consumption")  # never withdrawal − 0
    assert consumption["value"] is None
    assert "missing input: water.discharge.total" in consumption["note"]


def test_reported_and_recomputed_side_by_side(ws: Workspace) -> None:
    ws.activities(
        [("SZ1", 2025, "water.municipal", 5000, "t"), ("SZ1", 2025, "water.discharge", 4000, "t")]
    )
    ws.kpis(
        kpi("water.discharge.total", "4,000.3", "t"),
        kpi("water.consumption", "1,000", "t"),
        kpi("water.consumption", "900", "t", 2024),  # a published prior year: nothing to recompute
    )
    discharge = figure(ws, "water.discharge.total")
    assert (discharge["value"], discharge["source"]) == (4000.0, "calculated")
    side = discharge["comparison"]
    assert (side["reported"], side["calculated"], side["used"]) == (4000.3, 4000.0, "calculated")
    assert side["difference"] == pytest.approx(0.3) and side["tolerance"] == pytest.approx(0.05)
    assert side["why"] == "recomputed from the ledger's data (it takes precedence)"
    consumption = figure(ws, "water.consumption")
    assert consumption["source"] == "derived" and consumption["value"] == 1000.0
    assert consumption["comparison"]["reported"] == 1000.0
    assert consumption["comparison"]["tolerance"] == pytest.approx(0.5)
    prior = figure(ws, "water.consumption", 2024)
    assert (prior["value"], prior["source"], prior["comparison"]) == (900.0, "reported", None)


def test_a_partial_year_is_marked_and_a_reported_total_takes_over(ws: Workspace) -> None:
    ws.boundary("2025-env", 2025, "environment", "SZ1", "WH1", "VN1")
    ws.activities([("SZ1", 2025, "water.municipal", 5000, "t")])
    municipal = figure(ws, "water.withdrawal.municipal")
    assert municipal["partial"] is True and municipal["value"] == 5000.0
    assert "partial: no 2025 activity data for 2 member(s) (VN1, WH1)" in municipal["note"]
    assert figure(ws, "water.withdrawal.total")["partial"] is True
    ws.kpis(kpi("water.withdrawal.municipal", "9,100", "t"))  # the subsidiaries' total
    reported = figure(ws, "water.withdrawal.municipal")
    assert (reported["value"], reported["source"], reported["partial"]) == (
        9100.0,
        "reported",
        False,
    )
    side = reported["comparison"]
    assert (side["used"], side["calculated"], side["calculated_partial"]) == (
        "reported",
        5000.0,
        True,
    )
    assert "covers only part of the boundary" in side["why"]


def test_a_run_total_no_row_gives_is_not_available_not_zero(ws: Workspace) -> None:
    ws.activities([("SZ1", 2025, "electricity.purchased", 1000, "MWh")])
    ws.calc(2025)
    scope1 = figure(ws, "ghg.scope1")  # the run has electricity only: no direct emissions rows
    assert scope1["value"] is None and scope1["status"] == "missing"
    assert "not available" in scope1["note"] and "no activity rows" in scope1["note"]
    scope2 = figure(ws, "ghg.scope2_location")
    assert scope2["value"] is not None and scope2["value"] > 0
