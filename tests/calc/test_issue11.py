"""Issue #11 finding 1: no figure silently dropped.

Natural gas in every printed volume spelling, metered or normal, lands in energy and Scope 1
under the profile's stated volume-basis assumption; a run with unresolved rows is flagged
incomplete and ``esg calc`` exits 1 unless ``--allow-incomplete``; every shipped edition either
computes when pinned or the pin is refused with the reason; gasoline CH4/N2O are never left out
without a word. Values from shared spec factors-cn.md §3, §4 and the shipped CSVs.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from esgledger.calc.coding import regions_for
from esgledger.calc.coefficients import Coefficient, CoefficientBuilder, Issue, Key
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import PROFILES
from esgledger.calc.resolve import Resolver
from esgledger.calc.runs import get_run
from esgledger.calc.scope3.methods import VARIANT_ATTRIBUTE
from esgledger.catalog import activity_types
from esgledger.catalog.factors import factor_editions, factors
from tests.calc.workspace import ENTITIES, HEADER, Calc, calc_runner, year_row
from tests.conftest import Cli
from tests.factories import ENTITY_HEADER, write_csv

# NDRC electronics guideline: 389.31 GJ/10^4 Nm3 × 15.30 tC/TJ × 99 % × 44/12 (factors-cn.md §4)
GAS_CO2_PER_10K = 389.31 * 0.0153 * 0.99 * 44 / 12


@pytest.fixture
def calc(cli: Cli, tmp_path: Path) -> Calc:
    return calc_runner(cli, tmp_path)


@pytest.mark.parametrize(
    ("quantity", "unit"),
    [
        (50, "10^4 m3"),
        (50, "10,000 cubic meters"),
        (50, "万m3"),
        (50, "万立方米"),
        (50, "10k m3"),
        (50, "10^4 Nm3"),
        (50, "万标准立方米"),
        (500_000, "Nm3"),
    ],
)
def test_natural_gas_as_printed_lands_in_energy_and_scope1(
    calc, quantity: float, unit: str
) -> None:
    out = calc([year_row("SZ", "fuel.natural_gas", quantity, unit)], "--profile", "cn-report")
    assert out["unresolved"] == [] and out["incomplete"] is False
    # GB/T 2589-2020 default low end 1.1000 kgce/m3: 50 × 10^4 m3 → 550.0 tce
    assert out["totals"]["energy_direct_tce"] == pytest.approx(550.0, rel=1e-12)
    assert out["totals"]["scope1_tco2e"] == pytest.approx(50 * GAS_CO2_PER_10K, rel=1e-12)


def test_volume_basis_assumption_is_flagged_and_explained(calc, cli: Cli) -> None:
    out = calc([year_row("SZ", "fuel.natural_gas", 50, "10^4 m3")], "--profile", "cn-report")
    shown = cli("calc", "explain", "--run", str(out["run_id"]), "--metric", "scope1").stdout
    assert "metered_volume_read_as_normal" in shown
    assert "volume basis: metered m3 read as the guideline's normal m3" in shown
    explained = json.loads(cli("calc", "explain", "--run", str(out["run_id"]), "--json").stdout)
    energy = [r for r in explained["rows"] if r["result"] == "energy_direct"]
    assert energy and all("metered_volume_read_as_normal" not in r["flags"] for r in energy)


def test_rows_saying_metered_are_not_read_as_normal(calc) -> None:
    out = calc(
        [year_row("SZ", "fuel.natural_gas", 50, "10^4 m3", "", "metered")],
        "--profile",
        "cn-report",
        "--allow-incomplete",
    )
    assert out["totals"]["energy_direct_tce"] == pytest.approx(550.0)
    assert out["totals"]["scope1_tco2e"] == 0.0
    assert out["incomplete"] is True and out["incomplete_figures"] == ["scope1_tco2e"]
    [issue] = out["unresolved"]
    assert issue["quantity"] == "scope1" and "volume_basis=metered" in issue["reason"]


def test_normal_volume_gets_direct_energy_too(calc) -> None:
    out = calc([year_row("SZ", "fuel.natural_gas", 50, "10^4 Nm3")])
    assert out["totals"]["energy_direct_tce"] == pytest.approx(550.0, rel=1e-12)
    assert out["by_gas"]["scope1:CO2"] == pytest.approx(50 * GAS_CO2_PER_10K, rel=1e-12)
    # CH4 and N2O: the guideline's NCV × IPCC 2006 Table 2.3 (1 and 0.1 kg/TJ)
    assert out["by_gas"]["scope1:CH4"] == pytest.approx(50 * 389.31 * 1e-6, rel=1e-12)
    assert out["by_gas"]["scope1:N2O"] == pytest.approx(50 * 389.31 * 0.1e-6, rel=1e-12)
    assert out["incomplete"] is False


def test_unresolved_run_is_incomplete_and_exits_1(calc, cli: Cli) -> None:
    rows = [year_row("VN1", "heat.purchased", 500, "GJ"), year_row("SZ", "fuel.diesel", 1, "t")]
    result_path = calc(rows, "--allow-incomplete")
    assert result_path["incomplete"] is True
    assert set(result_path["incomplete_figures"]) == {
        "scope2_location_tco2e",
        "scope2_market_tco2e",
    }
    failed = cli("calc", "--year", "2024", "--json", expect=1)
    stored = json.loads(failed.stdout)  # the run is stored and printed, flagged
    assert stored["incomplete"] is True and stored["run_id"] > result_path["run_id"]
    plain = cli("calc", "--year", "2024", expect=1)
    assert "INCOMPLETE" in plain.output and "--allow-incomplete" in plain.output
    shown = json.loads(cli("calc", "show", "--run", str(stored["run_id"]), "--json").stdout)
    assert shown["incomplete"] is True
    assert shown["incomplete_figures"] == stored["incomplete_figures"]
    with cli.db.read() as session:  # the run record itself, as KPIs and checks read it
        record = json.loads(get_run(session, stored["run_id"]).totals)
    assert record["incomplete"] is True
    assert record["incomplete_figures"] == stored["incomplete_figures"]
    run = str(stored["run_id"])
    explained = json.loads(cli("calc", "explain", "--run", run, "--json").stdout)["figures"]
    assert explained["scope2_location"]["incomplete"] is True
    assert explained["scope1"]["incomplete"] is False
    text = cli("calc", "explain", "--run", run, "--metric", "scope2_location").stdout
    assert "incomplete: unresolved rows left out" in text


def test_complete_run_is_not_incomplete(calc) -> None:
    out = calc([year_row("SZ", "fuel.diesel", 100, "t", "stationary")])
    assert out["incomplete"] is False and out["incomplete_figures"] == []


def test_gasoline_methane_is_never_left_out_silently(calc) -> None:
    out = calc([year_row("SZ", "fuel.gasoline", 10, "t", "mobile")], "--allow-incomplete")
    assert out["incomplete"] is True
    reasons = {u["reason"] for u in out["unresolved"]}
    assert any("CH4" in r and "mobile_oxidation_catalyst" in r and "use=" in r for r in reasons), (
        reasons
    )
    assert "scope1_tco2e" in out["incomplete_figures"]


def test_gasoline_with_its_technology_counts_ch4_and_n2o(calc) -> None:
    out = calc(
        [
            year_row("SZ", "fuel.gasoline", 10, "t", "mobile_oxidation_catalyst"),
            year_row("SZ", "fuel.diesel", 10, "t", "mobile"),
        ]
    )
    assert out["incomplete"] is False, out["unresolved"]
    # IPCC 2006: NCV 44.3 GJ/t (gasoline), 43.0 GJ/t (diesel); Table 3.2.2 kg/TJ
    assert out["by_gas"]["scope1:CH4"] == pytest.approx(
        10 * 44.3 * 25e-6 + 10 * 43.0 * 3.9e-6, rel=1e-12
    )
    assert out["by_gas"]["scope1:N2O"] == pytest.approx(
        10 * 44.3 * 8.0e-6 + 10 * 43.0 * 3.9e-6, rel=1e-12
    )
    # CO2 in China still from the NDRC guideline: 43.070 GJ/t × 18.90 tC/TJ × 98 % × 44/12
    assert out["by_gas"]["scope1:CO2"] == pytest.approx(
        10 * 43.070 * 0.0189 * 0.98 * 44 / 12 + 10 * 42.652 * 0.0202 * 0.98 * 44 / 12,
        rel=1e-12,
    )


@pytest.mark.parametrize(
    ("choice", "kgce_per_m3"),
    [
        ([], 1.1000),  # GB/T 2589-2020 default, the low end of 1.1000–1.3300
        (["--energy-coefficient", "fuel.natural_gas=gbt2589-2020:range_high"], 1.3300),
        (["--energy-coefficient", "fuel.natural_gas=gbt2589-2008:gas_field_gas"], 1.2143),
        (["--energy-coefficient", "fuel.natural_gas=gbt2589-2008:oil_field_gas"], 1.3300),
    ],
)
def test_direct_energy_with_each_editions_gas_coefficient(
    calc, choice: list[str], kgce_per_m3: float
) -> None:
    out = calc(
        [
            year_row("SZ", "fuel.natural_gas", 50, "10^4 m3"),
            year_row("SZ", "electricity.purchased", 1000, "MWh"),
        ],
        *choice,
    )
    assert out["totals"]["energy_direct_tce"] == pytest.approx(
        50 * 1e4 * kgce_per_m3 / 1000, rel=1e-12
    )
    assert out["totals"]["energy_indirect_tce"] == pytest.approx(1000 * 1000 * 0.1229 / 1000)
    if choice:
        edition = choice[1].split("=")[1].split(":")[0]
        assert edition in out["editions"]


def test_bad_energy_coefficient_choices_are_refused(cli: Cli) -> None:
    for value, message in [
        ("nonsense", "must look like ACTIVITY=EDITION[:VARIANT]"),
        ("fuel.natural_gas=gbt2589-1999", "no energy coefficient for fuel.natural_gas"),
        ("fuel.natural_gas=gbt2589-2008", "gas_field_gas, oil_field_gas"),
        ("fuel.petrol=gbt2589-2020", "unknown activity type 'fuel.petrol'"),
    ]:
        out = cli("calc", "--year", "2024", "--energy-coefficient", value, expect=2).output
        assert message in out, out


def test_pinning_the_2008_energy_edition_is_refused_with_the_reason(calc, cli: Cli) -> None:
    rows = [
        year_row("SZ", "fuel.natural_gas", 50, "10^4 m3"),
        year_row("SZ", "electricity.purchased", 1000, "MWh"),
    ]
    runs_before = json.loads(cli("calc", "runs", "--json").stdout)
    out = calc(rows, "--pin", "cn.gbt2589=gbt2589-2008", expect=2)["output"]
    assert "cannot be pinned" in out and "--energy-coefficient" in out
    assert "electricity.purchased, fuel.natural_gas" in out
    assert "\n" not in out.strip()
    assert json.loads(cli("calc", "runs", "--json").stdout) == runs_before


def test_a_partial_edition_pinned_for_rows_it_covers_computes(calc) -> None:
    rows = [year_row("SZ", "fuel.natural_gas", 50, "10^4 m3")]
    out = calc(rows, "--pin", "cn.gbt2589=gbt2589-2008", expect=2)["output"]
    assert "fuel.natural_gas=gbt2589-2008:" in out  # only per-origin variants: choose one
    ok = calc([], "--pin", "cn.gbt2589=gbt2589-2020", "--pin", "cn.mee_grid=mee-grid-2021")
    assert ok["incomplete"] is False
    assert ok["totals"]["energy_direct_tce"] == pytest.approx(550.0)


def test_gwp_editions_are_chosen_with_gwp_not_pinned(calc) -> None:
    out = calc([], "--pin", "ipcc.gwp=gwp-ar4", expect=2)["output"]
    assert "--gwp" in out


def _rows_for(edition: str) -> tuple[list[list[object]], list[list[object]], str]:
    """An entity where the edition's first factor applies, a row per activity it covers, and
    the year to run. Scope 3 rows name their factor variant in the method's attribute column
    (``naics``, ``vehicle``, ``treatment``); spend factors per dollar of a price year are run
    in that year, in dollars, since no cited rate converts other years (calc.scope3)."""
    own = [f for f in factors() if f.edition == edition]
    region = own[0].region
    country = "CN" if region in ("GLOBAL", "*") or region.startswith("CN") else region[:2]
    subdivision = region if region.startswith("CN-") and len(region) == 5 else ""
    entity = [["X1", "Pinned site", "GRP", country, subdivision, "site"]]
    types = activity_types()
    per_dollar = all(f.unit.endswith("/USD") for f in own)
    year = str(factor_editions()[edition].data_year) if per_dollar else "2024"
    rows = []
    for activity in sorted({f.activity for f in own if f.activity in types}):
        uses = sorted(
            {f.variant for f in own if f.activity == activity}
            & {"stationary", "mobile", "mobile_uncontrolled"}
        )
        unit = "USD" if per_dollar else types[activity].canonical_unit
        attribute = VARIANT_ATTRIBUTE.get(types[activity].category, "")
        variant = next(f.variant for f in own if f.activity == activity) if attribute else ""
        row = year_row("X1", activity, 100, unit, uses[0] if uses else "")
        row[1:3] = [f"{year}-01-01", f"{year}-12-31"]
        rows.append([*row, attribute and f'{{"{attribute}": "{variant}"}}'])
    return entity, rows, year


# Whether a pinned edition computes is the resolver's answer, the same on both databases: the
# edition sweep runs on SQLite (#20). PostgreSQL's side of a pinned run (rows imported, read
# and the run stored) is run above by the gas-coefficient, 2008-pin and partial-edition tests,
# and rows with scope 3 attribute columns by tests/calc/scope3 on both databases.
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
@pytest.mark.parametrize("edition", sorted(factor_editions()))
def test_every_shipped_edition_computes_when_pinned_or_is_refused(
    cli: Cli, tmp_path: Path, edition: str
) -> None:
    series = factor_editions()[edition].series
    entity, rows, year = _rows_for(edition)
    entities = [*ENTITIES, *entity]
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entities)))
    for attribute in sorted({r[-1] for r in rows}):
        some = [r[:-1] + _attribute_cells(attribute) for r in rows if r[-1] == attribute]
        header = [*HEADER, *_attribute_names(attribute)]
        path = write_csv(tmp_path / f"a{len(list(tmp_path.iterdir()))}.csv", header, some)
        cli("import", "activities", str(path))
    args = ("calc", "--year", year, "--pin", f"{series}={edition}", "--allow-incomplete")
    result = cli(*args, "--json", expect=None)
    if result.exit_code == 2:
        assert f"--pin {series}={edition}: " in result.output
        assert "cannot be pinned" in result.output
        return
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert edition in out["editions"], out["unresolved"]


def _attribute_names(cell: str) -> list[str]:
    return sorted(json.loads(cell)) if cell else []


def _attribute_cells(cell: str) -> list[object]:
    values = json.loads(cell) if cell else {}
    return [values[k] for k in sorted(values)]


def test_a_profile_keeping_volumes_apart_gives_the_hint_for_any_spelling() -> None:
    library = FactorLibrary.load()
    profile = replace(PROFILES["cn-report"], name="apart", gas_volume="kept_apart")
    builder = CoefficientBuilder(
        Resolver(library), profile, gwp_set="AR5", electricity_basis="equivalent_value"
    )
    regions = regions_for("CN", "CN-GD")
    for unit in ("10,000 cubic meters", "万m3", "10k m3"):
        energy, scope1 = builder.build(Key("fuel.natural_gas", unit, 2024, regions))
        assert isinstance(energy, Coefficient) and energy.k == pytest.approx(1.1 * 10)
        assert isinstance(scope1, Issue)
        assert scope1.reason.endswith("add volume_basis=normal to the rows"), scope1.reason
    said_normal = Key("fuel.natural_gas", "万m3", 2024, regions, volume_basis="normal")
    _, scope1 = builder.build(said_normal)
    assert isinstance(scope1, Coefficient)
    assert scope1.flags == ("metered_volume_read_as_normal",)
    assert scope1.rule.endswith("volume basis: the rows say volume_basis=normal")
