"""Build the shipped Scope 3 factor editions from the open datasets in ``shared/data``.

Usage::

    .venv/bin/python scripts/build_scope3_factors.py [DATA_DIR]           # write the files
    .venv/bin/python scripts/build_scope3_factors.py [DATA_DIR] --check   # exit 1 on drift

``DATA_DIR`` defaults to ``../shared/data`` (the folder with one sub-folder per dataset, each
with ``factors.csv`` and ``SOURCE.md``). No value is typed here: every factor is the source
cell's text, copied; this script only chooses which source rows map to which activity type
and variant, and says so in the table below. Writes
``src/esgledger/catalog/data/factors/{epa-scf-v1.3,desnz-ghg-cf-2025}.csv``.

Not shipped, and why:

- Open CEDA 2024 (China): CC BY-SA 4.0 requires the attribution and the share-alike licence
  to travel with the data, and the factor file format has no place for either (the edition
  row is not part of the file); its values are also a rounded third-party export that no
  second copy confirms. Users may import it themselves with ``esg factors import``.
- US EPA GHG Emission Factors Hub 2025: its copy is not byte-original (re-saved); its Scope 3
  rows duplicate DESNZ's modes with US fleets. Left for a later edition.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "esgledger" / "catalog" / "data" / "factors"
HEADER = [
    "factor_id", "kind", "activity", "parameter", "gas", "region", "variant", "value",
    "value_min", "value_max", "choice_reason", "unit", "volume_basis", "table_ref", "status",
    "notes",
]  # fmt: skip
EPA_EDITION = "epa-scf-v1.3"
DESNZ_EDITION = "desnz-ghg-cf-2025"
OGL = "Contains public sector information licensed under the Open Government Licence v3.0."

# DESNZ unit as printed → our unit per one activity unit (all values are kg CO2e per unit).
DESNZ_UNITS = {
    "passenger.km": "kgCO2e/(person*km)",
    "tonne.km": "kgCO2e/(t*km)",
    "tonnes": "kgCO2e/t",
    "kWh": "kgCO2e/kWh",
    "kWh (Net CV)": "kgCO2e/kWh",
    "litres": "kgCO2e/L",
}
# Fuel activity type → DESNZ 'WTT- fuels' Level 3 (Scope 3 category 3, upstream of fuels).
WTT_FUELS = {
    "fuel.diesel": "Diesel (100% mineral diesel)",
    "fuel.gasoline": "Petrol (100% mineral petrol)",
    "fuel.natural_gas": "Natural gas",
    "fuel.lpg": "LPG",
    "fuel.fuel_oil": "Fuel oil",
    "fuel.kerosene": "Burning oil",
    "fuel.raw_coal": "Coal (industrial)",
}
# Waste activity type → DESNZ 'Waste disposal' Level 3 (material); variant = disposal route.
WASTE_MATERIALS = {
    "waste.recyclable_plastic": "Plastics: average plastics",
    "waste.recyclable_paper": "Paper and board: mixed",
    "waste.recyclable_metal": "Metal: scrap metal",
    "waste.recyclable_wood": "Wood",
    "waste.kitchen": "Organic: food and drink waste",
    "waste.office": "Commercial and industrial waste",
    "waste.general_industrial": "Commercial and industrial waste",
    "waste.weee": "WEEE - mixed",
}


# A WTT unit is shipped for a fuel only when the fuel's activity type is measured in it.
# "cubic metres" is left out on purpose: DESNZ states no temperature and pressure for its
# cubic metre of gas (flat file, methodology paper §2.7 and §2.21), so natural gas's per-m3
# row (11_100_1004_1_1) cannot be placed on the units layer's metered or normal basis.
WTT_UNIT_FITS = {"tonnes": "t", "litres": "L", "kWh (Net CV)": "GJ"}


def activity_units() -> dict[str, set[str]]:
    """Reference units per activity type, from the shipped catalog file."""
    path = ROOT / "src" / "esgledger" / "catalog" / "data" / "activity_types.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["id"]: set(r["units"].split("|")) for r in csv.DictReader(fh)}


def slug(text: str) -> str:
    """A variant word from printed text: ``Long-haul, to/from UK`` → ``long_haul_to_from_uk``."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def read(folder: Path) -> list[dict[str, str]]:
    with (folder / "factors.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def row(
    edition: str, source_id: str, activity: str, region: str, variant: str, value: str,
    unit: str, table_ref: str, notes: str, choice_reason: str = "",
) -> dict[str, str]:  # fmt: skip
    suffix = f":{variant}" if variant else ""
    return {
        "factor_id": f"{edition}:{activity}:{source_id}{suffix}",
        "kind": "emission_factor",
        "activity": activity,
        "parameter": "ef",
        "gas": "CO2e",
        "region": region,
        "variant": variant,
        "value": value,
        "value_min": "",
        "value_max": "",
        "choice_reason": choice_reason,
        "unit": unit,
        "volume_basis": "",
        "table_ref": table_ref,
        "status": "verified",
        "notes": notes,
    }


# ------------------------------------------------------------------ EPA supply chain v1.3

EPA_VARIANTS = {"SEF+MEF": "", "SEF": "without_margins", "MEF": "margins_only"}


def epa_rows(data: Path) -> Iterator[dict[str, str]]:
    """Spend factors per NAICS-6: variant ``<naics>`` (with margins, for purchaser prices),
    ``<naics>.without_margins`` and ``<naics>.margins_only``; kg CO2e per 2022 USD."""
    for src in read(data / "epa_supply_chain_v1.3"):
        if src["gas"] != "CO2e":
            continue
        naics, kind = src["sector_code"], EPA_VARIANTS[src["variant"]]
        variant = f"{naics}.{kind}" if kind else naics
        yield row(
            EPA_EDITION,
            src["variant"].replace("+", "_"),
            "spend.purchased_goods",
            "US",
            variant,
            src["value"],
            "kgCO2e/USD",
            f"SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv line {src['source_row']}",
            f"{src['description']}; {src['variant']}; 2022 USD purchaser price; AR5",
        )


# ------------------------------------------------------------------ DESNZ 2025


def _desnz(src: dict[str, str]) -> str:
    return f"Factors by Category row {src['source_row']} (ID {src['id']})"


def _travel_air(src: dict[str, str]) -> tuple[str, str] | None:
    if src["category"] != "Business travel- air" or src["unit_denominator"] != "passenger.km":
        return None
    cabin = slug(src["level_4"]).removesuffix("_class").replace("average_passenger", "average")
    return "travel.air", f"{slug(src['level_3'])}.{cabin}.{slug(src['column_text'])}"


def _travel_land(src: dict[str, str]) -> tuple[str, str] | None:
    if src["category"] != "Business travel- land" or src["unit_denominator"] != "passenger.km":
        return None
    if src["level_2"] == "Rail":
        return "travel.rail", slug(src["level_3"])
    if src["level_2"] in ("Bus", "Taxis"):
        return "travel.road", f"{slug(src['level_2'])}.{slug(src['level_3'])}"
    return None


_FREIGHT_MODES = {
    "Vans": "freight.road",
    "HGV (all diesel)": "freight.road",
    "HGV refrigerated (all diesel)": "freight.road",
    "Cargo ship": "freight.sea",
    "Sea tanker": "freight.sea",
    "Freight flights": "freight.air",
    "Rail": "freight.rail",
}


def _freight(src: dict[str, str]) -> tuple[str, str] | None:
    if src["category"] != "Freighting goods" or src["unit_denominator"] != "tonne.km":
        return None
    activity = _FREIGHT_MODES[src["level_2"]]
    parts = [src["level_2"], src["level_3"], src["level_4"], src["column_text"]]
    return activity, ".".join(slug(p) for p in parts if p)


def _waste(src: dict[str, str]) -> list[tuple[str, str]]:
    if src["category"] != "Waste disposal":
        return []
    return [
        (activity, slug(src["column_text"]))
        for activity, material in WASTE_MATERIALS.items()
        if src["level_3"] == material
    ]


def _upstream(src: dict[str, str]) -> list[tuple[str, str]]:
    """Category 3: well-to-tank of fuels (variant ``wtt`` per tonne, ``wtt_net_cv`` per kWh
    net CV, ``wtt_litres`` per litre) and of electricity, and grid T&D losses (``td_loss``)."""
    cat, unit = src["category"], src["unit_denominator"]
    if cat == "WTT- fuels":
        kind = {"tonnes": "wtt", "kWh (Net CV)": "wtt_net_cv", "litres": "wtt_litres"}.get(unit)
        units = activity_units()
        return [
            (a, kind)
            for a, name in WTT_FUELS.items()
            if kind and src["level_3"] == name and WTT_UNIT_FITS[unit] in units[a]
        ]
    if cat == "Transmission and distribution" and src["level_2"] == "T&D- UK electricity":
        return [("electricity.purchased", "td_loss")]
    if cat == "WTT- UK electricity":
        kind = {"WTT- UK electricity (generation)": "wtt", "WTT- UK electricity (T&D)": "wtt_td"}
        return [("electricity.purchased", kind[src["level_2"]])]
    return []


MAPPERS: list[Callable[[dict[str, str]], list[tuple[str, str]]]] = [
    lambda s: [m] if (m := _travel_air(s)) else [],
    lambda s: [m] if (m := _travel_land(s)) else [],
    lambda s: [m] if (m := _freight(s)) else [],
    _waste,
    _upstream,
]


def desnz_rows(data: Path) -> Iterator[dict[str, str]]:
    for src in read(data / "uk_desnz_ghg_cf_2025"):
        if src["gas"] != "CO2e" or src["scope"] != "Scope 3":
            continue
        for mapper in MAPPERS:
            for activity, variant in mapper(src):
                yield row(
                    DESNZ_EDITION,
                    src["id"],
                    activity,
                    "GB",
                    variant,
                    src["value"],
                    DESNZ_UNITS[src["unit_denominator"]],
                    _desnz(src),
                    f"{src['category']}: {src['description']}. {OGL}",
                )


def render(rows: Iterator[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, HEADER, lineterminator="\n")
    writer.writeheader()
    seen: set[str] = set()
    for r in rows:
        if r["factor_id"] in seen:
            raise SystemExit(f"duplicate factor id {r['factor_id']}")
        seen.add(r["factor_id"])
        writer.writerow(r)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    args = parser.parse_args(argv)
    data = Path(args.data)
    outputs = {EPA_EDITION: render(epa_rows(data)), DESNZ_EDITION: render(desnz_rows(data))}
    drift = []
    for edition, text in outputs.items():
        path = OUT / f"{edition}.csv"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                drift.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if drift:
        print(f"out of date: {', '.join(drift)}; run scripts/build_scope3_factors.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
