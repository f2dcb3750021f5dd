"""A year's rows read from the ledger once, in id order, and set down by chunk of entities.

Reading a chunk of entities by entity cost a pass over the table each (SQLite walks it in id
order and filters; the rows of an entity lie all over it), and the input digest read the
year once more. One streamed pass in id order, each batch split by chunk into a local
Parquet file, gives every chunk its rows in id order and the digest its batches, for the
cost of writing the rows once to a temporary folder (removed after the run). Parquet keeps
every value's bits, so the chunks are the rows the ledger holds. Rows of the Parquet activity
store are set down a chunk of entities at a time (their files are by entity already): each
file is split by id window too, so the digest's pass reads a window at a time in id order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

import polars as pl

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA

CHUNK = "__chunk"  # the column a batch is split by, dropped before it is written
# the files live for one run and are read whole: LZ4 without column statistics writes a row
# for about half the CPU of zstd with them (26 bytes a row on disk against 14)
SPILL_COMPRESSION: Final = "lz4"
WINDOW = "__window"  # the id window (``(id - 1) // window``) a row belongs to, likewise


class SpilledYear:
    """The rows of ``chunks`` (lists of entity ids) in ``folder``: one file per chunk, id
    window and write, named so that sorting the names gives the windows in id order. Rows
    may arrive in any order (the ledger's in id order, the activity store's a chunk at a
    time): a chunk and a window are sorted by id when read, and a window holds at most
    ``window`` rows, so the digest's pass stays bounded however the rows came."""

    def __init__(self, folder: Path, chunks: list[list[str]], window: int) -> None:
        self.folder = folder
        self.chunk_of = {entity: i for i, chunk in enumerate(chunks) for entity in chunk}
        self.window = window
        self.windows: set[int] = set()
        self.writes = 0

    def write(self, batches: Iterable[pl.DataFrame]) -> None:
        """Each batch split by chunk and id window; rows of other entities left out."""
        for batch in batches:
            tagged = batch.with_columns(
                pl.col("entity_id")
                .replace_strict(self.chunk_of, default=None, return_dtype=pl.Int64)
                .alias(CHUNK),
                ((pl.col("id") - 1) // self.window).alias(WINDOW),
            ).filter(pl.col(CHUNK).is_not_null())
            parts = tagged.partition_by(CHUNK, WINDOW, as_dict=True)
            for (chunk, window), part in parts.items():
                name = f"{chunk:07d}-{window:012d}-{self.writes:07d}.parquet"
                part.drop(CHUNK, WINDOW).write_parquet(
                    self.folder / name, compression=SPILL_COMPRESSION, statistics=False
                )
                self.windows.add(int(window))
            self.writes += 1

    def chunk(self, entities: list[str]) -> pl.DataFrame:
        """The rows of the chunk that holds ``entities`` (one chunk's ids), in id order."""
        files = sorted(self.folder.glob(f"{self.chunk_of[entities[0]]:07d}-*"))
        return self._read(files).sort("id")

    def batches(self) -> Iterator[pl.DataFrame]:
        """The rows again, an id window at a time in id order (the input digest's pass)."""
        for window in sorted(self.windows):
            yield self._read(sorted(self.folder.glob(f"*-{window:012d}-*.parquet"))).sort("id")

    @staticmethod
    def _read(files: list[Path]) -> pl.DataFrame:
        if not files:
            return pl.DataFrame(schema=ACTIVITY_SCHEMA)
        return pl.concat([pl.read_parquet(f) for f in files], rechunk=True)
