"""Hand-computed cases for each method (values from shared spec factors-cn.md §3–§6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.calc.workspace import Calc, calc_runner, year_row
from tests.conftest import Cli


@pytest.fixture
def calc(cli: Cli, tmp_path: Path) -> Calc:
    return calc_runner(cli, tmp_path)


def test_diesel_in_tonnes(calc) -> None:
    out = calc([year_row("SZ", "fuel.diesel", 100, "t", "stationary")])
    assert out["totals"]["energy_direct_tce"] == pytest.approx(145.71, abs=1e-9)
    # NDRC: 100 × 42.652 GJ/t × 20.20 tC/TJ × 98% × 44/12
    assert out["by_gas"]["scope1:CO2"] == pytest.approx(
        100 * 42.652 * 0.0202 * 0.98 * 44 / 12, rel=1e-12
    )
    assert out["by_gas"]["scope1:CO2"] == pytest.approx(309.59, abs=0.01)
    assert out["totals"]["scope1_tco2e"] > out["by_gas"]["scope1:CO2"], "CH4 and N2O add to CO2e"
    assert out["unresolved"] == []


def test_co2_only_profile_reproduces_report_practice(calc) -> None:
    out = calc([year_row("SZ", "fuel.diesel", 100, "t", "mobile")], "--profile", "cn-report")
    assert out["totals"]["scope1_tco2e"] == pytest.approx(309.59, abs=0.01)
    assert set(out["by_gas"]) == {"scope1:CO2"}


def test_natural_gas_in_ten_thousand_cubic_metres(calc) -> None:
    out = calc(
        [year_row("SZ", "fuel.natural_gas", 50, "10^4 m3", "", "normal")], "--profile", "cn-report"
    )
    assert out["totals"]["energy_direct_tce"] == pytest.approx(
        550.0, abs=1e-9
    )  # 1.1000 kgce/m3, low end
    assert out["totals"]["scope1_tco2e"] == pytest.approx(
        50 * 389.31 * 0.0153 * 0.99 * 44 / 12, rel=1e-12
    )
    assert out["totals"]["scope1_tco2e"] == pytest.approx(1081.1, abs=0.1)


def test_electricity_in_kwh_and_mwh(calc) -> None:
    out = calc(
        [
            ["SZ", "2024-01-01", "2024-06-30", "electricity.purchased", 1_000_000, "kWh", "", ""],
            ["SZ", "2024-07-01", "2024-12-31", "electricity.purchased", 1_000, "MWh", "", ""],
        ],
        "--profile",
        "cn-report",
    )
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(2 * 122.9, abs=1e-9)
    # the 2022 edition, the latest published by the cut-off 2025-04-30, national average: as a
    # FY2024 report applies it (factors-cn.md §2)
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(2000 * 0.5366, rel=1e-12)


def test_most_specific_region_and_certificates(calc) -> None:
    out = calc(
        [
            year_row("SZ", "electricity.purchased", 1000, "MWh"),
            year_row("SZ", "certificate.renewable_electricity", 200, "MWh"),
        ]
    )
    south_2022 = 0.3869  # the 2022 edition: the latest published by the cut-off 2025-04-30
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(1000 * south_2022, rel=1e-12)
    # a certificate without its attributes cannot show the Scope 2 Quality Criteria: it
    # covers nothing (test_instruments has the qualifying one covering 200 MWh)
    assert out["totals"]["scope2_market_tco2e"] == pytest.approx(1000 * south_2022, rel=1e-12)
    [rejected] = out["scope2_instruments"]["rejected"]
    assert [f["criterion"] for f in rejected["failed"]] == [1, 2, 3, 3, 4, 5]
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(122.9)


def test_onsite_solar_counts_as_energy_but_adds_no_scope2(calc) -> None:
    out = calc([year_row("SZ", "electricity.onsite_solar", 100, "MWh")])
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(12.29)
    assert out["totals"]["scope2_location_tco2e"] == 0.0
    assert out["totals"]["scope2_market_tco2e"] == 0.0
    assert out["unresolved"] == []


def test_province_with_its_own_factor_in_as_of_mode(calc) -> None:
    out = calc([year_row("CD", "electricity.purchased", 1000, "MWh")], "--as-of", "2025-03-01")
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(
        1000 * 0.1404, rel=1e-12
    )  # Sichuan 2022
    assert "mee-grid-2022" in out["editions"]


def test_as_of_before_later_editions(calc) -> None:
    out = calc(
        [year_row("SZ", "electricity.purchased", 1000, "MWh")],
        "--as-of",
        "2024-06-01",
        "--profile",
        "cn-report",
    )
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(
        556.8, rel=1e-12
    )  # only 2021 published


def test_pinned_edition(calc) -> None:
    out = calc(
        [year_row("SZ", "electricity.purchased", 1000, "MWh")],
        "--pin",
        "cn.mee_grid=mee-grid-2022",
        "--profile",
        "cn-report",
    )
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(536.6, rel=1e-12)
    assert list(out["editions"]) == ["gbt2589-2020", "mee-grid-2022"]


def test_missing_factor_is_listed_and_strict_fails(calc, cli: Cli) -> None:
    out = calc(
        [year_row("VN1", "heat.purchased", 500, "GJ"), year_row("SZ", "fuel.diesel", 1, "t")],
        "--allow-incomplete",
    )
    reasons = {(u["activity"], u["quantity"]): u for u in out["unresolved"]}
    assert reasons[("heat.purchased", "scope2_location")]["entities"] == ["VN1"]
    assert (
        reasons[("heat.purchased", "scope2_location")]["reason"]
        == "no grid emission factor for heat.purchased in VN"
    )
    assert out["unresolved_rows"] == 2  # heat abroad: no location or market factor
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(500 * 1000 * 0.03412 / 1000)
    assert out["totals"]["energy_direct_tce"] == pytest.approx(1.4571)
    runs_before = json.loads(cli("calc", "runs", "--json").stdout)
    failed = calc([], "--strict", expect=2)
    assert "--strict: 2 activity results unresolved; no run was stored" in failed["output"]
    assert (
        "heat.purchased (scope2_location): no grid emission factor for heat.purchased in VN — 1 rows"
        in failed["output"]
    )
    assert json.loads(cli("calc", "runs", "--json").stdout) == runs_before


def test_bad_options(cli: Cli) -> None:
    for args, message in [
        (["--gwp", "AR9"], "unknown GWP set 'AR9'"),
        (["--pin", "nonsense"], "must look like SERIES=EDITION"),
        (["--pin", "cn.mee_grid=mee-grid-1999"], "unknown edition"),
        (["--as-of", "yesterday"], "is not a date"),
        (["--profile", "magic"], "unknown profile 'magic'"),
    ]:
        assert message in cli("calc", "--year", "2024", *args, expect=2).output


def test_site_abroad_uses_standard_coal_coefficients_and_national_grid(calc) -> None:
    out = calc(
        [
            year_row("VN1", "fuel.diesel", 10, "t", "mobile"),
            year_row("VN1", "electricity.purchased", 1000, "MWh"),
        ]
    )
    assert out["totals"]["energy_direct_tce"] == pytest.approx(14.571)
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(122.9)
    # IPCC 2006: NCV 43.0 GJ/t (Table 1.2) × 74,100 kg CO2/TJ (Table 3.2.1)
    assert out["by_gas"]["scope1:CO2"] == pytest.approx(10 * 43.0 * 74100 / 1e6, rel=1e-12)
    assert "scope2_location:CO2e" in out["by_gas"]  # life-cycle national factor
    assert out["unresolved"] == []


def test_purchased_heat_in_china(calc) -> None:
    out = calc([year_row("SZ", "heat.purchased", 1000, "GJ")])
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(34.12)
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(110.0)
    assert out["totals"]["scope2_market_tco2e"] == pytest.approx(110.0)


def test_refrigerant_blend_by_gas(calc) -> None:
    out = calc([year_row("SZ", "refrigerant.r410a", 10, "kg")], "--gwp", "AR5")
    assert out["by_gas"]["scope1:HFC-32"] == pytest.approx(0.005)
    assert out["by_gas"]["scope1:HFC-125"] == pytest.approx(0.005)
    assert out["totals"]["scope1_tco2e"] == pytest.approx(0.005 * 677 + 0.005 * 3170)
