"""Climate reference data: TCFD categories, scenarios, carbon-price paths, and the example
inventory the demo loads.

- ``tcfd_categories.csv``: the 11 TCFD categories (TCFD Final Report 2017, Tables 1 and 2).
- ``climate_scenarios.csv``: SSP1-2.6 / SSP3-7.0 / SSP5-8.5 (physical) and IEA NZE / STEPS
  (transition), with warming metadata and its source. Rating logic never reads the warming.
- ``carbon_price_paths.csv``: CO2 price points per scenario, region group and year, each with
  document, table, currency, price year and status (``unverified`` when transcribed from
  memory). Users add or override points in their workspace.
- ``climate_risk_inventory_example.csv``: the 20 items of ``shared/spec/
  climate-risk-inventory.csv`` with a normalised ``category`` code and their provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esgledger.catalog._files import read_rows, split_list

LEVELS = ("Low", "Medium", "High")


@dataclass(frozen=True, slots=True)
class TcfdCategory:
    code: str
    kind: str  # risk | opportunity
    family: str  # physical | transition
    name: str
    description: str
    source: str


@dataclass(frozen=True, slots=True)
class Scenario:
    code: str
    family: str  # IPCC_SSP | IEA_WEO
    publisher: str
    edition: str
    ambition: str  # low | high
    applies_to: str  # physical | transition
    warming_desc: str
    warming_value_c: float | None
    source: str
    status: str


@dataclass(frozen=True, slots=True)
class PricePoint:
    """One carbon price, in ``currency`` per tonne CO2 (real ``price_year`` terms if given)."""

    scenario: str
    region: str
    countries: tuple[str, ...]
    year: int
    price: float
    currency: str
    price_year: int | None
    source: str  # document and table
    status: str
    notes: str = ""

    def covers(self, region: str) -> bool:
        return region == self.region or region in self.countries


@cache
def tcfd_categories() -> dict[str, TcfdCategory]:
    return {
        r["code"]: TcfdCategory(
            r["code"], r["kind"], r["family"], r["name"], r["description"], r["source"]
        )
        for r in read_rows("tcfd_categories.csv")
    }


@cache
def scenarios() -> dict[str, Scenario]:
    return {
        r["code"]: Scenario(
            code=r["code"],
            family=r["family"],
            publisher=r["publisher"],
            edition=r["edition"],
            ambition=r["ambition"],
            applies_to=r["applies_to"],
            warming_desc=r["warming_desc"],
            warming_value_c=float(r["warming_value_c"]) if r["warming_value_c"] else None,
            source=r["source"],
            status=r["status"],
        )
        for r in read_rows("climate_scenarios.csv")
    }


@cache
def shipped_price_points() -> tuple[PricePoint, ...]:
    return tuple(
        PricePoint(
            scenario=r["scenario"],
            region=r["region"],
            countries=split_list(r["countries"]),
            year=int(r["year"]),
            price=float(r["price"]),
            currency=r["currency"],
            price_year=int(r["price_year"]) if r["price_year"] else None,
            source=f"{r['document']}, {r['table_ref']}",
            status=r["status"],
            notes=r["notes"],
        )
        for r in read_rows("carbon_price_paths.csv")
    )


def example_inventory() -> list[dict[str, str]]:
    """The demo's 20 climate items as rows of the climate import format."""
    return list(read_rows("climate_risk_inventory_example.csv"))
