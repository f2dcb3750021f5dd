"""Reading a Parquet file as text columns, in batches, with bounded memory.

Parquet compresses well enough to hide gigabytes: a dictionary of one 40 KB string repeated
over a million rows takes a few KB on disk. So the schema is checked first (one plain value
per cell), then the rows are decoded a batch at a time, each batch refused at once if a cell
is longer than an Excel cell may be or the decoded total passes the limit.
"""

from __future__ import annotations

import io

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected, Problem
from esgledger.ingest import refusals as R
from esgledger.ingest.xlsx_guard import MAX_CELL_CHARS, too_long_cell

MAX_PARQUET_BYTES = 1024 * 1024 * 1024  # the decoded text of all cells
BATCH_ROWS = 1024
ONE_VALUE = "each cell must hold one number, date or text"
NESTED = N_("the column holds %(kind)s values; each cell must hold one number, date or text")


def _unreadable(source: str, exc: Exception) -> ImportRejected:
    return R.refused(source, R.NOT_PARQUET, error=R.first_line(exc))


def read_parquet(data: bytes, source: str) -> tuple[list[str], pl.DataFrame]:
    """The header (column names) and every row as text; see the module for the limits."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        schema = pl.read_parquet_schema(io.BytesIO(data))
    except Exception as exc:  # pyarrow and polars raise several types for a damaged file
        raise _unreadable(source, exc) from None
    nested = [
        Problem(1, name, NESTED % {"kind": kind}, NESTED, {"kind": kind})
        for name, dtype in schema.items()
        if dtype.is_nested() or dtype in (pl.Binary, pl.Object)
        for kind in [str(dtype).lower()]
    ]
    if nested:
        raise ImportRejected(source, nested)
    names = list(schema)
    positional = [f"column_{i}" for i in range(len(names))]
    batches: list[pl.DataFrame] = []
    decoded = 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            frame = pl.DataFrame(pl.from_arrow(batch)).with_columns(
                pl.all().cast(pl.Utf8).fill_null("")
            )
            frame.columns = positional
            _refuse_long_cells(frame, names, source, first_row=2 + sum(b.height for b in batches))
            decoded += int(frame.estimated_size())
            if decoded > MAX_PARQUET_BYTES:
                raise R.refused(source, R.TOO_LARGE, limit=MAX_PARQUET_BYTES // (1024 * 1024))
            batches.append(frame)
    except ImportRejected:
        raise
    except Exception as exc:  # a damaged page shows only when it is decoded
        raise _unreadable(source, exc) from None
    if not batches:
        return names, pl.DataFrame(
            {c: [] for c in positional}, schema=dict.fromkeys(positional, pl.Utf8)
        )
    return names, pl.concat(batches)


def _refuse_long_cells(frame: pl.DataFrame, names: list[str], source: str, first_row: int) -> None:
    for column, name in zip(frame.columns, names, strict=True):
        hits = (frame[column].str.len_chars() > MAX_CELL_CHARS).arg_true()
        if len(hits):
            row = first_row + int(hits[0])
            raise ImportRejected(source, [too_long_cell(row, name.strip().lower())])
