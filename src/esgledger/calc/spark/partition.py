"""What one Spark partition computes: the local kernel over whole entities, as Arrow.

A partition holds every row of its entities, in id order, so each (entity, key) group sums
its rows exactly as the local engine does. It sends back, in one record layout, what the
driver needs to finish the run: the roll-up contributions (in summation order), the
unresolved rows, the entities holding more instruments than electricity bought, and the
distinct (entity, activity, unit, attributes) keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import polars as pl
import pyarrow as pa

from esgledger.calc.engine import compute
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions

CONTRIBUTION, UNRESOLVED, EXCESS, KEY = "contribution", "unresolved", "excess", "key"

RECORD_SCHEMA = pa.schema(
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
SPARK_DDL = (
    "kind string, seq long, entity_id string, activity string, name string, detail string, "
    "figure double, mass double, activity_id long"
)


def partition_records(
    activities: pl.DataFrame, entities: pl.DataFrame, library: FactorLibrary, options: RunOptions
) -> pa.RecordBatch:
    """The kernel over one partition's rows, as ``RECORD_SCHEMA`` records."""
    out = compute(activities, entities, library, options)
    records: list[dict[str, Any]] = [
        {
            "kind": CONTRIBUTION,
            "entity_id": entity,
            "activity": activity,
            "name": name,
            "detail": gas,
            "figure": figure,
            "mass": mass,
        }
        for entity, activity, name, gas, figure, mass in out.contributions
    ]
    records += [
        {
            "kind": UNRESOLVED,
            "entity_id": entity,
            "activity": activity,
            "name": quantity,
            "detail": reason,
            "activity_id": activity_id,
        }
        for activity_id, entity, activity, quantity, reason in out.unresolved.select(
            "activity_id", "entity_id", "activity", "quantity", "reason"
        ).iter_rows()
    ]
    records += [{"kind": EXCESS, "entity_id": e} for e in out.excess_instruments]
    keys = activities.select("entity_id", "activity", "unit", "attributes").unique()
    records += [
        {"kind": KEY, "entity_id": e, "activity": a, "name": u, "detail": t}
        for e, a, u, t in keys.iter_rows()
    ]
    for seq, record in enumerate(records):
        record["seq"] = seq
    return pa.RecordBatch.from_pylist(records, schema=RECORD_SCHEMA)


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
