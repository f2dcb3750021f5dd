"""#18: a Scope 3 row group no method computes keeps every row id, in row order (each row is
unresolved on its own), taken from the grouping pass itself, not a second join of every
row on the group's key texts; a line keeps its first ids only."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.scope3.engine import LINE_ROW_IDS, scope3_parts

ENTITIES = pl.DataFrame(
    {
        "entity_id": ["SZ", "VN1"],
        "country": ["CN", "VN"],
        "subdivision": ["CN-GD", None],
        "share": [1.0, 0.5],
    }
)


def test_each_unresolved_group_names_all_its_rows_in_row_order() -> None:
    n = 5 * LINE_ROW_IDS
    rng = np.random.default_rng(3)
    kinds = [("fuel.diesel", "t"), ("electricity.purchased", "kWh"), ("fuel.natural_gas", "m3")]
    picked = rng.integers(0, len(kinds), n)
    rows = pl.DataFrame(
        {
            "id": np.arange(1, 3 * n, 3, dtype=np.int64),
            "entity_id": rng.choice(["SZ", "VN1"], n),
            "start": [dt.date(2024, 1, 1)] * n,
            "activity": [kinds[k][0] for k in picked],
            "quantity": rng.uniform(1, 100, n),
            "unit": [kinds[k][1] for k in picked],
            "attributes": [None] * n,
        }
    )
    parts = scope3_parts(rows, ENTITIES, FactorLibrary.load(), RunOptions(year=2024))
    assert parts.bad, "the rows give unresolved Scope 3 groups"
    named: list[int] = []
    for ids, entity, activity, *_ in parts.bad:
        expected = rows.filter(pl.col("entity_id") == entity, pl.col("activity") == activity)
        # a category 3 group's rows are counted (their gaps are Scope 1/2's), its first named
        assert (len(ids), ids[0]) == (expected.height, expected["id"][0])
        named.append(ids[0])
    assert max(len(b[0]) for b in parts.bad) > LINE_ROW_IDS
    assert len(named) == len(set(named))
    for line in parts.lines:
        assert len(line["row_ids"]) <= LINE_ROW_IDS
