"""Purchased heat, steam and cooling in energy and both Scope 2 methods (issue #15), each
value computed by hand from the cited factor (catalog/data/factors, shared/data SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.calc.workspace import ENTITIES, Calc, calc_runner, year_row
from tests.conftest import Cli
from tests.factories import write_csv

SITES = [
    *ENTITIES,
    ["UK1", "Reading design office", "GRP", "GB", "", "legal_entity"],
    ["US1", "Austin lab", "GRP", "US", "", "legal_entity"],
]
GJ_PER_MMBTU = 1.055056  # pint's British thermal unit, 1055.056 J
KCE_PER_GJ = 0.03412  # GB/T 2589-2020 Appendix A, heat (equivalent value), kgce/MJ = tce/GJ
AR5 = {"CH4-fossil": 28, "CH4": 28, "N2O": 265}
NO_COP = "no cited factor for purchased cooling"


@pytest.fixture
def calc(cli: Cli, tmp_path: Path) -> Calc:
    return calc_runner(cli, tmp_path, SITES)


def test_district_heat_in_the_uk_uses_desnz_2025(calc) -> None:
    out = calc([year_row("UK1", "heat.purchased", 1000, "GJ")])
    assert out["unresolved"] == []
    kwh = 1000 * 1e6 / 3600  # 1 GJ = 277.78 kWh
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(kwh * 0.17529 / 1000, rel=1e-12)
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(48.69, abs=0.01)
    assert out["totals"]["scope2_market_tco2e"] == out["totals"]["scope2_location_tco2e"]
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(1000 * KCE_PER_GJ, rel=1e-12)
    assert "desnz-2025-heat" in out["editions"]


def test_steam_in_the_us_uses_epa_table_7_per_gas(calc) -> None:
    out = calc([year_row("US1", "steam.purchased", 1000, "GJ")], "--gwp", "AR5")
    assert out["unresolved"] == []
    mmbtu = 1000 / GJ_PER_MMBTU
    co2, ch4, n2o = mmbtu * 66.33 / 1e3, mmbtu * 1.25 / 1e6, mmbtu * 0.125 / 1e6
    assert out["by_gas"]["scope2_location:CO2"] == pytest.approx(co2, rel=1e-9)
    assert out["by_gas"]["scope2_location:CH4"] == pytest.approx(ch4, rel=1e-9)
    assert out["by_gas"]["scope2_location:N2O"] == pytest.approx(n2o, rel=1e-9)
    assert co2 == pytest.approx(62.87, abs=0.01)
    expected = co2 + ch4 * AR5["CH4-fossil"] + n2o * AR5["N2O"]
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(expected, rel=1e-9)
    assert out["totals"]["scope2_market_tco2e"] == pytest.approx(expected, rel=1e-9)


def test_co2_only_profile_takes_only_the_co2_of_epa_steam(calc) -> None:
    out = calc([year_row("US1", "steam.purchased", 1000, "GJ")], "--profile", "cn-report")
    assert set(out["by_gas"]) == {"scope2_location:CO2", "scope2_market:CO2"}
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(
        1000 / GJ_PER_MMBTU * 66.33 / 1e3, rel=1e-9
    )


def test_steam_in_china_by_heat_content(calc) -> None:
    out = calc([year_row("SZ", "steam.purchased", 500, "GJ")])
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(500 * 0.11, rel=1e-12)
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(500 * KCE_PER_GJ, rel=1e-12)
    assert out["unresolved"] == []


def test_steam_by_mass_is_unresolved_and_says_why(calc) -> None:
    out = calc([year_row("SZ", "steam.purchased", 100, "t")], "--allow-incomplete")
    reasons = {u["quantity"]: u["reason"] for u in out["unresolved"]}
    assert set(reasons) == {"energy_indirect", "scope2_location", "scope2_market"}
    assert all("steam by mass needs its heat content" in r for r in reasons.values())
    assert all("report the GJ the supplier's statement gives" in r for r in reasons.values())
    assert out["incomplete"] is True or out["unresolved_rows"] == 3


def test_heat_where_no_set_has_a_factor_stays_unresolved(calc) -> None:
    out = calc([year_row("VN1", "heat.purchased", 10, "GJ")], "--allow-incomplete")
    quantities = {u["quantity"] for u in out["unresolved"]}
    assert quantities == {"scope2_location", "scope2_market"}


def test_cooling_without_a_cited_cop_is_unresolved(calc) -> None:
    out = calc([year_row("SZ", "cooling.purchased", 1000, "MWh")], "--allow-incomplete")
    reasons = {u["quantity"]: u["reason"] for u in out["unresolved"]}
    assert set(reasons) == {"energy_indirect", "scope2_location", "scope2_market"}
    assert all(r.startswith(NO_COP) and "fuel_parameter cop" in r for r in reasons.values())


def _import_cop(cli: Cli, tmp_path: Path, value: object, unit: str, *, expect: int = 0) -> str:
    path = write_csv(
        tmp_path / f"cop-{value}.csv",
        ["kind", "activity", "parameter", "region", "value", "unit"],
        [["fuel_parameter", "cooling.purchased", "cop", "CN-GD", value, unit]],
    )
    return cli(
        "factors", "import", str(path), "--edition", f"acme-cop-{value}", "--series",
        "user.acme_cooling", "--publisher", "Acme District Cooling", "--title",
        "Annual statement", "--citation", "Acme annual statement 2024, plant COP",
        expect=expect,
    ).output  # fmt: skip


def test_cooling_as_electricity_at_the_suppliers_cop(calc, cli: Cli, tmp_path: Path) -> None:
    _import_cop(cli, tmp_path, 4, "dimensionless")
    out = calc([year_row("SZ", "cooling.purchased", 1000, "MWh")])
    assert out["unresolved"] == []
    electricity_mwh = 1000 / 4
    # GB/T 2589-2020 electricity, equivalent value 0.1229 kgce/kWh
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(electricity_mwh * 0.1229)
    south_2022 = 0.3869  # MEE/NBS 2022 southern grid: the latest published by 2025-04-30
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(electricity_mwh * south_2022)
    assert out["totals"]["scope2_market_tco2e"] == pytest.approx(electricity_mwh * south_2022)
    assert "acme-cop-4" in out["editions"]


def test_cooling_cop_must_be_a_pure_number(cli: Cli, tmp_path: Path) -> None:
    calc_runner(cli, tmp_path, SITES)
    output = _import_cop(cli, tmp_path, 4, "kg", expect=2)
    assert "row 2, column 'unit': cop must be a pure number" in output


def test_fuel_by_heat_content_uses_the_kgce_definition(calc) -> None:
    out = calc([year_row("VN1", "fuel.natural_gas", 100, "GJ", "stationary")])
    assert out["unresolved"] == []
    # GB/T 2589-2020: 1 kgce = 29,307 kJ (LHV), i.e. 0.03412 kgce/MJ
    assert out["totals"]["energy_direct_tce"] == pytest.approx(100 * KCE_PER_GJ, rel=1e-12)
    # IPCC 2006 Vol. 2 Table 2.3: 56,100 kg CO2/TJ
    assert out["by_gas"]["scope1:CO2"] == pytest.approx(100 * 56100 / 1e6, rel=1e-12)
