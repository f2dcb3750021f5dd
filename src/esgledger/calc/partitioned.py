"""The run split into partitions of whole entities (Spark partitions, out-of-core chunks).

Every figure of a run adds up per (entity, key) groups, so a partition that holds every row
of its entities, in id order, sums each group exactly as the local engine does over all rows.
Each partition returns, in one record layout, what is needed to finish the run: the roll-up
contributions (in summation order), the unresolved rows, the entities holding more
instruments than electricity bought, and the distinct (entity, activity, unit, attributes)
keys. ``merge_records`` finishes the run from them: it replays the contributions entity by
entity in the local roll-up's order (``rollup.accumulate``), so totals and entity, gas and
activity figures are the in-memory run's to the bit; works out the coefficient table from
one row per distinct key (it depends on the keys only, so the ids are a local run's); and
lists unresolved rows by activity id, as the local engine does.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

import polars as pl

from esgledger.calc.engine import EngineOutput, compute, scope12_rows
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.rollup import Contribution, accumulate

if TYPE_CHECKING:
    import pyarrow as pa

KEY_COLUMNS = ["entity_id", "activity", "unit", "attributes"]
UNRESOLVED_SCHEMA = pl.Schema(
    {
        "activity_id": pl.Int64,
        "entity_id": pl.Utf8,
        "activity": pl.Utf8,
        "quantity": pl.Utf8,
        "reason": pl.Utf8,
    }
)
CONTRIBUTION, UNRESOLVED, EXCESS, KEY = "contribution", "unresolved", "excess", "key"


@cache
def record_schema() -> pa.Schema:
    """The Arrow schema of a partition's records (pyarrow is loaded only for a Spark run's
    partitions: a command that reads runs, such as ``esg check``, does not need it)."""
    import pyarrow as pa

    return pa.schema(
        [
            ("kind", pa.string()),
            ("seq", pa.int64()),  # order within the partition
            ("entity_id", pa.string()),
            ("activity", pa.string()),
            ("name", pa.string()),  # total key, the unresolved quantity, or a key's unit
            ("detail", pa.string()),  # per-gas name, the unresolved reason, or attributes
            ("figure", pa.float64()),
            ("mass", pa.float64()),
            ("activity_id", pa.int64()),
        ]
    )


def partition_records(
    activities: pl.DataFrame, entities: pl.DataFrame, library: FactorLibrary, options: RunOptions
) -> pa.RecordBatch:
    """:func:`partition_frame` as one Arrow batch of :func:`record_schema` (a Spark
    partition's answer)."""
    import pyarrow as pa

    schema = record_schema()
    table = partition_frame(activities, entities, library, options).to_arrow()
    return pa.RecordBatch.from_arrays(
        [table.column(f.name).combine_chunks().cast(f.type) for f in schema], schema=schema
    )


RECORD_COLUMNS = pl.Schema(
    {
        "kind": pl.Utf8,
        "seq": pl.Int64,
        "entity_id": pl.Utf8,
        "activity": pl.Utf8,
        "name": pl.Utf8,
        "detail": pl.Utf8,
        "figure": pl.Float64,
        "mass": pl.Float64,
        "activity_id": pl.Int64,
    }
)


def partition_frame(
    activities: pl.DataFrame, entities: pl.DataFrame, library: FactorLibrary, options: RunOptions
) -> pl.DataFrame:
    """The kernel over one partition's rows, as :func:`record_schema` records built column by
    column: a dict per record (and Arrow's ``from_pylist``, which loads pandas) cost a Python
    object per unresolved row. Keys only of the rows the kernel uses: Scope 3 rows (a
    purchase line each with its own attributes) are the Scope 3 engine's, and gave a key
    record per line that the merge then dropped. A partition with no Scope 1/2 row gives no
    record at all, without an engine pass: it has no contribution, no unresolved row, no
    instrument and no key (ten chunks of purchase lines cost ten passes over nothing)."""
    activities = scope12_rows(activities)
    if activities.is_empty():
        return pl.DataFrame(schema=RECORD_COLUMNS)
    out = compute(activities, entities, library, options)
    contributions = pl.DataFrame(
        out.contributions,
        schema={
            "entity_id": pl.Utf8,
            "activity": pl.Utf8,
            "name": pl.Utf8,
            "detail": pl.Utf8,
            "figure": pl.Float64,
            "mass": pl.Float64,
        },
        orient="row",
    ).with_columns(pl.lit(CONTRIBUTION).alias("kind"))
    unresolved = out.unresolved.select(
        pl.lit(UNRESOLVED).alias("kind"),
        "entity_id",
        "activity",
        pl.col("quantity").alias("name"),
        pl.col("reason").alias("detail"),
        "activity_id",
    )
    excess = pl.DataFrame(
        {"entity_id": list(out.excess_instruments)}, schema={"entity_id": pl.Utf8}
    ).with_columns(pl.lit(EXCESS).alias("kind"))
    keys = activities.select(
        pl.lit(KEY).alias("kind"),
        "entity_id",
        "activity",
        pl.col("unit").alias("name"),
        pl.col("attributes").alias("detail"),
    ).unique()
    parts = [contributions, unresolved, excess, keys]
    frame = pl.concat([_as_records(part) for part in parts], how="vertical")
    return frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("seq")).select(
        *RECORD_COLUMNS
    )


def _as_records(part: pl.DataFrame) -> pl.DataFrame:
    """``part`` in the record columns (but ``seq``), those it lacks null."""
    return part.select(
        pl.col(name).cast(dtype) if name in part.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in RECORD_COLUMNS.items()
        if name != "seq"
    )


def merge_records(
    table: pl.DataFrame,
    entities: pl.DataFrame,
    library: FactorLibrary,
    options: RunOptions,
    *,
    unresolved: pl.DataFrame | None = None,
) -> EngineOutput:
    """The run's output (without per-row results) from every partition's records; the
    unresolved ones may be given apart (``unresolved``, their texts as codes: a chunked
    run keeps them so), the table's own are then not read."""
    keys = table.filter(pl.col("kind") == KEY).select(
        "entity_id", "activity", pl.col("name").alias("unit"), pl.col("detail").alias("attributes")
    )
    one_per_key = _one_row_per_key(keys, options)
    skeleton = compute(one_per_key, entities, library, options)
    items = _contributions(table.filter(pl.col("kind") == CONTRIBUTION))
    totals, by_entity, by_gas, by_activity = accumulate(items, entities)
    order = {e: i for i, e in enumerate(entities["entity_id"].to_list())}
    excess = table.filter(pl.col("kind") == EXCESS)["entity_id"].to_list()
    return EngineOutput(
        results=pl.DataFrame(),
        unresolved=_unresolved(
            table.filter(pl.col("kind") == UNRESOLVED) if unresolved is None else unresolved
        ),
        totals=dict[str, float | None](totals),
        by_entity=by_entity,
        by_gas=by_gas,
        factors_used=skeleton.factors_used,
        coefficients=skeleton.coefficients,
        excess_instruments=sorted(excess, key=order.__getitem__),
        by_activity=by_activity,
        contributions=items,
        per_row=False,
    )


def _contributions(records: pl.DataFrame) -> list[Contribution]:
    """The partitions' contributions in the local order: entity id (as Python orders
    strings, like the local roll-up), then the partition's own order."""
    rows = records.select("entity_id", "seq", "activity", "name", "detail", "figure", "mass")
    ordered = sorted(rows.iter_rows(), key=lambda r: (r[0], r[1]))
    return [(e, a, n, d, f, m) for e, _, a, n, d, f, m in ordered]


def _unresolved(records: pl.DataFrame) -> pl.DataFrame:
    """Unresolved rows by activity id, each row's quantities in its partition's order."""
    return (
        records.sort("activity_id", "seq", maintain_order=True)
        .select(
            "activity_id",
            "entity_id",
            "activity",
            pl.col("name").alias("quantity"),
            pl.col("detail").alias("reason"),
        )
        .cast(UNRESOLVED_SCHEMA)
    )


def _one_row_per_key(keys: pl.DataFrame, options: RunOptions) -> pl.DataFrame:
    """A row per distinct (entity, activity, unit, attributes): the coefficient table and
    the factors used depend on these keys only, never on the amounts."""
    keys = keys.sort(KEY_COLUMNS, nulls_last=True)
    return keys.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("id"),
        "entity_id",
        pl.lit(dt.date(options.year, 1, 1)).alias("start"),
        "activity",
        pl.lit(1.0).alias("quantity"),
        "unit",
        "attributes",
    )
