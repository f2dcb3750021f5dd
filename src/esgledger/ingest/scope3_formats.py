"""The Scope 3 intake formats: purchase ledgers, travel logs and freight logs.

Each is an activity import file (``esg import activities``: CSV, XLSX or Parquet) with the
attribute columns its Scope 3 method reads; this module says, per format, which columns,
in which unit, with which values, and gives an example row. ``esg scope3 template`` writes it
as an XLSX template, and the docs list the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esgledger.catalog import activity_types
from esgledger.catalog.factors import factors
from esgledger.catalog.instruments import INSTRUMENTS
from esgledger.ingest.scope3_columns import CLOSED


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: str
    allowed: tuple[str, ...] = ()  # a closed set, offered as a drop-down
    examples: tuple[str, ...] = ()  # open values: those the shipped factors know


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    activities: tuple[str, ...]
    extra: tuple[Column, ...]
    example: tuple[str, ...]  # one row, in column order


@cache
def factor_variants(activity: str) -> tuple[str, ...]:
    """Variants the shipped factor editions hold for ``activity`` (vehicle, treatment…)."""
    return tuple(sorted({f.variant for f in factors() if f.activity == activity and f.variant}))


def _base(activities: tuple[str, ...], quantity: str) -> tuple[Column, ...]:
    units = sorted({u for a in activities for u in activity_types()[a].units})
    return (
        Column("entity", True, "entity id of the buying or travelling site (`esg entities list`)"),
        Column("start", True, "first day the line covers (YYYY-MM-DD)"),
        Column("end", True, "last day the line covers (YYYY-MM-DD)"),
        Column("activity", True, "activity type", activities),
        Column("quantity", True, quantity),
        Column("unit", True, "unit of the quantity", tuple(units)),
    )


def _vehicles(activities: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v for a in activities for v in factor_variants(a))


SPEND = ("spend.purchased_goods", "spend.capital_goods")
TRAVEL = ("travel.air", "travel.rail", "travel.road", "travel.hotel")
FREIGHT = ("freight.road", "freight.sea", "freight.air", "freight.rail")

FORMATS = {
    "purchases": Format(
        "purchases",
        "Purchase ledger (Scope 3 categories 1 and 2, spend-based or supplier-specific)",
        SPEND,
        (
            Column("supplier", False, "supplier name or id (kept with the line)"),
            Column("naics", True, "6-digit NAICS commodity code of what was bought (EEIO factor)"),
            Column(
                "supplier_kgco2e",
                False,
                "supplier's own product footprint of the line in kg CO2e (overrides the spend "
                "factor, both shown)",
            ),
            Column("description", False, "what was bought (kept with the line)"),
            Column(
                "price_year",
                False,
                "year whose prices the amount is stated in (default: the line's year); spend "
                "of another year than the factor's is deflated with a cited price index",
            ),
        ),
        (
            "SZ-NS",
            "2025-03-01",
            "2025-03-31",
            "spend.purchased_goods",
            "12500.00",
            "USD",
            "Shenzhen Lens Co.",
            "333314",
            "",
            "lens modules",
            "",
        ),
    ),
    "travel": Format(
        "travel",
        "Travel log (category 6 business travel; category 7 commuting with purpose=commuting)",
        TRAVEL,
        (
            Column(
                "vehicle",
                True,
                "mode and class: a factor variant of the activity",
                examples=_vehicles(TRAVEL),
            ),
            Column("purpose", False, "business (default) or commuting", CLOSED["purpose"][1]),
            Column("traveller", False, "employee id or team (kept with the line)"),
        ),
        (
            "SZ-NS",
            "2025-05-12",
            "2025-05-12",
            "travel.air",
            "9600",
            "person*km",
            "long_haul_to_from_uk.economy.with_rf",
            "business",
            "E1042",
        ),
    ),
    "freight": Format(
        "freight",
        "Freight log (category 4 upstream; category 9 with direction=downstream)",
        FREIGHT,
        (
            Column(
                "vehicle",
                True,
                "mode and vehicle: a factor variant of the activity",
                examples=_vehicles(FREIGHT),
            ),
            Column("direction", False, "upstream (default) or downstream", CLOSED["direction"][1]),
            Column("shipment", False, "waybill or shipment id (kept with the line)"),
        ),
        (
            "SZ-LG",
            "2025-02-01",
            "2025-02-28",
            "freight.sea",
            "1840000",
            "t*km",
            "cargo_ship.container_ship.average",
            "downstream",
            "MSKU-2025-0211",
        ),
    ),
    "instruments": Format(
        "instruments",
        "Certificates and PPAs (market-based Scope 2; checked against the Scope 2 Quality "
        "Criteria, GHG Protocol Scope 2 Guidance ch. 7, Table 7.1)",
        INSTRUMENTS,
        (
            Column("instrument", False, "its type as you name it: GEC, I-REC, wind PPA…"),
            Column("energy_source", True, "the generation it stands for (criterion 1)"),
            Column(
                "certificate_ids",
                False,
                "certificate ids separated by ; , or spaces; required for certificates, never "
                "claimed twice (criterion 2)",
            ),
            Column("tracking_system", True, "the register that issued and tracks it (criterion 3)"),
            Column(
                "retired",
                False,
                "yes: retired or cancelled for the company (criterion 3)",
                ("yes", "no"),
            ),
            Column("retired_for", False, "whom it was retired for"),
            Column(
                "vintage",
                True,
                "YYYY or YYYY-MM of generation, in the reporting year (criterion 4)",
            ),
            Column("market", True, "ISO 3166-1 country of issue, the site's own (criterion 5)"),
            Column(
                "attributes_conveyed",
                False,
                "a PPA: yes when the contract conveys its attributes to the company only "
                "(criterion 7)",
                ("yes", "no"),
            ),
            Column("supplier", False, "who sold it"),
            Column(
                "factor_edition",
                False,
                "a supplier's or utility's emission rate: the factor edition holding it, in the "
                "factor library with a factor of the market (criterion 6)",
            ),
        ),
        (
            "SZ-NS",
            "2025-01-01",
            "2025-03-31",
            "certificate.renewable_electricity",
            "1200",
            "MWh",
            "GEC",
            "wind",
            "GEC-2025-000123;GEC-2025-000124",
            "national GEC register",
            "yes",
            "Pengcheng Smart Devices",
            "2025",
            "CN",
            "",
            "Wind farm A",
            "",
        ),
    ),
}


def format_columns(fmt: Format) -> tuple[Column, ...]:
    quantity = {
        "purchases": "amount spent, in the currency of the unit column",
        "travel": "passenger-kilometres, or the spend on tickets or hotel nights",
        "freight": "tonne-kilometres (mass carried times distance)",
        "instruments": "electricity the instrument stands for (MWh or kWh)",
    }[fmt.name]
    return (*_base(fmt.activities, quantity), *fmt.extra)
