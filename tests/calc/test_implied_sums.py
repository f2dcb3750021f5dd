"""The factor checks' sums a run keeps, taken at calculation time from arrays (#18): the same
floats as the reference, ``all_implied`` over the run's result rows joined to their records,
whatever the units, the order of the rows or the results without CO2e."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from esgledger.calc.implied import (
    IMPLIED_SPECS,
    RUN_ROWS_SCHEMA,
    all_implied,
    implied_at_calculation,
)
from esgledger.calc.results import QUANTITY_ENUM

KINDS = [
    ("electricity.purchased", "kWh"),
    ("electricity.purchased", "MWh"),
    ("electricity.purchased", "GJ"),  # an energy unit the sums convert
    ("electricity.onsite_solar", "kWh"),
    ("fuel.natural_gas", "m3"),
    ("fuel.natural_gas", "10^4 m3"),
    ("fuel.natural_gas", "t"),  # no volume: left out of the gas sum
    ("fuel.diesel", "t"),
]
QUANTITIES = ["energy_direct", "energy_indirect", "scope1", "scope2_location", "scope2_market"]


def run_rows(n: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(activity rows in id order, result rows of most of them: one to three per row,
    some CO2e NaN as the engine gives "no CO2e")."""
    rng = np.random.default_rng(seed)
    kinds = rng.integers(0, len(KINDS), n)
    ids = np.sort(rng.choice(np.arange(1, 10 * n), n, replace=False)).astype(np.int64)
    activities = pl.DataFrame(
        {
            "id": ids,
            "entity_id": ["E1"] * n,
            "activity": [KINDS[k][0] for k in kinds],
            "quantity": rng.uniform(0, 1e6, n) / 7.0,
            "unit": [KINDS[k][1] for k in kinds],
        }
    )
    with_results = ids[rng.random(n) < 0.9]
    per_row = rng.integers(1, 4, len(with_results))
    result_ids = np.repeat(with_results, per_row)
    m = len(result_ids)
    co2e = rng.uniform(0, 1e3, m) / 3.0
    co2e[rng.random(m) < 0.2] = np.nan
    results = pl.DataFrame(
        {
            "activity_id": result_ids,
            "quantity": pl.Series([QUANTITIES[q] for q in rng.integers(0, 5, m)]).cast(
                QUANTITY_ENUM
            ),
            "value": rng.uniform(0, 1e4, m) / 11.0,
            "co2e": co2e,
        }
    )
    return activities, results


def reference(activities: pl.DataFrame, results: pl.DataFrame) -> dict[str, object]:
    stored = results.with_columns(pl.col("co2e").fill_nan(None), pl.col("quantity").cast(pl.Utf8))
    records = activities.select(
        pl.col("id").alias("activity_id"), "activity", "unit", pl.col("quantity").alias("amount")
    )
    rows = records.join(stored, on="activity_id").select(list(RUN_ROWS_SCHEMA))
    return all_implied(rows.cast(RUN_ROWS_SCHEMA))  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sums_at_calculation_are_the_reference_sums_to_the_bit(seed: int) -> None:
    activities, results = run_rows(20_000, seed)
    expected = reference(activities, results)
    assert all(expected[name] is not None for name in IMPLIED_SPECS)
    assert implied_at_calculation(activities, results) == expected
    # in any order of the result rows (a pass over chunks, another engine)
    shuffled = results.sample(fraction=1.0, shuffle=True, seed=seed)
    assert implied_at_calculation(activities, shuffled) == expected


def test_no_row_of_a_sum_gives_none() -> None:
    activities, results = run_rows(2_000, 4)
    diesel = activities.filter(pl.col("activity") == "fuel.diesel")
    assert implied_at_calculation(diesel, results) == dict.fromkeys(IMPLIED_SPECS)
    assert implied_at_calculation(activities, results.clear()) == dict.fromkeys(IMPLIED_SPECS)
