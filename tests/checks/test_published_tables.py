"""Issue #11 findings 2 and 4: a published three-year table typed in as printed — totals
and intensities included — is checked within the rounding its printed precision implies:
real defects are found, rounding is not a finding."""

from __future__ import annotations

import pytest

from tests.checks.plain import PlainWorkspace as Workspace
from tests.checks.workspace import kpi, only, rules


@pytest.fixture
def ws() -> Workspace:
    """The typed tables in memory: the rules on plain inputs (:mod:`tests.checks.plain`)."""
    return Workspace()


def printed(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def published_year(year: int, scale: float) -> dict[str, tuple[str, str]]:
    """One year of a published-style appendix: parts with their decimals, totals and
    intensities computed from the printed parts and printed to their own decimals."""
    revenue = round(12345.67 * scale, 2)
    fuels = {"gasoline": 310.25 * scale, "diesel": 96.4 * scale, "natural_gas": 38.17 * scale}
    electricity = round(105643.3 * scale, 1)
    direct = round(2049.37 * scale, 2)
    indirect = round(electricity * 0.1229, 1)  # kgce/kWh = tce/MWh, GB/T 2589 equivalent value
    energy = round(direct + indirect, 1)
    scope1, scope2 = round(3456.78 * scale, 2), round(64321.4 * scale, 1)
    ghg = round(scope1 + scope2, 1)
    water = {
        "municipal": round(45320.84 * scale, 2),
        "groundwater": round(1203.46 * scale, 2),
        "surface": round(86.93 * scale, 2),
    }
    withdrawal = round(sum(water.values()), 1)
    discharge = round(38000.5 * scale, 1)
    return {
        "economy.revenue": (printed(revenue, 2), "RMB million"),
        **{
            f"energy.fuel.{k}": (printed(v, 2), "t") for k, v in fuels.items() if k != "natural_gas"
        },
        "energy.fuel.natural_gas": (printed(fuels["natural_gas"], 2), "10^4 m3"),
        "energy.electricity.purchased": (printed(electricity, 1), "MWh"),
        "energy.direct": (printed(direct, 2), "tce"),
        "energy.indirect": (printed(indirect, 1), "tce"),
        "energy.total": (printed(energy, 1), "tce"),
        "energy.intensity": (printed((direct + indirect) / revenue, 4), "tce/(RMB million)"),
        "ghg.scope1": (printed(scope1, 2), "tCO2e"),
        "ghg.scope2_market": (printed(scope2, 1), "tCO2e"),
        "ghg.total": (printed(ghg, 1), "tCO2e"),
        "ghg.intensity": (printed((scope1 + scope2) / revenue, 2), "tCO2e/(RMB million)"),
        **{f"water.withdrawal.{k}": (printed(v, 2), "t") for k, v in water.items()},
        "water.withdrawal.total": (printed(withdrawal, 1), "t"),
        "water.discharge.total": (printed(discharge, 1), "t"),
        "water.consumption": (printed(sum(water.values()) - discharge, 1), "t"),
        "water.intensity": (printed(sum(water.values()) / revenue, 3), "t/(RMB million)"),
    }


def type_in(ws: Workspace, tables: dict[int, dict[str, tuple[str, str]]]) -> None:
    ws.kpis(
        *[
            kpi(metric, value, unit, year)
            for year, table in tables.items()
            for metric, (value, unit) in table.items()
        ]
    )


def test_a_consistent_published_table_has_no_findings(ws: Workspace) -> None:
    type_in(ws, {2023: published_year(2023, 0.93), 2024: published_year(2024, 0.97)})
    type_in(ws, {2025: published_year(2025, 1.0)})
    for year in (2023, 2024, 2025):
        assert ws.check(year, claims={}) == [], year


def test_the_two_planted_defects_of_a_published_table_are_found(ws: Workspace) -> None:
    tables = {y: published_year(y, s) for y, s in ((2023, 0.93), (2024, 0.97), (2025, 1.0))}
    tables[2025]["water.withdrawal.total"] = ("47,611.2", "t")  # 1,000 t more than its sources
    tables[2025]["ghg.intensity"] = ("5.81", "tCO2e/(RMB million)")  # not total / revenue
    type_in(ws, tables)
    assert ws.check(2023, claims={}) == [] and ws.check(2024, claims={}) == []
    findings = ws.check(2025, claims={})
    assert rules(findings) == ["ratio.ghg_intensity", "sum.water_withdrawal"]
    (water,) = only(findings, "sum.water_withdrawal")
    assert water.found == 47611.2 and water.expected == pytest.approx(46611.23)
    assert water.tolerance == pytest.approx(0.05 + 3 * 0.005)  # the total's and three parts'
    assert water.details["times_tolerance"] == pytest.approx(999.97 / 0.065, rel=1e-3)
    assert "The difference is 999.970 t, 15,384.2 × the ±0.065 t" in water.explanation
    (ratio,) = only(findings, "ratio.ghg_intensity")
    assert ratio.found == 5.81 and ratio.expected == pytest.approx(67778.18 / 12345.67)


def test_an_approximate_published_total_is_not_checked_exactly(ws: Workspace) -> None:
    ws.kpis(
        kpi("ghg.scope1", "1,000.00", "tCO2e"),
        kpi("ghg.scope2_market", "2,000.00", "tCO2e"),
        kpi("ghg.total", "3,100", "tCO2e", qualifier="approximately"),
    )
    assert only(ws.check(2025, claims={}), "sum.ghg_total") == []
    ws.kpis(kpi("ghg.total", "3,100", "tCO2e", restatement_reason="exact figure"))
    assert len(only(ws.check(2025, claims={}), "sum.ghg_total")) == 1


def test_indirect_energy_printed_from_rounded_electricity_is_not_an_error(
    ws: Workspace,
) -> None:
    """The issue's example: 105,643.3 MWh × 0.1229 = 12,983.56, printed as 12,983.6."""
    ws.kpis(
        kpi("energy.electricity.purchased", "105,643.3", "MWh"),
        kpi("energy.indirect", "12,983.6", "tce"),
        kpi("energy.electricity.purchased", "105,643.3", "MWh", 2024),
        kpi("energy.indirect", "12,984.6", "tce", 2024),  # a typo: 1 tce off
    )
    assert only(ws.check(2025, claims={}), "identity.indirect_energy") == []
    (typo,) = only(ws.check(2024, claims={}), "identity.indirect_energy")
    assert typo.tolerance == pytest.approx(0.05 + 0.05 * 0.1229)
    assert "× the ±0.056 tce that rounding of the printed figures allows" in typo.explanation


def test_the_tolerance_follows_each_figure_s_printed_decimals(ws: Workspace) -> None:
    """The same 0.3 gap is rounding for a total printed to integers, an error at 2 decimals."""
    ws.kpis(
        kpi("ghg.scope1", "1,000", "tCO2e", 2024),
        kpi("ghg.scope2_market", "2,000", "tCO2e", 2024),
        kpi("ghg.total", "3,000.3", "tCO2e", 2024),  # within ±(0.05 + 0.5 + 0.5)
        kpi("ghg.scope1", "1,000.00", "tCO2e"),
        kpi("ghg.scope2_market", "2,000.00", "tCO2e"),
        kpi("ghg.total", "3,000.30", "tCO2e"),  # beyond ±(0.005 × 3)
    )
    assert only(ws.check(2024, claims={}), "sum.ghg_total") == []
    (f,) = only(ws.check(2025, claims={}), "sum.ghg_total")
    assert f.tolerance == pytest.approx(0.015)


def test_a_reported_figure_against_the_one_recomputed_from_activity_data(
    ws: Workspace,
) -> None:
    ws.activities([("SZ1", 2025, "fuel.diesel", 120.004, "t")])
    ws.kpis(kpi("energy.fuel.diesel", "120.0", "t"))  # printed to 1 decimal: ±0.05
    assert only(ws.check(2025, claims={}), "duplicate.values") == []
    ws.activities([("SZ1", 2024, "fuel.diesel", 120.2, "t")])
    ws.kpis(kpi("energy.fuel.diesel", "120.0", "t", 2024))
    (f,) = only(ws.check(2024, claims={}), "duplicate.values")
    assert (f.expected, f.found, f.tolerance) == (120.2, 120.0, 0.05)
    assert "4.0 × the ±0.050 t" in f.explanation
