"""Per-row outputs: a result per (activity row × coefficient), and the rows left unresolved.

The row passes themselves are in ``kernel``; this module turns the coded rows, groups and
coefficient table into the frames a run stores, each row traceable to its activity record.
"""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np
import polars as pl

from esgledger.calc.coding import Groups, Rows
from esgledger.calc.kernel import Adjustment, enum_series, expand
from esgledger.calc.links import Links

QUANTITY_ENUM = pl.Enum(
    ["energy_direct", "energy_indirect", "scope1", "scope2_location", "scope2_market", "scope3"]
)


def results(
    rows: Rows,
    groups: Groups,
    links: Links,
    adjustments: list[Adjustment],
    covered_by_entity: np.ndarray,
    entity_enum: pl.Enum,
    pool: Executor,
    only: np.ndarray | None = None,
) -> pl.DataFrame:
    """Result columns as arrays: value = amount × k, × (1 − covered) where ``adjustments``
    apply (market-based electricity); ``only``: the positions of the rows to expand (all
    when None)."""

    def at(values: np.ndarray) -> np.ndarray:
        return values if only is None else values[only]

    coefs = links.coefs
    out = expand(
        at(groups.row_group),
        links.key_count[groups.key],
        links.key_start[groups.key],
        at(rows.ids),
        at(rows.entity),
        at(rows.amount),
        (
            coefs["k"].to_numpy(),
            coefs["gwp"].fill_null(np.nan).to_numpy(),
            coefs["quantity"].cast(QUANTITY_ENUM).to_physical().to_numpy(),
        ),
        adjustments,
        covered_by_entity,
        pool,
    )
    quantity = pool.submit(enum_series, "quantity", out.quantity, QUANTITY_ENUM)
    entity = enum_series("entity_id", out.entity, entity_enum)
    return pl.DataFrame(
        [
            pl.Series("activity_id", out.row_id),
            pl.Series("coef_id", out.coef_id, dtype=pl.Int32),
            quantity.result(),
            pl.Series("value", out.value),
            # NaN, not null, for "no CO2e" (energy) and "no instrument share": a scan less
            # here; the run store turns them into NULLs.
            pl.Series("co2e", out.co2e),
            pl.Series("covered", out.covered),
            entity,
        ]
    )


def unresolved(
    activities: pl.DataFrame,
    kept: np.ndarray | None,
    groups: Groups,
    issues: list[tuple[int, str, str]],
) -> pl.DataFrame:
    """One row per (activity record, quantity) the run could not compute."""
    schema = {"key_id": pl.Int64, "quantity": pl.Utf8, "reason": pl.Utf8}
    table = pl.DataFrame(issues, schema=schema, orient="row")
    bad = np.zeros(len(groups.keys), dtype=bool)
    bad[table["key_id"].to_numpy()] = True
    bad_group = bad[groups.key]
    hit = np.flatnonzero(bad_group[groups.row_group]) if bad_group.any() else np.zeros(0, int)
    source = hit if kept is None else kept[hit]
    return (
        activities.select("id", "entity_id", "activity")[source]
        .with_columns(
            pl.col("entity_id", "activity").cast(pl.Utf8),  # text, codes or not
            pl.Series("key_id", groups.key[groups.row_group[hit]], dtype=pl.Int64),
        )
        .join(table, on="key_id", how="inner", maintain_order="left")
        .select(pl.col("id").alias("activity_id"), "entity_id", "activity", "quantity", "reason")
    )
