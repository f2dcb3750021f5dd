"""A year's rows read from the ledger once, in id order, and set down by chunk of entities.

Reading a chunk of entities by entity cost a pass over the table each (SQLite walks it in id
order and filters; the rows of an entity lie all over it), and the input digest read the
year once more. One streamed pass in id order, each batch split by chunk into a local
Parquet file, gives every chunk its rows in id order and the digest its batches, for the
cost of writing the rows once to a temporary folder (removed after the run). Parquet keeps
every value's bits, so the chunks are the rows the ledger holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import polars as pl

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA

CHUNK = "__chunk"  # the column a batch is split by, dropped before it is written


class SpilledYear:
    """The rows of ``chunks`` (lists of entity ids) in ``folder``: one file per chunk and
    batch, named so that sorting the names gives id order within a chunk and a batch."""

    def __init__(self, folder: Path, chunks: list[list[str]]) -> None:
        self.folder = folder
        self.chunk_of = {entity: i for i, chunk in enumerate(chunks) for entity in chunk}
        self.batches_written = 0

    def write(self, batches: Iterable[pl.DataFrame]) -> None:
        """Each batch (rows in id order) split by chunk; rows of other entities left out."""
        for number, batch in enumerate(batches):
            tagged = batch.with_columns(
                pl.col("entity_id")
                .replace_strict(self.chunk_of, default=None, return_dtype=pl.Int64)
                .alias(CHUNK)
            ).filter(pl.col(CHUNK).is_not_null())
            for (chunk,), part in tagged.partition_by(CHUNK, as_dict=True).items():
                part.drop(CHUNK).write_parquet(self.folder / f"{chunk:07d}-{number:07d}.parquet")
            self.batches_written = number + 1

    def chunk(self, entities: list[str]) -> pl.DataFrame:
        """The rows of the chunk that holds ``entities`` (one chunk's ids), in id order."""
        return self._read(sorted(self.folder.glob(f"{self.chunk_of[entities[0]]:07d}-*")))

    def batches(self) -> Iterator[pl.DataFrame]:
        """The rows again, a batch at a time in id order (the input digest's pass)."""
        for number in range(self.batches_written):
            yield self._read(sorted(self.folder.glob(f"*-{number:07d}.parquet"))).sort("id")

    @staticmethod
    def _read(files: list[Path]) -> pl.DataFrame:
        if not files:
            return pl.DataFrame(schema=ACTIVITY_SCHEMA)
        return pl.concat([pl.read_parquet(f) for f in files], rechunk=True)
