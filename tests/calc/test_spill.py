"""#18: the rows a chunked run sets down (``calc.spill``) come back to the bit, in id order
per chunk and per id window; the files are temporary, so they are written the cheap way
(LZ4, no column statistics: zstd with statistics cost about twice the CPU per row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
from polars.testing import assert_frame_equal

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA
from esgledger.calc.spill import SpilledYear


def _rows(ids: list[int], entities: list[str]) -> pl.DataFrame:
    n = len(ids)
    return pl.DataFrame(
        {
            "id": ids,
            "entity_id": entities,
            "start": [dt.date(2024, 1, 1)] * n,
            "end": [dt.date(2024, 1, 31)] * n,
            "activity": ["fuel.diesel"] * n,
            "quantity": [0.1 + 0.2 * i for i in range(n)],
            "unit": ["t"] * n,
            "attributes": ['{"use":"stationary"}'] * n,
        }
    ).cast(dict(ACTIVITY_SCHEMA))  # type: ignore[arg-type]


def test_spilled_rows_come_back_to_the_bit_from_cheaply_written_files(tmp_path: Path) -> None:
    spilled = SpilledYear(tmp_path, [["A", "B"], ["C"]], window=3)
    first = _rows([1, 2, 3, 4], ["C", "A", "B", "C"])
    second = _rows([7, 5, 6], ["A", "C", "X"])  # X is in no chunk: left out
    spilled.write([first, second])
    whole = pl.concat([first, second]).filter(pl.col("entity_id") != "X").sort("id")
    assert_frame_equal(spilled.chunk(["A"]), whole.filter(pl.col("entity_id").is_in(["A", "B"])))
    assert_frame_equal(spilled.chunk(["C"]), whole.filter(pl.col("entity_id") == "C"))
    assert_frame_equal(pl.concat(list(spilled.batches())), whole)
    files = sorted(tmp_path.glob("*.parquet"))
    assert files
    for path in files:
        meta = pq.ParquetFile(path).metadata
        for group in range(meta.num_row_groups):
            for column in range(meta.num_columns):
                chunk = meta.row_group(group).column(column)
                assert chunk.compression == "LZ4", (path.name, chunk.compression)
                assert chunk.statistics is None or not chunk.is_stats_set, path.name
