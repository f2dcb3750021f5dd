"""Which calculation methods apply to a Scope 3 row, and what each needs.

A row may carry more than one method (supplier-specific data beside the spend factor): all
are computed side by side and the first in preference order that resolves is marked used.
Rows name their factor variant in an attribute column, so the import format is the activity
import with extra columns (``naics``, ``vehicle``, ``treatment``, ``supplier_kgco2e``).
"""

from __future__ import annotations

from dataclasses import dataclass

from esgledger.catalog import activity_types

SPEND_FACTOR_ACTIVITY = "spend.purchased_goods"  # EEIO factors serve categories 1 and 2
VARIANT_ATTRIBUTE = {
    "spend": "naics",
    "travel": "vehicle",
    "freight": "vehicle",
    "waste": "treatment",
}
# Every attribute a method or the category of a row reads (calc.scope3.categories): rows are
# grouped by these alone, so a purchase-order number or a supplier name that changes on every
# line does not make each line its own group. A new method adds the columns it reads here.
METHOD_ATTRIBUTES = (
    "naics",
    "vehicle",
    "treatment",
    "supplier_kgco2e",
    "direction",
    "purpose",
    "source",
    "price_year",
)
# Category 3 parts per activity: (component, variants tried in order for the row's unit).
# Well-to-tank of a fuel (extraction, refining, transport) is taken from DESNZ's factors as a
# flagged geographic proxy where the site's country has none; upstream of electricity is not
# (it is the country's own grid mix and losses), so it stays local only.
FUEL_UPSTREAM = (("well-to-tank", ("wtt", "wtt_net_cv", "wtt_litres")),)
ELECTRICITY_UPSTREAM = (
    ("transmission and distribution losses", ("td_loss",)),
    ("well-to-tank of generation", ("wtt",)),
    ("well-to-tank of T&D losses", ("wtt_td",)),
)


@dataclass(frozen=True, slots=True)
class Component:
    """One factor the method multiplies the quantity by (a method may add several)."""

    label: str
    factor_activity: str
    variants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Method:
    name: str  # spend_based | supplier_specific | distance_based | waste_type | average_data
    components: tuple[Component, ...] = ()
    missing: str = ""  # why the method cannot run on this row, if it cannot
    supplier_kg: float | None = None  # supplier_specific: the supplier's kg CO2e per row
    # only factors of the site's own regions: upstream of the grid depends on the country's
    # generation mix and losses, so another country's factor is no estimate
    local_only: bool = False
    # spend_based: the price year of the amounts (a ``price_year`` column), else the run's year
    price_year: int | None = None


def methods_for(activity: str, attributes: dict[str, str]) -> list[Method]:
    """The methods for one row, most preferred first."""
    kind = activity_types()[activity]
    if kind.category == "fuel":
        return [_parts("average_data", activity, FUEL_UPSTREAM, local_only=False)]
    if activity == "electricity.purchased":
        return [_parts("average_data", activity, ELECTRICITY_UPSTREAM, local_only=True)]
    attribute = VARIANT_ATTRIBUTE.get(kind.category)
    if attribute is None:
        return [Method("average_data", missing=f"no Scope 3 method for {activity} yet")]
    name = {"spend": "spend_based", "waste": "waste_type"}.get(kind.category, "distance_based")
    factor_activity = SPEND_FACTOR_ACTIVITY if kind.category == "spend" else activity
    variant = attributes.get(attribute, "").strip()
    average = (
        Method(
            name,
            (Component(name, factor_activity, (variant,)),),
            price_year=_price_year(attributes),
        )
        if variant
        else Method(name, missing=f"{activity} rows need a {attribute!r} column for the factor")
    )
    if kind.category == "spend":
        supplier = _supplier(attributes)
        if supplier is not None:
            return [supplier, average]
    return [average]


def _parts(
    name: str, activity: str, parts: tuple[tuple[str, tuple[str, ...]], ...], *, local_only: bool
) -> Method:
    components = tuple(Component(label, activity, variants) for label, variants in parts)
    return Method(name, components, local_only=local_only)


def _price_year(attributes: dict[str, str]) -> int | None:
    """The year whose prices a spend line is stated in (the intake checked it is a year)."""
    text = attributes.get("price_year", "").strip()
    return int(text) if text.isdigit() else None


def _supplier(attributes: dict[str, str]) -> Method | None:
    text = attributes.get("supplier_kgco2e", "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return Method("supplier_specific", missing=f"supplier_kgco2e {text!r} is not a number")
    if value < 0 or value != value:
        return Method("supplier_specific", missing=f"supplier_kgco2e {text!r} is negative")
    return Method("supplier_specific", supplier_kg=value)
