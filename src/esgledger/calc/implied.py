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
from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl

from esgledger.calc.results import QUANTITY_ENUM
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
    # exactly rounded sums: the same figures whatever order the rows arrive in
    return math.fsum(picked[column].to_list()), math.fsum(amounts.to_list())


def all_implied(rows: pl.DataFrame) -> dict[str, list[float] | None]:
    """Every :data:`IMPLIED_SPECS` sum over ``rows`` (``RUN_ROWS_SCHEMA``), as stored."""
    out: dict[str, list[float] | None] = {}
    for name, (activities, quantity, unit, co2e) in IMPLIED_SPECS.items():
        found = implied_sums(rows, activities, quantity, unit, co2e=co2e)
        out[name] = None if found is None else list(found)
    return out


def implied_at_calculation(
    activities: pl.DataFrame, results: pl.DataFrame
) -> dict[str, list[float] | None]:
    """:func:`all_implied` of a run that keeps no result rows, from ``results``, the
    engine's result rows (``activity_id``, ``quantity``, ``value``, ``co2e`` NaN for "no
    CO2e") of at least the rows of the three activities, and the run's ``activities``
    (``ACTIVITY_SCHEMA``): the same floats as those rows stored and joined to their records,
    as the checks read them.

    Worked on arrays, each result row matched to its record by a binary search of the ids:
    at 10⁷ activity rows the join and a string filter per sum cost seconds. The sums are
    exactly rounded (``math.fsum``), so neither the order of the rows nor that of the
    matches changes a bit."""
    records = activities.filter(pl.col("activity").is_in(sorted(IMPLIED_ACTIVITIES)))
    ids = records["id"].to_numpy()
    amount = records["quantity"].to_numpy()
    activity, activity_names = _codes(records["activity"])
    unit, unit_names = _codes(records["unit"])
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        order = np.argsort(ids, kind="stable")
        ids, amount, activity, unit = ids[order], amount[order], activity[order], unit[order]
    result_ids = results["activity_id"].to_numpy()
    at = np.searchsorted(ids, result_ids)
    matched = at < len(ids)
    matched[matched] = ids[at[matched]] == result_ids[matched]
    at = at[matched]
    quantity = results["quantity"].cast(QUANTITY_ENUM).to_physical().to_numpy()[matched]
    quantities = QUANTITY_ENUM.categories.to_list()
    out: dict[str, list[float] | None] = {}
    for name, (wanted, quantity_name, target, co2e) in IMPLIED_SPECS.items():
        column = results["co2e" if co2e else "value"].to_numpy()[matched]
        factors = np.array(
            [multiplier(u, target) if compatible(u, target) else np.nan for u in unit_names],
            dtype=np.float64,
        )
        of_record = np.array([a in wanted for a in activity_names], dtype=bool)[activity]
        of_record &= ~np.isnan(factors[unit])
        picked = of_record[at] & (quantity == quantities.index(quantity_name))
        if co2e:  # "no CO2e" is NULL once stored, and the checks skip it
            picked &= ~np.isnan(column)
        if not picked.any():
            out[name] = None
            continue
        counted = np.zeros(len(ids), dtype=bool)
        counted[at[picked]] = True  # each record's amount once, however many result rows
        amounts = amount[counted] * factors[unit[counted]]
        out[name] = [math.fsum(column[picked].tolist()), math.fsum(amounts.tolist())]
    return out


def _codes(values: pl.Series) -> tuple[np.ndarray, list[str]]:
    """(each value's position among the distinct values, the distinct values)."""
    distinct = values.unique(maintain_order=True)
    codes = values.replace_strict(
        distinct, pl.int_range(distinct.len(), eager=True), return_dtype=pl.Int64
    )
    return codes.to_numpy().astype(np.int64, copy=False), distinct.to_list()


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
