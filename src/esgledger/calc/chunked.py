"""The engine over rows that need not fit in memory: whole-entity chunks, one at a time.

Rows are taken a chunk of entities at a time (at most ``chunk_rows`` rows, unless a single
entity has more: it is then a chunk of its own), computed by the local kernel and reduced to
``partitioned`` records before the next chunk is read; only those records (a few per key,
plus unresolved rows) are kept. The merge replays them in the in-memory roll-up's order, so
the figures are the in-memory run's to the bit.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator

import polars as pl

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA
from esgledger.calc.engine import EngineOutput
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.partitioned import (
    RECORD_COLUMNS,
    UNRESOLVED,
    merge_records,
    partition_frame,
)

# an unresolved record's texts (entity, activity, quantity, reason): a few distinct values
UNRESOLVED_TEXTS = ("entity_id", "activity", "name", "detail")


def entity_chunks(rows_per_entity: dict[str, int], chunk_rows: int) -> list[list[str]]:
    """Entities grouped, in id order, into chunks of at most ``chunk_rows`` rows (an entity
    with more rows than that is a chunk of its own: its groups must not be split)."""
    chunks: list[list[str]] = []
    size = 0
    for entity in sorted(rows_per_entity):
        count = rows_per_entity[entity]
        if not chunks or size + count > chunk_rows:
            chunks.append([])
            size = 0
        chunks[-1].append(entity)
        size += count
    return [c for c in chunks if c]


def compute_chunked(
    read_chunk: Callable[[list[str]], pl.DataFrame],
    rows_per_entity: dict[str, int],
    chunk_rows: int,
    entities: pl.DataFrame,
    library: FactorLibrary,
    options: RunOptions,
    on_chunk: Callable[[pl.DataFrame], None] | None = None,
) -> EngineOutput:
    """The run over ``read_chunk(entity ids)`` (that entities' rows, in id order), one
    chunk in memory at a time; ``on_chunk`` is given each chunk's rows too (Scope 3 takes
    its parts from them, so no row is read twice)."""

    kept = KeptRecords()
    for chunk in entity_chunks(rows_per_entity, chunk_rows):
        rows = read_chunk(chunk)
        if on_chunk is not None:
            on_chunk(rows)
        if rows.height:
            kept.add(partition_frame(rows, entities, library, options))
        del rows  # the next chunk is read with this one's rows released
    return kept.merged(entities, library, options)


class KeptRecords:
    """A chunked run's records from its finished chunks, until the merge. Most are a few
    per (entity, key) and kept as they are; the unresolved ones are one per unresolved row
    and quantity (12 % of the rows in ``bench/calc.py``'s year: 1.2·10⁷ at 10⁸ rows), kept
    with their texts as categorical codes: 186 bytes a record as text, 2.2 GB at 10⁸."""

    def __init__(self) -> None:
        self.records: list[pl.DataFrame] = []
        self.unresolved: list[pl.DataFrame] = []

    def add(self, records: pl.DataFrame) -> None:
        """One partition's records (``partition_frame``)."""
        is_unresolved = pl.col("kind") == UNRESOLVED
        self.records.append(records.filter(~is_unresolved))
        self.unresolved.append(
            records.filter(is_unresolved).select(
                "seq",
                *(pl.col(c).cast(pl.Categorical) for c in UNRESOLVED_TEXTS),
                "activity_id",
            )
        )

    def unresolved_rows(self) -> int:
        return sum(part.height for part in self.unresolved)

    def unresolved_bytes(self) -> float:
        """What the kept unresolved records take (Polars' estimate)."""
        return float(sum(float(part.estimated_size()) for part in self.unresolved))

    def merged(
        self, entities: pl.DataFrame, library: FactorLibrary, options: RunOptions
    ) -> EngineOutput:
        """The run from every record kept (``merge_records``); the records are let go."""
        records, self.records = self.records, []
        unresolved, self.unresolved = self.unresolved, []
        table = pl.concat(records) if records else pl.DataFrame(schema=RECORD_COLUMNS)
        codes = pl.concat(unresolved) if unresolved else None
        del records, unresolved
        return merge_records(table, entities, library, options, unresolved=codes)


def streamed_csv(batches: Iterable[pl.DataFrame], entities: set[str]) -> Iterator[bytes]:
    """The CSV of every row of ``batches`` (in id order) of ``entities``, in parts: the bytes
    of one ``write_csv`` of them all (each value is written alone, so the parts add up).
    Each part is written straight to bytes: as text it was decoded and encoded again (a
    quarter of the CPU of printing it, 10⁷ rows being 770 MB)."""
    yield pl.DataFrame(schema=ACTIVITY_SCHEMA).write_csv().encode()  # the header
    members = list(entities)
    for batch in batches:
        rows = batch.filter(pl.col("entity_id").is_in(members))
        if rows.height:
            part = io.BytesIO()
            rows.write_csv(part, include_header=False, float_precision=None)
            yield part.getvalue()
