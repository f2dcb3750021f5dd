"""What a run implies per unit of activity, summed once when the run is computed.

The factor checks (``checks.factors``) back-calculate three factors from a run: indirect
energy ÷ electricity, natural-gas energy ÷ gas volume and location-based Scope 2 ÷ purchased
electricity. A run too large to store its result rows (``ESG_CALC_LINEAGE_ROWS``) had to be
recomputed whole from its inputs for them, for each year and each ``esg check`` (#18: at
10,000 entities about 11 of the 21.6 CPU s of ``esg check``). So a run that stores no rows
keeps these exact sums in its totals (``IMPLIED_KEY``), computed from the result rows of the
three activities only: each row's result depends on its own amount and coefficient, so these
rows are the ones a whole recomputation gives, and the sums the same to the bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from esgledger.units import compatible, multiplier

IMPLIED_KEY = "implied_sums"  # in a run's stored totals: name → [Σ result, Σ activity] or None

# name → (activities, result quantity, activity unit, whether the result is the CO2e column)
IMPLIED_SPECS: dict[str, tuple[tuple[str, ...], str, str, bool]] = {
    "electricity_tce": (
        ("electricity.purchased", "electricity.onsite_solar"),
        "energy_indirect",
        "kWh",
        False,
    ),
    "natural_gas_tce": (("fuel.natural_gas",), "energy_direct", "m3", False),
    "grid_scope2": (("electricity.purchased",), "scope2_location", "MWh", True),
}
IMPLIED_ACTIVITIES = frozenset(a for spec in IMPLIED_SPECS.values() for a in spec[0])
IMPLIED_QUANTITIES = frozenset(spec[1] for spec in IMPLIED_SPECS.values())

# The columns of a run's rows as :func:`implied_sums` reads them.
RUN_ROWS_SCHEMA: dict[str, pl.DataType] = {
    "activity_id": pl.Int64(),
    "activity": pl.Utf8(),
    "unit": pl.Utf8(),
    "amount": pl.Float64(),
    "quantity": pl.Utf8(),
    "value": pl.Float64(),
    "co2e": pl.Float64(),
}


def implied_sums(
    rows: pl.DataFrame,
    activities: tuple[str, ...],
    quantity: str,
    unit: str,
    *,
    co2e: bool = False,
) -> tuple[float, float] | None:
    """(Σ result, Σ activity in ``unit``) over ``rows`` (``RUN_ROWS_SCHEMA``) of
    ``activities`` and ``quantity`` with a result: every result row counts, each activity
    record's amount once (a record may have a result row per gas). Records in a unit that
    cannot be expressed in ``unit`` are left out; None when no record is left."""
    found = _summed_values(rows, activities, quantity, unit, co2e=co2e)
    if found is None:
        return None
    # exactly rounded sums: the same figures whatever order the rows arrive in
    return math.fsum(found[0]), math.fsum(found[1])


def _summed_values(
    rows: pl.DataFrame,
    activities: tuple[str, ...],
    quantity: str,
    unit: str,
    *,
    co2e: bool = False,
) -> tuple[list[float], list[float]] | None:
    """The results and the activity amounts (in ``unit``) :func:`implied_sums` adds up."""
    column = "co2e" if co2e else "value"
    picked = rows.filter(
        pl.col("activity").is_in(list(activities)),
        pl.col("quantity") == quantity,
        pl.col(column).is_not_null(),
    )
    # one unit lookup per distinct unit, not per row
    factors = {u: multiplier(u, unit) for u in picked["unit"].unique() if compatible(u, unit)}
    picked = picked.filter(pl.col("unit").is_in(list(factors)))
    if picked.is_empty():
        return None
    per_unit = pl.DataFrame(
        {"unit": list(factors), "factor": list(factors.values())},
        schema={"unit": pl.Utf8, "factor": pl.Float64},
    )
    amounts = (
        picked.unique("activity_id")
        .join(per_unit, on="unit")
        .select(pl.col("amount") * pl.col("factor"))
        .to_series()
    )
    return picked[column].to_list(), amounts.to_list()


def all_implied(rows: pl.DataFrame) -> dict[str, list[float] | None]:
    """Every :data:`IMPLIED_SPECS` sum over ``rows`` (``RUN_ROWS_SCHEMA``), as stored."""
    out: dict[str, list[float] | None] = {}
    for name, (activities, quantity, unit, co2e) in IMPLIED_SPECS.items():
        found = implied_sums(rows, activities, quantity, unit, co2e=co2e)
        out[name] = None if found is None else list(found)
    return out


def implied_rows(
    activities: pl.DataFrame, reviewed: pl.DataFrame, results_of: Callable[[pl.DataFrame], Any]
) -> pl.DataFrame:
    """The result rows (``RUN_ROWS_SCHEMA``) the implied sums read: ``results_of`` computes
    the result rows (the engine's ``results``) of the reviewed rows of the three activities;
    they are joined to the run's ``activities`` (``ACTIVITY_SCHEMA``) as the checks join
    result rows to their records."""
    subset = reviewed.filter(pl.col("activity").is_in(sorted(IMPLIED_ACTIVITIES)))
    if subset.is_empty():  # a chunk of purchase lines only: no engine pass for nothing
        return pl.DataFrame(schema=RUN_ROWS_SCHEMA)
    results = results_of(subset).select(
        "activity_id", pl.col("quantity").cast(pl.Utf8), "value", "co2e"
    )
    records = activities.filter(pl.col("activity").is_in(sorted(IMPLIED_ACTIVITIES))).select(
        pl.col("id").alias("activity_id"), "activity", "unit", pl.col("quantity").alias("amount")
    )
    rows = records.join(results, on="activity_id", how="inner").select(list(RUN_ROWS_SCHEMA))
    return rows.cast(RUN_ROWS_SCHEMA)  # type: ignore[arg-type]


def implied_at_calculation(
    activities: pl.DataFrame, reviewed: pl.DataFrame, results_of: Callable[[pl.DataFrame], Any]
) -> dict[str, list[float] | None]:
    """The implied sums of a run that keeps no result rows (:func:`implied_rows`)."""
    return all_implied(implied_rows(activities, reviewed, results_of))


def exact_parts(values: list[float]) -> list[float]:
    """A few floats whose exact sum is the exact sum of ``values``: each is the exactly
    rounded sum of what the ones before it leave, so each leaves at most half an ulp of
    itself (at most about 40 parts from the largest float down to the smallest)."""
    parts: list[float] = []
    while True:
        part = math.fsum([*values, *(-p for p in parts)])
        if part == 0.0 or not math.isfinite(part):
            return parts if part == 0.0 else [part]
        parts.append(part)


class ImpliedTally:
    """The implied sums of a run computed a chunk of whole entities at a time (``calc.
    chunked``): each chunk's values kept as :func:`exact_parts`, so the sums across chunks
    are the one exactly rounded sum over every row, to the bit, that a whole run gives."""

    def __init__(self) -> None:
        self.parts: dict[str, tuple[list[float], list[float]] | None] = dict.fromkeys(IMPLIED_SPECS)

    def add(self, rows: pl.DataFrame) -> None:
        """A chunk's result rows (``RUN_ROWS_SCHEMA``, :func:`implied_rows`)."""
        if rows.is_empty():
            return
        for name, (activities, quantity, unit, co2e) in IMPLIED_SPECS.items():
            found = _summed_values(rows, activities, quantity, unit, co2e=co2e)
            if found is None:
                continue
            held = self.parts[name] or ([], [])
            held[0].extend(exact_parts(found[0]))
            held[1].extend(exact_parts(found[1]))
            self.parts[name] = held

    def sums(self) -> dict[str, list[float] | None]:
        """Every sum as stored (``IMPLIED_KEY``), None where no chunk had a record."""
        return {
            name: None if held is None else [math.fsum(held[0]), math.fsum(held[1])]
            for name, held in self.parts.items()
        }


def stored_implied(
    totals: Mapping[str, Any], activities: tuple[str, ...], quantity: str, unit: str, co2e: bool
) -> tuple[bool, tuple[float, float] | None]:
    """(found, sums): the run's stored implied sums of this request, when it kept them."""
    kept = totals.get(IMPLIED_KEY)
    if not isinstance(kept, Mapping):
        return False, None
    for name, spec in IMPLIED_SPECS.items():
        if spec == (activities, quantity, unit, co2e) and name in kept:
            pair = kept[name]
            return True, None if pair is None else (float(pair[0]), float(pair[1]))
    return False, None
