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
from esgledger.calc.partitioned import RECORD_COLUMNS, merge_records, partition_frame


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

    def records() -> Iterator[pl.DataFrame]:
        for chunk in entity_chunks(rows_per_entity, chunk_rows):
            rows = read_chunk(chunk)
            if on_chunk is not None:
                on_chunk(rows)
            if rows.height:
                yield partition_frame(rows, entities, library, options)

    tables = list(records())
    table = pl.concat(tables) if tables else pl.DataFrame(schema=RECORD_COLUMNS)
    return merge_records(table, entities, library, options)


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
