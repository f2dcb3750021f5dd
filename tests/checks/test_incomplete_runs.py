"""Issue #11: a calculation run with unresolved activity rows is an error finding that
names the rows, and the KPI figures from it are marked incomplete.

The runs are the engine's, computed in memory (:mod:`tests.kpi.plain_runs`, #20);
``test_read_layer`` holds a stored run's findings to these on both databases."""

from __future__ import annotations

import pytest

from tests.checks.plain import PlainWorkspace
from tests.checks.workspace import only


@pytest.fixture
def mem() -> PlainWorkspace:
    return PlainWorkspace()


def test_a_run_missing_only_scope_3_factors_leaves_scope_1_and_2_whole(
    mem: PlainWorkspace,
) -> None:
    mem.activities([("SZ1", 2025, "waste.hazardous", 12, "t")])  # no Scope 3 factor for it
    run = mem.calc(2025)
    assert run.unresolved > 0
    # #15: Scope 3 is an appendix line now, so its incomplete total is an error naming it
    (f,) = only(mem.check(2025, claims={}), "calc.incomplete")
    assert (f.severity, f.metrics) == ("error", ["ghg.scope3"])
    table = mem.table(2025)
    assert not table[("ghg.scope1", "")].incomplete
    assert table[("ghg.scope3", "")].incomplete


def test_unresolved_rows_make_an_error_and_incomplete_figures(mem: PlainWorkspace) -> None:
    mem.activities([("SZ1", 2025, "electricity.purchased", 1000, "MWh")])
    mem.calc(2025)
    assert only(mem.check(2025, claims={}), "calc.incomplete") == []
    mem.activities([("VN1", 2025, "heat.purchased", 500, "GJ")])  # no grid factor for heat in VN
    run = mem.calc(2025)
    (f,) = only(mem.check(2025, claims={}), "calc.incomplete")
    assert (f.severity, f.found, f.details["run"]) == ("error", 2, run.id)
    # one row, two results: both Scope 2 totals and their heat, steam and cooling lines
    assert f.metrics == [
        "ghg.scope2_market",
        "ghg.scope2_location",
        "ghg.scope2_market.heat_steam_cooling",
        "ghg.scope2_location.heat_steam_cooling",
    ]
    assert len(f.details["activity_rows"]) == 1
    assert f"Calculation run {run.id} left 2 activity result(s) unresolved" in f.explanation
    assert "no grid emission factor for heat.purchased in VN" in f.explanation
    table = mem.table(2025)
    scope2 = table[("ghg.scope2_market", "")]
    assert scope2.incomplete and "incomplete: run" in scope2.note
    assert table[("ghg.total", "")].incomplete  # a formula over an incomplete figure
    assert not table[("ghg.scope1", "")].incomplete  # the missing factor is Scope 2's only
    assert not table[("energy.electricity.purchased", "")].incomplete  # activity sums
