"""`esg calc --engine spark`: the run's rows computed on Spark, finished on the driver.

Rows go to Spark as Parquet (a staging folder on this machine), are split by entity and
sorted by id within each partition; every partition runs the local kernel over whole
entities (``calc.partitioned``) through Arrow, with the factor library, options and entities
broadcast; the driver merges the partitions' records into the run (``merge_records``), the
local engine's figures to the bit.

A Spark run keeps no row per activity × gas: `esg calc explain` recomputes them locally.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl

from esgledger.calc.engine import EngineOutput
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.partitioned import merge_records
from esgledger.calc.spark.partition import SPARK_DDL, kernel_over_batches
from esgledger.calc.spark.session import spark_session
from esgledger.settings import get_settings


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
    return merge_records(pl.DataFrame(pl.from_arrow(records)), entities, library, options)
