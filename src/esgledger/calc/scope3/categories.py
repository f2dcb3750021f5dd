"""The 15 Scope 3 categories of the GHG Protocol Corporate Value Chain Standard, and which one
an activity row falls in."""

from __future__ import annotations

from esgledger.catalog import activity_types

CATEGORIES = {
    1: "Purchased goods and services",
    2: "Capital goods",
    3: "Fuel- and energy-related activities",
    4: "Upstream transportation and distribution",
    5: "Waste generated in operations",
    6: "Business travel",
    7: "Employee commuting",
    8: "Upstream leased assets",
    9: "Downstream transportation and distribution",
    10: "Processing of sold products",
    11: "Use of sold products",
    12: "End-of-life treatment of sold products",
    13: "Downstream leased assets",
    14: "Franchises",
    15: "Investments",
}


def category_key(number: int) -> str:
    return f"cat{number}"


def category_of(activity: str, attributes: dict[str, str]) -> int | None:
    """The category of a row: the activity type's, moved by the row's own attributes where the
    same activity belongs elsewhere (downstream freight → 9, commuting → 7, end of life of sold
    products → 12); fuels and purchased electricity → 3 (their upstream emissions)."""
    kind = activity_types()[activity]
    if kind.category == "fuel" or activity == "electricity.purchased":
        return 3
    if kind.scope3_category is None:
        return None
    if kind.category == "freight" and attributes.get("direction") == "downstream":
        return 9
    if kind.category == "travel" and attributes.get("purpose") == "commuting":
        return 7
    if kind.category == "waste" and attributes.get("source") == "sold_products":
        return 12
    return kind.scope3_category
