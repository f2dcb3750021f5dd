"""Issue #11 findings 2 and 3: reported and recomputed figures side by side with a
documented precedence; a figure without records is not available, never zero; partial
boundaries are marked.

The rules run on plain inputs built in the test (tests/kpi/plain.py, #20); the values
are those the workspace of these tests stored (tests/kpi/test_plain_inputs_read.py holds
a workspace's tables to the plain ones); a run's figure on the engine's run computed in
memory (tests/kpi/plain_runs.py; tests/checks/test_read_layer.py holds stored runs to it)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.workspace import ACTIVITY_HEADER, activity_cells
from tests.kpi.plain import Ledger, figure_of, kpi


def figure(ledger: Ledger, metric: str, year: int = 2025) -> dict[str, Any]:
    return figure_of(ledger.series(year, years=1), metric, year)


def test_a_reported_value_without_records_is_used_not_replaced_by_zero() -> None:
    ledger = Ledger()
    ledger.kpis(
        kpi("water.discharge.total", 38000.5, "t", decimals=1),  # "38,000.5"
        kpi("energy.fuel.diesel", 96.4, "t", decimals=2),  # "96.40"
    )
    discharge = figure(ledger, "water.discharge.total")
    assert (discharge["value"], discharge["source"], discharge["decimals"]) == (
        38000.5,
        "reported",
        1,
    )
    assert discharge["rounding"] == pytest.approx(0.05)
    assert "nothing recomputed (not available: no water.discharge records" in discharge["note"]
    assert figure(ledger, "energy.fuel.diesel")["value"] == 96.4


def test_no_records_is_not_available_and_consumption_is_not_made_up() -> None:
    ledger = Ledger()
    ledger.activity("SZ1", 2025, "water.municipal", 5000, "t")
    discharge = figure(ledger, "water.discharge.total")
    assert discharge["value"] is None and discharge["status"] == "missing"
    assert discharge["note"] == "not available: no water.discharge records in the boundary in 2025"
    withdrawal = figure(ledger, "water.withdrawal.total")  # groundwater and surface: left out
    assert withdrawal["value"] == 5000.0
    assert "leaves out (no records): water.withdrawal.groundwater" in withdrawal["note"]
    consumption = figure(ledger, "water.consumption")  # never withdrawal − 0
    assert consumption["value"] is None
    assert "missing input: water.discharge.total" in consumption["note"]


def test_reported_and_recomputed_side_by_side() -> None:
    ledger = Ledger()
    ledger.activity("SZ1", 2025, "water.municipal", 5000, "t")
    ledger.activity("SZ1", 2025, "water.discharge", 4000, "t")
    ledger.kpis(
        kpi("water.discharge.total", 4000.3, "t", decimals=1),  # "4,000.3"
        kpi("water.consumption", 1000, "t"),  # "1,000"
        kpi("water.consumption", 900, "t", 2024),  # a published prior year: nothing to recompute
    )
    discharge = figure(ledger, "water.discharge.total")
    assert (discharge["value"], discharge["source"]) == (4000.0, "calculated")
    side = discharge["comparison"]
    assert (side["reported"], side["calculated"], side["used"]) == (4000.3, 4000.0, "calculated")
    assert side["difference"] == pytest.approx(0.3) and side["tolerance"] == pytest.approx(0.05)
    assert side["why"] == "recomputed from the ledger's data (it takes precedence)"
    consumption = figure(ledger, "water.consumption")
    assert consumption["source"] == "derived" and consumption["value"] == 1000.0
    assert consumption["comparison"]["reported"] == 1000.0
    assert consumption["comparison"]["tolerance"] == pytest.approx(0.5)
    prior = figure(ledger, "water.consumption", 2024)
    assert (prior["value"], prior["source"], prior["comparison"]) == (900.0, "reported", None)


def test_a_partial_year_is_marked_and_a_reported_total_takes_over() -> None:
    ledger = Ledger()
    ledger.boundary("2025-env", 2025, "environment", "SZ1", "WH1", "VN1")
    ledger.activity("SZ1", 2025, "water.municipal", 5000, "t")
    municipal = figure(ledger, "water.withdrawal.municipal")
    assert municipal["partial"] is True and municipal["value"] == 5000.0
    assert "partial: no 2025 activity data for 2 member(s) (VN1, WH1)" in municipal["note"]
    assert figure(ledger, "water.withdrawal.total")["partial"] is True
    ledger.kpis(kpi("water.withdrawal.municipal", 9100, "t"))  # the subsidiaries' total
    reported = figure(ledger, "water.withdrawal.municipal")
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


def test_a_run_total_no_row_gives_is_not_available_not_zero() -> None:
    ledger = Ledger()
    ledger.import_activities(
        ACTIVITY_HEADER, activity_cells([("SZ1", 2025, "electricity.purchased", 1000, "MWh")])
    )
    ledger.calc(2025)
    series = ledger.series(2025, years=1)
    scope1 = figure_of(series, "ghg.scope1", 2025)  # electricity only: no direct emissions rows
    assert scope1["value"] is None and scope1["status"] == "missing"
    assert "not available" in scope1["note"] and "no activity rows" in scope1["note"]
    scope2 = figure_of(series, "ghg.scope2_location", 2025)
    assert scope2["value"] is not None and scope2["value"] > 0
