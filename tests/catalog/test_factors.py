"""The shipped factor library: every value cited, units consistent, spec numbers reproduced."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from importlib import resources

import globalwarmingpotentials
import pycountry
import pytest

from esgledger.catalog import activity_types
from esgledger.catalog.factors import (
    KINDS,
    STATUSES,
    Factor,
    factor_editions,
    factor_frame,
    factors,
    grid_region,
    gwp,
    refrigerant_components,
)
from esgledger.errors import NotFound
from esgledger.units import multiplier, parse

GRIDS = {
    "CN-GRID-NORTH", "CN-GRID-NORTHEAST", "CN-GRID-EAST", "CN-GRID-CENTRAL",
    "CN-GRID-NORTHWEST", "CN-GRID-SOUTH", "CN-GRID-SOUTHWEST",
}  # fmt: skip
PARAMETERS = {
    "energy_coefficient": {"coef"},
    "emission_factor": {"ef"},
    "fuel_parameter": {"ncv", "carbon_content", "oxidation"},
    "gwp": {"gwp100"},
}
# GB/T 2589-2020 Appendix A LHV basis, kcal per unit (factors-cn.md §3).
LHV_KCAL = {
    ("fuel.raw_coal", ""): 5000, ("fuel.cleaned_coal", ""): 6300, ("fuel.coke", ""): 6800,
    ("fuel.crude_oil", ""): 10000, ("fuel.fuel_oil", ""): 10000, ("fuel.gasoline", ""): 10300,
    ("fuel.kerosene", ""): 10300, ("fuel.diesel", ""): 10200, ("fuel.lpg", ""): 12000,
    ("fuel.refinery_dry_gas", ""): 11000, ("fuel.natural_gas", ""): 7700,
    ("fuel.natural_gas", "range_high"): 9310, ("fuel.coke_oven_gas", ""): 4000,
    ("fuel.coke_oven_gas", "range_high"): 4300, ("fuel.blast_furnace_gas", ""): 900,
    ("electricity.purchased", "equivalent_value"): 860,
}  # fmt: skip
KCAL_PER_MJ = 1000 / 4.1868  # international-table calorie, as 29307 kJ = 7000 kcal implies


def by_id() -> dict[str, Factor]:
    return {f.factor_id: f for f in factors()}


def one(edition: str, activity: str, parameter: str, **match: str) -> Factor:
    found = [
        f
        for f in factors()
        if f.edition == edition
        and f.activity == activity
        and f.parameter == parameter
        and all(getattr(f, k) == v for k, v in match.items())
    ]
    assert len(found) == 1, (edition, activity, parameter, match, found)
    return found[0]


def dim(unit: str) -> object:
    return parse(unit).dimensionality


# ------------------------------------------------------------------ structure and citation


def test_every_edition_is_cited_and_dated_consistently():
    eds = factor_editions()
    assert {
        "gbt2589-2020", "gbt2589-2008", "ndrc-electronics-2015", "mee-grid-2021",
        "mee-grid-2022", "mee-grid-2023", "ipcc2006-stationary", "ipcc2006-mobile",
        "gwp-ar4", "gwp-ar5", "gwp-ar6",
    } <= set(eds)  # fmt: skip
    assert any(e.series == "owid.ember_grid" for e in eds.values())
    for ed in eds.values():
        assert ed.publisher and ed.title and ed.citation and ed.series and ed.source_ref, ed
        assert ed.status in STATUSES
        assert ed.supersedes == "" or ed.supersedes in eds
        if ed.supersedes:
            assert eds[ed.supersedes].series == ed.series
        dates = [d for d in (ed.signed_date, ed.issued_date, ed.public_date) if d]
        assert dates == sorted(dates), ed.edition


def test_mee_2022_keeps_every_date_the_spec_gives():
    ed = factor_editions()["mee-grid-2022"]
    assert str(ed.signed_date) == "2024-12-20"
    assert str(ed.issued_date) == "2024-12-23"
    assert str(ed.public_date) == "2024-12-26"
    assert ed.data_year == 2022 and ed.supersedes == "mee-grid-2021"
    assert str(factor_editions()["mee-grid-2021"].signed_date) == "2024-04-12"


def test_every_factor_belongs_to_a_cited_edition_and_has_a_unique_id():
    eds = factor_editions()
    ids = [f.factor_id for f in factors()]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for f in factors():
        ed = eds[f.edition]
        assert ed.publisher and ed.title and ed.citation
        assert f.factor_id.startswith(f.edition + ":")
        assert f.kind in KINDS and f.parameter in PARAMETERS[f.kind], f
        assert f.status in STATUSES, f
        assert f.table_ref, f
        assert f.volume_basis in {"", "metered", "normal"}, f
    for ed in eds:
        assert any(f.edition == ed for f in factors()), f"edition {ed} ships no factor"


def test_every_edition_file_is_listed():
    folder = resources.files("esgledger.catalog").joinpath("data", "factors")
    files = {p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csv")}
    assert files - {"editions"} <= set(factor_editions())


def test_activities_are_known_activity_types_or_gases():
    known = activity_types()
    for f in factors():
        if f.kind == "gwp":
            assert f.activity == f.gas and f.activity not in known, f
        else:
            assert f.activity in known, f


def test_regions_are_codes():
    for f in factors():
        r = f.region
        if r == "GLOBAL" or r in GRIDS:
            continue
        if "-" in r:
            assert pycountry.subdivisions.get(code=r) is not None, f
        else:
            assert pycountry.countries.get(alpha_2=r) is not None, f


# ------------------------------------------------------------------ units


def test_every_unit_parses_and_fits_its_kind_and_activity():
    kgce, co2, mass, energy = dim("kgce"), dim("tCO2"), dim("kg"), dim("GJ")
    for f in factors():
        q = parse(f.unit)
        if f.kind == "gwp" or f.parameter == "oxidation":
            assert q.dimensionless, f
            continue
        if f.parameter == "carbon_content":
            assert (q * parse("GJ")).dimensionality == mass, f
            continue
        wanted = {
            "energy_coefficient": [kgce],
            "emission_factor": [co2, mass],
            "fuel_parameter": [energy],  # ncv
        }[f.kind]
        refs = activity_types()[f.activity].units
        assert any((q * parse(u)).dimensionality in wanted for u in refs), (f, refs)


def test_grid_factors_are_mass_per_energy():
    for f in factors():
        if f.activity == "electricity.purchased" and f.kind == "emission_factor":
            assert multiplier(f.unit, "tCO2/MWh") == 1.0, f


def test_gas_volumes_record_their_basis():
    for f in factors():
        if "m3" in f.unit.replace(" ", ""):
            assert f.volume_basis == ("normal" if "Nm3" in f.unit else "metered"), f


# ------------------------------------------------------------------ ranges


def test_ranges_hold_their_value_and_say_why():
    ranged = [f for f in factors() if f.value_min is not None or f.value_max is not None]
    assert ranged
    for f in ranged:
        assert f.value_min is not None and f.value_max is not None, f
        assert f.value_min <= f.value <= f.value_max, f
        assert f.choice_reason, f


def test_natural_gas_range_defaults_to_the_low_end():
    ng = one("gbt2589-2020", "fuel.natural_gas", "coef", variant="")
    assert (ng.value, ng.value_min, ng.value_max) == (1.1, 1.1, 1.33)
    assert one("gbt2589-2020", "fuel.natural_gas", "coef", variant="range_high").value == 1.33
    assert one("gbt2589-2008", "fuel.natural_gas", "coef", variant="gas_field_gas").value == 1.2143
    assert one("gbt2589-2008", "fuel.natural_gas", "coef", variant="oil_field_gas").value == 1.33
    assert one("gbt2589-2008", "fuel.natural_gas", "coef", variant="oil_field_gas").status == (
        "unverified"
    )


# ------------------------------------------------------------------ spec numbers


@pytest.mark.parametrize(("key", "kcal"), LHV_KCAL.items(), ids=lambda k: str(k))
def test_gbt2589_coefficient_is_lhv_over_7000(key, kcal):
    activity, variant = key
    f = one("gbt2589-2020", activity, "coef", variant=variant)
    assert f.value == pytest.approx(kcal / 7000, abs=1e-4)
    assert f.status == "verified"


def test_gbt2589_heat_is_one_megajoule_over_7000_kcal():
    heat = one("gbt2589-2020", "heat.purchased", "coef", variant="equivalent_value")
    assert heat.unit == "kgce/MJ"
    assert heat.value == pytest.approx(KCAL_PER_MJ / 7000, abs=1e-5)


@pytest.mark.parametrize(
    ("activity", "expected", "unit"),
    [
        ("fuel.gasoline", 2.9251, "tCO2/t"),
        ("fuel.diesel", 3.0959, "tCO2/t"),
        ("fuel.natural_gas", 21.622, "tCO2/(10^4 Nm3)"),
    ],
)
def test_ndrc_defaults_reproduce_the_derived_factors(activity, expected, unit):
    ed = "ndrc-electronics-2015"
    ncv = one(ed, activity, "ncv")
    cc = one(ed, activity, "carbon_content")
    of = one(ed, activity, "oxidation")
    activity_unit = unit.split("/", 1)[1].strip("()")
    # t of carbon per activity unit, through the units registry; then CO2/C = 44/12.
    carbon_t = (
        ncv.value
        * multiplier(f"({activity_unit})*({ncv.unit})", "GJ")
        * cc.value
        * multiplier(f"(GJ)*({cc.unit})", "t")
        * of.value
        * multiplier(of.unit, "dimensionless")
    )
    assert carbon_t * 44 / 12 == pytest.approx(expected, rel=5e-4)
    assert ncv.value == {"fuel.gasoline": 43.070, "fuel.diesel": 42.652}.get(activity, 389.31)


def test_ndrc_gasoline_and_diesel_ncv_equal_the_gbt_lhv_basis():
    assert one("ndrc-electronics-2015", "fuel.gasoline", "ncv").value * 1000 == 43070
    assert one("ndrc-electronics-2015", "fuel.diesel", "ncv").value * 1000 == 42652


@pytest.mark.parametrize(
    ("edition", "average", "excl", "fossil"),
    [
        ("mee-grid-2021", 0.5568, 0.5942, 0.8426),
        ("mee-grid-2022", 0.5366, 0.5856, 0.8325),
        ("mee-grid-2023", 0.5306, 0.6096, 0.8273),
    ],
)
def test_mee_national_factors(edition, average, excl, fossil):
    def national(variant: str) -> Factor:
        return one(edition, "electricity.purchased", "ef", region="CN", variant=variant)

    assert national("average").value == average
    assert national("excl_market_nonfossil").value == excl
    assert national("fossil_only").value == fossil
    assert national("average").status == "verified"
    assert national("average").gas == "CO2"


def test_mee_2021_excl_value_is_unverified_as_the_spec_tags_it():
    f = one("mee-grid-2021", "electricity.purchased", "ef", variant="excl_market_nonfossil")
    assert f.status == "unverified"


def test_mee_regional_and_provincial_values():
    grid22 = {
        f.region: f.value for f in factors() if f.edition == "mee-grid-2022" and f.region in GRIDS
    }
    assert grid22 == {
        "CN-GRID-NORTH": 0.6776, "CN-GRID-NORTHWEST": 0.5857, "CN-GRID-EAST": 0.5617,
        "CN-GRID-NORTHEAST": 0.5564, "CN-GRID-CENTRAL": 0.5395, "CN-GRID-SOUTH": 0.3869,
        "CN-GRID-SOUTHWEST": 0.2268,
    }  # fmt: skip
    grid23 = {f.region for f in factors() if f.edition == "mee-grid-2023" and f.region in GRIDS}
    assert grid23 == GRIDS
    prov = {
        f.region: f.value
        for f in factors()
        if f.edition == "mee-grid-2022" and f.region.startswith("CN-") and f.region not in GRIDS
    }
    assert prov["CN-HE"] == 0.7252 and prov["CN-YN"] == 0.1073 and len(prov) == 10


def test_worked_examples_of_the_spec():
    diesel_coef = one("gbt2589-2020", "fuel.diesel", "coef")
    tce = 100 * multiplier(f"(t)*({diesel_coef.unit})", "tce") * diesel_coef.value
    assert tce == pytest.approx(145.71, abs=0.005)

    ed = "ndrc-electronics-2015"
    ncv, cc, of = (one(ed, "fuel.diesel", p) for p in ("ncv", "carbon_content", "oxidation"))
    gj = 100 * multiplier(f"(t)*({ncv.unit})", "GJ") * ncv.value
    carbon = gj * multiplier(f"(GJ)*({cc.unit})", "t") * cc.value
    co2 = carbon * of.value * multiplier(of.unit, "dimensionless") * 44 / 12
    assert co2 == pytest.approx(309.59, abs=0.005)

    ng = one("gbt2589-2020", "fuel.natural_gas", "coef", variant="")
    assert 50 * multiplier(f"(10^4 m3)*({ng.unit})", "tce") * ng.value == pytest.approx(550.0)

    elec = one("mee-grid-2022", "electricity.purchased", "ef", region="CN", variant="average")
    assert 1000 * multiplier(f"(MWh)*({elec.unit})", "tCO2") * elec.value == pytest.approx(536.6)
    eq = one("gbt2589-2020", "electricity.purchased", "coef", variant="equivalent_value")
    assert 1000 * multiplier(f"(MWh)*({eq.unit})", "tce") * eq.value == pytest.approx(122.9)


# ------------------------------------------------------------------ IPCC


def test_ipcc_stationary_co2_agrees_with_packaged_carbon_content():
    for f in factors():
        if f.edition.startswith("ipcc2006-") and f.kind == "emission_factor" and f.gas == "CO2":
            cc = one("ipcc2006-fuel-defaults", f.activity, "carbon_content")
            derived_kg_per_tj = cc.value * multiplier(f"(TJ)*({cc.unit})", "kg") * 44 / 12
            assert f.value == pytest.approx(derived_kg_per_tj, rel=2e-3), f


def test_ipcc_values_from_memory_are_unverified():
    for f in factors():
        if f.edition in {"ipcc2006-stationary", "ipcc2006-mobile"}:
            assert f.status == "unverified", f
            assert f.unit == "kg/TJ" and f.region == "GLOBAL", f


# ------------------------------------------------------------------ GWP


def test_gwp_values_match_the_package():
    data = globalwarmingpotentials.data
    assert gwp("CH4", "AR4") == data["AR4GWP100"]["CH4"] == 25
    assert gwp("N2O", "AR4") == data["AR4GWP100"]["N2O"] == 298
    assert gwp("CH4", "AR5") == data["AR5GWP100"]["CH4"] == 28
    assert gwp("N2O", "AR5") == data["AR5GWP100"]["N2O"] == 265
    assert gwp("N2O", "AR6") == data["AR6GWP100"]["N2O"] == 273
    # The package carries a single AR6 CH4 (27.9, Table 7.SM.7); fossil CH4 is shipped apart.
    assert gwp("CH4", "AR6") == data["AR6GWP100"]["CH4"] == 27.9
    assert gwp("CH4-fossil", "AR6") == 29.8
    for set_name in ("AR4", "AR5", "AR6"):
        assert gwp("CO2", set_name) == 1.0
        for gas in ("HFC-134a", "HFC-32", "HFC-125", "HFC-143a", "SF6", "HCFC-22"):
            key = gas.replace("-", "")
            assert gwp(gas, set_name) == data[f"{set_name}GWP100"][key]
    assert gwp("hfc134a", "gwp-ar5") == gwp("HFC-134a", "AR5")


def test_gwp_rejects_unknown_sets_and_gases():
    with pytest.raises(NotFound):
        gwp("CH4", "SAR")
    with pytest.raises(NotFound):
        gwp("CH4", "mee-grid-2022")
    with pytest.raises(NotFound):
        gwp("unobtainium", "AR5")


def test_every_blend_gas_has_a_gwp():
    for activity in (a for a in activity_types() if a.startswith("refrigerant.")):
        for gas, _ in refrigerant_components(activity):
            for set_name in ("AR4", "AR5", "AR6"):
                assert gwp(gas, set_name) > 0


# ------------------------------------------------------------------ grids and blends


def test_grid_regions_cover_mainland_provinces_with_valid_codes():
    rows = list(
        csv.DictReader(
            resources.files("esgledger.catalog")
            .joinpath("data", "cn_grid_regions.csv")
            .open(encoding="utf-8")
        )
    )
    members: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        sub = pycountry.subdivisions.get(code=row["subdivision"])
        assert sub is not None and sub.country_code == "CN", row
        assert row["grid_region"] in GRIDS, row
        assert row["source"] and row["status"] == "unverified"
        members[row["grid_region"]].append(row["subdivision"])
    assert set(members) == GRIDS
    assert len(rows) == len({r["subdivision"] for r in rows}) == 31
    assert grid_region("CN-GD") == "CN-GRID-SOUTH"
    assert grid_region("cn-sc") == "CN-GRID-SOUTHWEST"
    assert grid_region("CN-NM") == "CN-GRID-NORTH"
    for outside in ("CN-HK", "CN-MO", "CN-TW", "VN", "US-CA"):
        assert grid_region(outside) is None


def test_provincial_factors_sit_in_known_grids():
    for f in factors():
        if (
            f.edition.startswith("mee-grid")
            and f.region.startswith("CN-")
            and f.region not in GRIDS
        ):
            assert grid_region(f.region) in GRIDS, f


def test_refrigerant_blends():
    assert refrigerant_components("refrigerant.r410a") == [("HFC-32", 0.5), ("HFC-125", 0.5)]
    assert dict(refrigerant_components("refrigerant.r404a")) == {
        "HFC-125": 0.44, "HFC-143a": 0.52, "HFC-134a": 0.04,
    }  # fmt: skip
    assert refrigerant_components("refrigerant.sf6") == [("SF6", 1.0)]
    refrigerants = [a for a, t in activity_types().items() if t.category == "refrigerant"]
    assert refrigerants
    for activity in refrigerants:
        parts = refrigerant_components(activity)
        assert sum(frac for _, frac in parts) == pytest.approx(1.0, abs=1e-12), activity
    with pytest.raises(NotFound):
        refrigerant_components("fuel.diesel")


# ------------------------------------------------------------------ overseas and frame


def test_overseas_grid_set_is_labelled_lifecycle():
    rows = [f for f in factors() if factor_editions()[f.edition].series == "owid.ember_grid"]
    assert len(rows) > 100
    regions = {f.region for f in rows}
    assert {"VN", "MX", "HU", "US", "DE"} <= regions
    for f in rows:
        assert f.gas == "CO2e" and f.variant == "lifecycle_generation" and f.status == "unverified"
        assert 0 <= f.value < 2, f
        grams_per_kwh = float(f.notes.split(" ", 1)[0])  # the package's figure, kept in notes
        assert f.value * multiplier("tCO2e/MWh", "gCO2e/kWh") == pytest.approx(grams_per_kwh)
    years = {factor_editions()[f.edition].data_year for f in rows}
    assert None not in years


def test_factor_frame_joins_edition_facts():
    frame = factor_frame()
    assert frame.height == len(factors())
    assert frame["factor_id"].is_unique().all()
    for col in ("series", "publisher", "data_year", "public_date", "edition", "value", "unit"):
        assert col in frame.columns
    assert frame["variant"].null_count() == 0 and frame["gas"].null_count() == 0
    row = frame.filter(
        (frame["edition"] == "mee-grid-2022")
        & (frame["region"] == "CN")
        & (frame["variant"] == "average")
    ).row(0, named=True)
    assert row["value"] == 0.5366 and row["series"] == "cn.mee_grid" and row["data_year"] == 2022
    assert str(row["public_date"]) == "2024-12-26"
    frame.drop_in_place("value")  # a caller's change must not leak into the cache
    assert "value" in factor_frame().columns


def test_lookup_errors_are_both_not_found_and_key_error():
    with pytest.raises(KeyError) as caught:
        gwp("unobtainium", "AR6")
    assert isinstance(caught.value, NotFound)
    assert str(caught.value) == "no AR6 GWP for gas 'unobtainium'"
