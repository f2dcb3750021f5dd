"""Issue #15: each Scope 3 method against values computed by hand from the shipped, cited
factors (EPA supply-chain factors v1.3 and DESNZ 2025, values quoted in their SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.calc.scope3.workspace import Scope3Calc, row, scope3_runner
from tests.conftest import Cli

# EPA v1.3 NAICS 327310 Cement Manufacturing, SEF+MEF (About-v1.3 Table 2): kg CO2e / 2022 USD
CEMENT = 3.924
# DESNZ 2025 flat file: flights long-haul premium economy with RF (ID 21_316_3172_11_1),
# HGV all diesel all HGVs average laden (27_304_3140_14_1), commercial and industrial waste
# to landfill (20_507_5313_15_1), UK T&D losses (13_402_4000_5_1); WTT of UK electricity
# generation and of its T&D losses (15_917_4000_5_1, 15_918_4000_5_1)
FLIGHT, HGV, LANDFILL, TD, WTT_GEN, WTT_TD = 0.18726, 0.10163, 520.5327, 0.01853, 0.0459, 0.00397
# DESNZ 2025 WTT- fuels, diesel (100% mineral diesel), kg CO2e per tonne (11_101_1012_15_1)
WTT_DIESEL_T = 752.0276
# DESNZ 2025 WTT- fuels, natural gas, kg CO2e per kWh of net calorific value (11_100_1004_7_1)
WTT_GAS_KWH_NET_CV = 0.03347


@pytest.fixture
def calc(cli: Cli, tmp_path: Path) -> Scope3Calc:
    return scope3_runner(cli, tmp_path)


def test_spend_based_in_the_factors_dollars(calc: Scope3Calc) -> None:
    out = calc([row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310")], 2022)
    cat1 = out["scope3"]["by_category"]["cat1"]
    assert cat1["tco2e"] == pytest.approx(1000 * CEMENT / 1000, rel=1e-12)
    assert (cat1["status"], cat1["method"], cat1["factor_editions"]) == (
        "calculated",
        "spend_based",
        ["epa-scf-v1.3"],
    )
    assert out["totals"]["scope3_tco2e"] == pytest.approx(3.924, rel=1e-12)
    assert "epa-scf-v1.3" in out["editions"]


def test_capital_goods_use_the_same_factors_in_category_2(calc: Scope3Calc) -> None:
    out = calc([row("SZ", 2022, "spend.capital_goods", 500, "USD", naics="327310")], 2022)
    by = out["scope3"]["by_category"]
    assert by["cat2"]["tco2e"] == pytest.approx(500 * CEMENT / 1000, rel=1e-12)
    assert by["cat1"]["tco2e"] is None and by["cat1"]["status"] == "not_available"


def test_supplier_data_overrides_the_spend_factor_with_both_shown(calc: Scope3Calc) -> None:
    rows = [
        row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310",
            supplier_kgco2e="1500"),
        row("SZ", 2022, "spend.purchased_goods", 200, "USD", naics="327310"),
    ]  # fmt: skip
    cat1 = calc(rows, 2022)["scope3"]["by_category"]["cat1"]
    assert cat1["method"] == "hybrid"  # supplier data for one line, spend for the other
    assert cat1["tco2e"] == pytest.approx(1.5 + 200 * CEMENT / 1000, rel=1e-12)
    methods = cat1["methods"]
    assert methods["supplier_specific"]["tco2e"] == pytest.approx(1.5)
    assert methods["supplier_specific"]["used_rows"] == 1
    # the spend factor on both lines, side by side; used for one
    assert methods["spend_based"]["tco2e"] == pytest.approx(1200 * CEMENT / 1000, rel=1e-12)
    assert (methods["spend_based"]["rows"], methods["spend_based"]["used_rows"]) == (2, 1)


def test_spend_in_another_currency_without_a_cited_rate_is_unresolved(calc: Scope3Calc) -> None:
    rows = [row("SZ", 2022, "spend.purchased_goods", 7000, "RMB", naics="327310")]
    out = calc(rows, 2022, expect=1)
    cat1 = out["scope3"]["by_category"]["cat1"]
    assert (cat1["tco2e"], cat1["status"], cat1["unresolved_rows"]) == (None, "not_available", 1)
    [issue] = out["unresolved"]
    assert issue["quantity"] == "scope3"
    assert "no cited CNY→USD exchange rate for 2022" in issue["reason"]
    assert out["incomplete"] is True and "scope3_tco2e" in out["incomplete_figures"]
    assert out["scope3"]["incomplete"] is True


def test_spend_of_another_year_needs_a_cited_price_index(calc: Scope3Calc) -> None:
    rows = [row("SZ", 2025, "spend.purchased_goods", 1000, "USD", naics="327310")]
    [issue] = calc(rows, 2025, "--allow-incomplete")["unresolved"]
    assert "no cited US price index for 2025 and 2022" in issue["reason"]


def test_a_spend_line_stated_in_the_factors_price_year_needs_no_index(calc: Scope3Calc) -> None:
    rows = [
        row("SZ", 2025, "spend.purchased_goods", 1000, "USD", naics="327310", price_year="2022")
    ]
    out = calc(rows, 2025)
    cat1 = out["scope3"]["by_category"]["cat1"]
    assert cat1["tco2e"] == pytest.approx(1000 * CEMENT / 1000, rel=1e-12)
    assert (cat1["status"], cat1["incomplete"], out["unresolved"]) == ("calculated", False, [])
    # a line in 2025 prices still needs the index: the column is not a way around it
    rows = [
        row("SZ", 2024, "spend.purchased_goods", 1000, "USD", naics="327310", price_year="2024")
    ]
    [issue] = calc(rows, 2024, "--allow-incomplete")["unresolved"]
    assert "no cited US price index for 2024 and 2022" in issue["reason"]


def test_a_spend_line_without_its_commodity_code_says_so(calc: Scope3Calc) -> None:
    rows = [row("SZ", 2022, "spend.purchased_goods", 1000, "USD")]
    [issue] = calc(rows, 2022, "--allow-incomplete")["unresolved"]
    assert "need a 'naics' column" in issue["reason"]


def test_distance_and_waste_methods(calc: Scope3Calc) -> None:
    rows = [
        row("SZ", 2025, "travel.air", 10_000, "person*km",
            vehicle="long_haul_to_from_uk.premium_economy.with_rf"),
        row("SZ", 2025, "freight.road", 1000, "t*km",
            vehicle="hgv_all_diesel.all_hgvs.average_laden"),
        row("SZ", 2025, "freight.road", 3000, "t*km",
            vehicle="hgv_all_diesel.all_hgvs.average_laden", direction="downstream"),
        row("SZ", 2025, "waste.general_industrial", 10, "t", treatment="landfill"),
    ]  # fmt: skip
    out = calc(rows, 2025)
    by = out["scope3"]["by_category"]
    assert by["cat6"]["tco2e"] == pytest.approx(10_000 * FLIGHT / 1000, rel=1e-12)
    assert by["cat4"]["tco2e"] == pytest.approx(1000 * HGV / 1000, rel=1e-12)
    assert by["cat9"]["tco2e"] == pytest.approx(3000 * HGV / 1000, rel=1e-12)
    assert by["cat5"]["tco2e"] == pytest.approx(10 * LANDFILL / 1000, rel=1e-12)
    assert {by[c]["method"] for c in ("cat4", "cat6", "cat9")} == {"distance_based"}
    assert by["cat5"]["method"] == "waste_type"
    total = (10_000 * FLIGHT + 4000 * HGV + 10 * LANDFILL) / 1000
    assert out["totals"]["scope3_tco2e"] == pytest.approx(total, rel=1e-12)
    assert by["cat6"]["factor_editions"] == ["desnz-ghg-cf-2025"]


def test_fuel_and_energy_upstream_only_from_factors_of_the_sites_country(
    calc: Scope3Calc,
) -> None:
    rows = [
        row("UK1", 2025, "electricity.purchased", 1000, "kWh"),
        row("SZ", 2025, "electricity.purchased", 1000, "MWh"),
    ]
    out = calc(rows, 2025, "--allow-incomplete")
    cat3 = out["scope3"]["by_category"]["cat3"]
    assert cat3["tco2e"] == pytest.approx(1000 * (TD + WTT_GEN + WTT_TD) / 1000, rel=1e-12)
    # the Chinese site's electricity has no Chinese upstream factor: not a UK proxy, a gap
    assert cat3["unresolved_rows"] == 1 and cat3["incomplete"] is True
    assert any("for CN-GD" in r and "td_loss" in r for r in cat3["unresolved_reasons"])


def test_fuel_upstream_uses_the_desnz_well_to_tank_factor_as_a_flagged_proxy(
    calc: Scope3Calc, cli: Cli
) -> None:
    out = calc([row("SZ", 2025, "fuel.diesel", 10, "t")], 2025)
    cat3 = out["scope3"]["by_category"]["cat3"]
    assert cat3["tco2e"] == pytest.approx(10 * WTT_DIESEL_T / 1000, rel=1e-12)
    assert (cat3["status"], cat3["incomplete"], cat3["factor_editions"]) == (
        "calculated",
        False,
        ["desnz-ghg-cf-2025"],
    )
    run = str(out["run_id"])
    explained = cli("calc", "explain", "--run", run, "--metric", "ghg.scope3.cat3", "--json")
    assert "geographic_proxy" in explained.stdout


def test_natural_gas_upstream_per_kwh_net_cv_and_never_read_from_a_volume(
    calc: Scope3Calc,
) -> None:
    """DESNZ 2025 also prints natural gas well-to-tank per cubic metre (11_100_1004_1_1) but
    states no reference conditions for that cubic metre, so it is not shipped: gas given in
    m3 or Nm3 gets no category 3 figure (unresolved, with the unit in the reason), while gas
    given in energy takes the per-kWh net CV factor."""
    metered = row("SZ", 2025, "fuel.natural_gas", 1000, "m3")
    metered[1:3] = ["2025-01-01", "2025-06-30"]  # half a year: not a duplicate of the GJ row
    rows = [
        row("SZ", 2025, "fuel.natural_gas", 100, "GJ"),
        metered,
        row("UK1", 2025, "fuel.natural_gas", 1000, "Nm3"),
    ]
    cat3 = calc(rows, 2025, "--allow-incomplete")["scope3"]["by_category"]["cat3"]
    # 100 GJ = 100 000 / 3.6 kWh
    assert cat3["tco2e"] == pytest.approx(100_000 / 3.6 * WTT_GAS_KWH_NET_CV / 1000, rel=1e-12)
    assert cat3["unresolved_rows"] == 2 and cat3["incomplete"] is True
    reasons = cat3["unresolved_reasons"]
    assert any("fuel.natural_gas in m3 " in r for r in reasons), reasons
    assert any("fuel.natural_gas in Nm3 " in r for r in reasons), reasons


def test_every_category_is_listed_and_missing_ones_are_not_zero(calc: Scope3Calc) -> None:
    out = calc([row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310")], 2022)
    by = out["scope3"]["by_category"]
    assert set(by) == {f"cat{n}" for n in range(1, 16)}
    for key in (f"cat{n}" for n in range(2, 16)):
        assert by[key]["tco2e"] is None and by[key]["status"] == "not_available", key
        assert by[key]["reason"].startswith("not available"), key
