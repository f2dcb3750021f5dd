"""Parts larger than their whole (class 4) and identities that do not hold (class 3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from esgledger.catalog.checks import check_rules
from esgledger.checks.arithmetic import RUNNERS
from tests.checks.plain import PlainWorkspace
from tests.checks.workspace import kpi, only, rules


@pytest.fixture
def mem() -> PlainWorkspace:
    """What is typed kept in memory: the rules on plain inputs (:mod:`tests.checks.plain`),
    runs computed in memory by the engine (:mod:`tests.kpi.plain_runs`)."""
    return PlainWorkspace()


def test_nh3n_above_tn_and_bod_above_cod_at_the_rounding_edge(mem: PlainWorkspace) -> None:
    mem.kpis(
        # 2024: NH3-N 0.01 above TN, within ½ + ½ of the last printed decimal.
        kpi("wastewater.tn", "10.00", "t", 2024),
        kpi("wastewater.nh3_n", "10.01", "t", 2024),
        kpi("wastewater.cod", "50.00", "t", 2024),
        kpi("wastewater.bod", "45.00", "t", 2024),
        # 2025: NH3-N 0.02 above TN, and BOD above COD.
        kpi("wastewater.tn", "10.00", "t"),
        kpi("wastewater.nh3_n", "10.02", "t"),
        kpi("wastewater.cod", "50.00", "t"),
        kpi("wastewater.bod", "50.75", "t"),
    )
    assert mem.check(2024, claims={}) == []
    findings = mem.check(2025, claims={})
    assert rules(findings) == ["part.bod_le_cod", "part.nh3n_le_tn"]
    (nh3n,) = only(findings, "part.nh3n_le_tn")
    assert (nh3n.severity, nh3n.entity, nh3n.year) == ("error", None, 2025)
    assert nh3n.metrics == ["wastewater.nh3_n", "wastewater.tn"]
    assert (nh3n.expected, nh3n.found) == (10.0, 10.02)
    assert nh3n.tolerance == pytest.approx(0.01)
    assert "Ammonia nitrogen (10.02 t) is larger than total nitrogen (10.00 t)" in nh3n.explanation
    (bod,) = only(findings, "part.bod_le_cod")
    assert (bod.expected, bod.found) == (50.0, 50.75)


def test_renewable_electricity_above_purchased_the_including_row(mem: PlainWorkspace) -> None:
    mem.activities(
        [
            ("SZ1", 2025, "electricity.purchased", 1000, "MWh"),
            ("SZ1", 2025, "certificate.renewable_electricity", 900, "MWh"),
            ("SZ1", 2025, "electricity.onsite_solar", 200_000, "kWh"),
        ]
    )
    mem.calc(2025)
    findings = mem.check(2025, claims={})
    assert rules(findings) == ["part.renewable_le_purchased"]
    (f,) = findings
    assert f.metrics == ["energy.electricity.photovoltaic", "energy.electricity.purchased"]
    assert (f.expected, f.found, f.unit) == (1000.0, 1100.0, "MWh")


def test_indirect_energy_identity_with_a_stale_run_and_with_heat(mem: PlainWorkspace) -> None:
    mem.activities([("SZ1", 2024, "electricity.purchased", 1000, "MWh")])
    mem.calc(2024)
    assert mem.check(2024, claims={}) == []  # 1,000 MWh × 0.1229 kgce/kWh = 122.9 tce
    mem.activities([("WH1", 2024, "electricity.purchased", 500, "MWh")])  # after the run
    (stale,) = mem.check(2024, claims={})
    assert (stale.rule, stale.severity, stale.entity, stale.year) == (
        "identity.indirect_energy",
        "error",
        None,
        2024,
    )
    assert stale.metrics == [
        "energy.indirect",
        "energy.electricity.purchased",
        "energy.electricity.onsite_pv",
        "energy.indirect.heat_steam_cooling",
    ]
    assert stale.expected == pytest.approx(184.35) and stale.found == pytest.approx(122.9)
    assert "0.1229 kgce/kWh (GB/T 2589-2020, equivalent value)" in stale.explanation
    assert "stored before 1 later activity import" in stale.explanation
    mem.calc(2024)  # recalculated: the identity holds again
    assert mem.check(2024, claims={}) == []

    mem.activities(
        [
            ("SZ1", 2025, "electricity.purchased", 1000, "MWh"),
            ("SZ1", 2025, "heat.purchased", 1000, "GJ"),  # 34.12 tce of heat in "indirect"
        ]
    )
    mem.calc(2025)
    # heat, steam and cooling are a term of the identity (issue #15): it holds with them
    assert only(mem.check(2025, claims={}), "identity.indirect_energy") == []
    table = mem.table(2025)
    assert table[("energy.indirect.heat_steam_cooling", "")].value == pytest.approx(34.12)
    assert table[("energy.indirect", "")].value == pytest.approx(122.9 + 34.12)


def test_identity_runner_flags_a_formula_that_does_not_hold(mem: PlainWorkspace) -> None:
    """The identity machinery itself: consumption checked against a formula that forgot
    the discharge (consumption is derived, so data can never break the shipped rule)."""
    mem.activities(
        [
            ("SZ1", 2025, "water.municipal", 5000, "t"),
            ("SZ1", 2025, "water.discharge", 4000, "t"),
        ]
    )
    shipped = check_rules()["identity.water_consumption"]
    broken = replace(shipped, formula="water.withdrawal.total")
    ctx = mem.context(2025)
    assert RUNNERS["identity"](ctx, shipped) == []
    (f,) = RUNNERS["identity"](ctx, broken)
    assert (f.rule, f.expected, f.found) == ("identity.water_consumption", 5000.0, 1000.0)
    assert f.tolerance == 0.0  # every figure comes from activity data: nothing was rounded
