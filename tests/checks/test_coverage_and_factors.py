"""Boundary members without data (class 7/14), implied and changed factors, editions and
method options (class 5), and content-index claims without data (class 8)."""

from __future__ import annotations

import pytest

from esgledger.errors import InvalidInput
from esgledger.ledger.factors import EditionMeta
from tests.checks.plain import PlainWorkspace
from tests.checks.workspace import kpi, only, rules


@pytest.fixture
def mem() -> PlainWorkspace:
    """What is typed kept in memory: the rules on plain inputs (:mod:`tests.checks.plain`)."""
    return PlainWorkspace()


def test_boundary_members_without_activity_data(mem: PlainWorkspace) -> None:
    # HQ (a park) has no records of its own, but its site SZ1 does: HQ is covered.
    mem.boundary("2025-env", 2025, "environment", "HQ", "WH1", "VN1")
    mem.activities(
        [
            ("SZ1", 2025, "water.municipal", 100, "t"),
            ("WH1", 2025, "waste.hazardous", 2, "t"),
            ("VN1", 2025, "electricity.purchased", 50, "MWh"),  # energy, not environment
        ]
    )
    findings = mem.check(2025, claims={})
    assert rules(findings) == ["coverage.no_activity"]
    (f,) = findings
    assert (f.severity, f.entity, f.year, f.dims) == (
        "warning",
        "VN1",
        2025,
        {"boundary": "2025-env"},
    )
    assert (f.expected, f.found) == ("water, waste records", "none")


def test_members_without_values_of_a_summed_reported_metric(mem: PlainWorkspace) -> None:
    mem.boundary("2025-env", 2025, "environment", "SZ1", "WH1")
    mem.activities([(e, 2025, "water.discharge", 10, "t") for e in ("SZ1", "WH1")])
    mem.kpis(kpi("wastewater.cod", "1.50", "t", entity="SZ1"))
    (f,) = mem.check(2025, claims={})
    assert (f.rule, f.severity, f.metrics, f.entity) == (
        "coverage.kpi_members",
        "warning",
        ["wastewater.cod"],
        None,
    )
    assert (f.expected, f.found, f.details["missing"]) == (2, 1, ["WH1"])


def _measured_gas_edition(mem: PlainWorkspace, value: float) -> None:
    """A user edition of the GB/T 2589 series with a measured natural-gas coefficient."""
    meta = EditionMeta(
        edition="measured-gas-2023",
        series="cn.gbt2589",
        publisher="Site laboratory",
        title="Measured heating value of the natural gas supply",
        citation="Lab report 2023-17",
    )
    mem.edition(
        ["kind", "activity", "parameter", "region", "value", "unit"],
        [["energy_coefficient", "fuel.natural_gas", "coef", "CN", value, "kgce/m3"]],
        meta,
    )


def test_implied_factors_editions_and_options_between_years(mem: PlainWorkspace) -> None:
    """On runs computed in memory (:mod:`tests.kpi.plain_runs`, #20)."""
    mem.activities([("SZ1", y, "fuel.natural_gas", 10, "10^4 m3") for y in (2023, 2024, 2025)])
    _measured_gas_edition(mem, 1.40)  # outside the standard's 1.1000-1.3300 kgce/m3
    mem.calc(2023, "cn.gbt2589=measured-gas-2023")
    mem.calc(2024, "cn.gbt2589=gbt2589-2020")  # user editions come first unless pinned
    mem.calc(2025, "cn.gbt2589=gbt2589-2020", gwp="AR6")

    def check(year: int) -> list:
        # Scope 1 of gas metered in m3 may be unresolved (calc.incomplete, tested on its own).
        return [f for f in mem.check(year, claims={}) if f.rule != "calc.incomplete"]

    (outside,) = check(2023)
    assert (outside.rule, outside.severity, outside.dims) == (
        "factor.nonstandard",
        "warning",
        {"factor": "natural_gas_tce"},
    )
    assert (outside.expected, outside.found, outside.unit) == ("1.1000–1.3300", 1.4, "kgce/m3")

    by_rule = {f.rule: f for f in check(2024)}
    assert set(by_rule) == {"factor.changed", "factor.edition_changed"}
    changed = by_rule["factor.changed"]
    assert changed.metrics == ["energy.direct", "energy.fuel.natural_gas"]
    assert changed.expected == pytest.approx(1.4) and changed.found == pytest.approx(1.1)
    edition = by_rule["factor.edition_changed"]
    assert edition.dims == {"series": "cn.gbt2589"}
    assert (edition.expected, edition.found) == ("measured-gas-2023", "gbt2589-2020")

    (method,) = check(2025)  # same coefficient; the GWP set changed
    assert (method.rule, method.dims, method.expected, method.found) == (
        "factor.method_changed",
        {"option": "gwp"},
        "AR5",
        "AR6",
    )


def test_an_electricity_to_tce_ratio_that_is_not_the_standard(mem: PlainWorkspace) -> None:
    mem.activities([("SZ1", 2025, "electricity.purchased", 1000, "MWh")])
    mem.kpis(kpi("energy.indirect", "300.00", "tce"))  # no run: the reported figure counts
    findings = mem.check(2025, claims={})
    assert rules(findings) == ["factor.nonstandard", "identity.indirect_energy"]
    (f,) = only(findings, "factor.nonstandard")
    assert (f.severity, f.expected, f.found, f.unit) == ("warning", 0.1229, 0.3, "kgce/kWh")


def test_disclosures_claimed_without_data(mem: PlainWorkspace) -> None:
    claims = {
        "GRI 403-9": ["ohs.fatalities", "ohs.serious_injuries"],
        "GRI 2-7": ["workforce.headcount"],
        "GRI 302-1": ["energy.total"],
    }
    mem.kpis(kpi("workforce.headcount", 100, "person"), kpi("ohs.fatalities", "/", "case"))
    findings = mem.check(2025, claims=claims)
    assert rules(findings) == ["index.no_data", "index.no_data", "missing.value"]
    unanswered = {f.dims["disclosure"]: f for f in only(findings, "index.no_data")}
    assert set(unanswered) == {"GRI 403-9", "GRI 302-1"}  # energy: zero without records
    assert unanswered["GRI 403-9"].metrics == ["ohs.fatalities", "ohs.serious_injuries"]
    assert unanswered["GRI 403-9"].severity == "warning"
    mem.kpis(kpi("ohs.serious_injuries", 0, "case"))
    remaining = only(mem.check(2025, claims=claims), "index.no_data")
    assert [f.dims["disclosure"] for f in remaining] == ["GRI 302-1"]
    # Without a content index, the catalog's GRI references are the claims.
    default = {f.dims["disclosure"] for f in only(mem.check(2025), "index.no_data")}
    assert "GRI 302-1" in default and "GRI 403-9" not in default and "GRI 2-7" not in default
    with pytest.raises(InvalidInput, match=r"unknown metrics: no\.such"):
        mem.check(2025, claims={"GRI 1": ["no.such"]})
