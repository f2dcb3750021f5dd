"""Activity types: what an activity record can describe, and in which units."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esgledger.catalog._files import read_rows, split_list
from esgledger.errors import NotFound
from esgledger.units import compatible


@dataclass(frozen=True, slots=True)
class ActivityType:
    id: str
    name: str
    category: str
    scope: int | None
    scope3_category: int | None
    default_use: str | None
    units: tuple[str, ...]  # reference units; any unit of the same dimension is accepted
    description: str

    def accepts_unit(self, unit: str) -> bool:
        return any(compatible(unit, ref) for ref in self.units)

    @property
    def canonical_unit(self) -> str:
        return self.units[0]


@cache
def activity_types() -> dict[str, ActivityType]:
    """All shipped activity types by id, in catalog order."""
    out: dict[str, ActivityType] = {}
    for row in read_rows("activity_types.csv"):
        out[row["id"]] = ActivityType(
            id=row["id"],
            name=row["name"],
            category=row["category"],
            scope=int(row["scope"]) if row["scope"] else None,
            scope3_category=int(row["scope3_category"]) if row["scope3_category"] else None,
            default_use=row["default_use"] or None,
            units=split_list(row["units"], "|"),
            description=row["description"],
        )
    return out


BASE_USES = ("stationary", "mobile")


@cache
def uses() -> tuple[str, ...]:
    """What a fuel row's ``use`` may say: stationary or mobile, or a shipped factor variant
    that narrows one down (``mobile_oxidation_catalyst``: IPCC 2006 gives gasoline CH4 and
    N2O per emission-control technology, with no default)."""
    from esgledger.catalog.factors import factors  # the factor files, loaded on first use

    narrower = {
        f.variant
        for f in factors()
        if f.variant and any(f.variant.startswith(base + "_") for base in BASE_USES)
    }
    return (*BASE_USES, *sorted(narrower))


def activity_type(type_id: str) -> ActivityType:
    try:
        return activity_types()[type_id]
    except KeyError:
        raise NotFound(
            f"unknown activity type {type_id!r}; `esg activities types` lists them"
        ) from None
