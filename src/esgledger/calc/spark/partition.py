"""What one Spark partition runs: ``partitioned.partition_records`` over its rows, as Arrow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import polars as pl
import pyarrow as pa

from esgledger.calc.partitioned import partition_records

SPARK_DDL = (
    "kind string, seq long, entity_id string, activity string, name string, detail string, "
    "figure double, mass double, activity_id long"
)


def kernel_over_batches(shared: Any) -> Any:
    """The ``mapInArrow`` function: ``shared`` is a broadcast of (entities, library, options)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        table = pa.Table.from_batches(list(batches))
        if table.num_rows == 0:
            return
        entities, library, options = shared.value
        activities = cast(pl.DataFrame, pl.from_arrow(table))  # a table gives a frame
        yield partition_records(activities, entities, library, options)

    return run
