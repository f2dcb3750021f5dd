"""A check that refuses every row of a frame says so for every row, whatever the frame's shape.

Several checks join a file with a table of reasons and flag every joined row with a constant
predicate. On a frame made of many chunks (a large file, read in parts, then joined) Polars
failed to broadcast that constant (``ShapeError``), so a large hostile file got a traceback
instead of one line per cell. The checker evaluates the predicate as a column first.
"""

from __future__ import annotations

import polars as pl

from esgledger.ingest.checker import ROW, Checker


def chunked_joined(rows: int, per_chunk: int = 1000) -> pl.DataFrame:
    parts = [
        pl.DataFrame({"unit": ["kWh"] * per_chunk, ROW: range(i, i + per_chunk)})
        for i in range(0, rows, per_chunk)
    ]
    frame = pl.concat(parts, rechunk=False)
    reasons = pl.DataFrame({"unit": ["kWh"], "_why": ["unit 'kWh' does not fit"]})
    return frame.join(reasons, on="unit", how="inner")


def test_a_constant_predicate_flags_every_row_of_a_many_chunk_frame() -> None:
    frame = chunked_joined(60_000)
    check = Checker("big.csv")
    check.flag(frame, pl.lit(True), "unit", pl.col("_why"))
    assert check.total == 60_000
    assert check.problems[0].row == 0 and check.problems[0].column == "unit"
    assert check.problems[0].reason == "unit 'kWh' does not fit"
