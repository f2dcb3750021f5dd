"""Totals that are not the sum of their parts (SYSTEM.md §7 class 2), at the rounding edge,
and a clean dataset with a run: the rules on plain inputs (:mod:`tests.checks.plain`), the
run computed in memory (:mod:`tests.kpi.plain_runs`); ``test_read_layer`` holds stored
runs to these on both databases."""

from __future__ import annotations

import pytest

from esgledger.ledger.kpi_rows import KpiRow
from tests.checks.plain import PlainWorkspace, activity, check, typed
from tests.checks.workspace import kpi, only, rules


@pytest.fixture
def mem() -> PlainWorkspace:
    return PlainWorkspace()


def test_wastewater_parts_against_discharge_at_the_rounding_edge() -> None:
    # Two parts printed to 2 decimals: tolerance 2 × 0.005 = 0.01 t.
    sums = {
        2024: activity(("SZ1", "water.discharge", 150.01, "t")),  # off by 0.01: within rounding
        2025: activity(("SZ1", "water.discharge", 150.02, "t")),  # off by 0.02: beyond it
    }
    stored = [
        part
        for year in (2024, 2025)
        for part in (
            typed("wastewater.industrial", "100.00", "t", year),
            typed("wastewater.domestic", "50.00", "t", year),
        )
    ]
    assert only(check(2024, stored, sums=sums, claims={}), "sum.wastewater_volumes") == []
    found = only(check(2025, stored, sums=sums, claims={}), "sum.wastewater_volumes")
    assert len(found) == 1
    f = found[0]
    assert (f.severity, f.entity, f.year) == ("error", None, 2025)
    assert f.metrics == ["water.discharge.total", "wastewater.industrial", "wastewater.domestic"]
    assert f.expected == pytest.approx(150.0) and f.found == pytest.approx(150.02)
    assert f.tolerance == pytest.approx(0.01)
    assert "150.00 t" in f.explanation and "150.02 t" in f.explanation


def test_a_breakdown_that_does_not_add_up_and_a_member_above_the_whole() -> None:
    def by(dim: str, member: str, value: int) -> KpiRow:
        return typed("workforce.headcount", value, "person", **{dim: member})

    stored = [
        typed("workforce.headcount", 100, "person"),
        by("gender", "male", 60),
        by("gender", "female", 39),
        by("gender", "unknown", 1),  # 100: adds up
        *[by("age_band", m, v) for m, v in [("18-30", 50), ("31-40", 30), ("41-50", 10)]],
        by("age_band", "above_50", 5),
        by("age_band", "unknown", 1),  # 96: 4 short, beyond 6 × 0.5 (five parts and the total)
        *[by("position", m, v) for m, v in [("front_line", 80), ("middle_management", 15)]],
        by("position", "senior_management", 4),
        by("position", "unknown", 3),  # 102: 2 over, within 6 × 0.5 (integers printed)
        by("region", "chinese_mainland", 120),  # one member above the workforce
        by("region", "outside_chinese_mainland", 0),
        by("region", "unknown", 0),
    ]
    findings = check(2025, stored, claims={})
    assert rules(findings) == ["part.breakdown", "sum.breakdown", "sum.breakdown"]
    sums = {f.dims["dimension"]: f for f in only(findings, "sum.breakdown")}
    assert set(sums) == {"age_band", "region"}
    age = sums["age_band"]
    assert (age.severity, age.metrics, age.entity) == ("error", ["workforce.headcount"], None)
    assert (age.expected, age.found, age.tolerance) == (96.0, 100.0, 3.0)
    assert age.details["members"]["unknown"] == 1.0
    (part,) = only(findings, "part.breakdown")
    assert part.dims == {"region": "chinese_mainland"}
    assert (part.expected, part.found) == (100.0, 120.0)


def test_entity_values_against_the_group_value() -> None:
    stored = [
        typed("workforce.headcount", 100, "person", 2024),
        typed("workforce.headcount", 60, "person", 2024, entity="SZ1"),
        typed("workforce.headcount", 40, "person", 2024, entity="WH1"),
        typed("workforce.headcount", 100, "person", 2025),
        typed("workforce.headcount", 60, "person", 2025, entity="SZ1"),
        typed("workforce.headcount", 30, "person", 2025, entity="WH1"),
    ]
    assert only(check(2024, stored, claims={}), "sum.entities") == []
    (f,) = only(check(2025, stored, claims={}), "sum.entities")
    assert (f.severity, f.metrics, f.expected, f.found) == (
        "error",
        ["workforce.headcount"],
        90.0,
        100.0,
    )
    assert f.details["entities"] == ["SZ1", "WH1"]


def test_a_clean_dataset_has_no_findings(mem: PlainWorkspace) -> None:
    mem.boundary("2025-ghg", 2025, "energy_ghg", "SZ1", "WH1")
    mem.boundary("2025-env", 2025, "environment", "SZ1", "WH1")
    mem.activities(
        [
            ("SZ1", 2025, "electricity.purchased", 1200, "MWh"),
            ("WH1", 2025, "electricity.purchased", 800, "MWh"),
            ("SZ1", 2025, "certificate.renewable_electricity", 300, "MWh"),
            ("SZ1", 2025, "fuel.diesel", 12.5, "t", "mobile"),
            ("WH1", 2025, "fuel.diesel", 3.2, "t", "stationary"),  # (metered gas: see calc)
            ("SZ1", 2025, "water.municipal", 5000, "t"),
            ("WH1", 2025, "water.municipal", 3000, "t"),
            ("SZ1", 2025, "water.discharge", 4000, "t"),
            ("WH1", 2025, "water.discharge", 2000, "t"),
        ]
    )
    mem.calc(2025)
    mem.kpis(
        kpi("economy.revenue", "1000.00", "RMB million"),
        kpi("wastewater.industrial", "2500.00", "t"),
        kpi("wastewater.domestic", "3500.00", "t"),
        kpi("wastewater.tn", "0.09", "t"),
        kpi("wastewater.nh3_n", "0.04", "t"),
        kpi("wastewater.cod", "0.35", "t"),
        kpi("wastewater.bod", "0.12", "t"),
        kpi("workforce.headcount", 100, "person"),
        kpi("workforce.headcount", 100, "person", gender="male"),
        kpi("workforce.headcount", 0, "person", gender="female"),
        kpi("workforce.headcount", 0, "person", gender="unknown"),
    )
    assert mem.check(2025, claims={}) == []
    table = mem.table(2025)
    assert table[("energy.indirect", "")].value == pytest.approx(2000 * 0.1229)
