"""`esg calc --engine spark`: the run's rows computed on Spark, finished on the driver.

Rows go to Spark as Parquet (a staging folder, or the run's own partitioned store), are
split by entity and sorted by id within each partition, and every partition runs the local
kernel (``partition``). The driver then:

- replays the contributions entity by entity in id order (``rollup.accumulate``), so totals,
  entity, gas and activity figures are the local engine's to the bit;
- works out the coefficient table from one row per distinct key (it depends on the keys
  only, so the ids are those of a local run);
- orders the unresolved rows by activity id, as the local engine lists them.

A Spark run keeps no row per activity × gas: `esg calc explain` recomputes them locally.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import polars as pl

from esgledger.calc.engine import EngineOutput, compute
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.rollup import Contribution, accumulate
from esgledger.calc.spark.partition import (
    CONTRIBUTION,
    EXCESS,
    KEY,
    SPARK_DDL,
    UNRESOLVED,
    kernel_over_batches,
)
from esgledger.calc.spark.session import spark_session
from esgledger.settings import get_settings

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


def compute_spark(
    activities: pl.DataFrame, entities: pl.DataFrame, library: FactorLibrary, options: RunOptions
) -> EngineOutput:
    """The local engine's output (without per-row results) computed on Spark."""
    spark = spark_session()
    with tempfile.TemporaryDirectory(prefix="esg-spark-") as staging:
        path = Path(staging) / "activities.parquet"
        activities.write_parquet(path)
        frame = spark.read.parquet(str(path))
        return compute_on_frame(spark, frame, entities, library, options)


def compute_on_frame(
    spark: Any, frame: Any, entities: pl.DataFrame, library: FactorLibrary, options: RunOptions
) -> EngineOutput:
    """The run over a Spark frame of activity rows (``columnar_read.ACTIVITY_SCHEMA``)."""
    partitions = get_settings().spark_partitions or spark.sparkContext.defaultParallelism
    shared = spark.sparkContext.broadcast((entities, library, options))
    try:
        records = (
            frame.repartition(partitions, "entity_id")
            .sortWithinPartitions("id")
            .mapInArrow(kernel_over_batches(shared), SPARK_DDL)
            .toArrow()
        )
    finally:
        shared.unpersist()
    table = pl.DataFrame(pl.from_arrow(records))
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
        unresolved=_unresolved(table.filter(pl.col("kind") == UNRESOLVED)),
        totals=totals,
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
