"""The activity rows' part of a run's input digest, version 2: their columns' bytes hashed.

Version 1 hashed the CSV Polars prints of every row: at 10⁷ rows, 770 MB of text printed in
2.4 CPU s and hashed in 0.6 s. Version 2 hashes each column's values as they lie in memory,
in a byte layout fixed here, so that a digest can be recomputed by any reader of this text:

- the rows are taken in id order (as in version 1), over the columns of ``ACTIVITY_SCHEMA``
  in that order;
- each column gives SHA-256 streams, updated batch by batch (a whole frame or a pass over
  batches gives the same digests):
  - ``values``: Int64 as 8 bytes little-endian two's complement; Date as the days since
    1970-01-01, 4 bytes little-endian two's complement; Float64 as its IEEE 754 binary64 bits,
    8 bytes little-endian, every NaN written as 0x7FF8000000000000; Utf8 as the UTF-8 bytes
    of every value one after the other, with no separator;
  - ``lengths`` (Utf8 only): each value's length in UTF-8 bytes, 4 bytes little-endian
    unsigned, so "ab", "c" and "a", "bc" differ;
  - ``nulls``: the row numbers (from 0, over all rows) of the column's NULLs, 8 bytes
    little-endian each; a NULL's place in ``values`` holds 0 (no byte for a Utf8, length 0);
- the part then is the text ``rows N\\n`` followed, per column, by the text ``NAME TYPE\\n``
  (TYPE one of ``i8``, ``date32``, ``f8``, ``utf8``) and the 32-byte digests of its
  ``values``, ``lengths`` (Utf8 only) and ``nulls`` streams, in that order.

A text column may come as Categorical codes (``columnar_read.coded_text``): its streams are
the same bytes, made from a table of its distinct values expanded by the rows' codes.

``calc.runs`` hashes this part where version 1 hashed the CSV; the rest of the run's digest
(options, editions, boundary, entities, screening, products) is as in version 1, after the
line ``esgledger input digest 2``. Runs stored before it carry no version and are checked
with version 1.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

import numpy as np
import polars as pl

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA

CANONICAL_NAN = np.uint64(0x7FF8000000000000)
DIGEST_THREADS = 2
# a Categorical's codes index a table this long at most; beyond, its texts are hashed instead
MAX_TABLE_CODES = 1 << 22
# rows of a coded column's values made at a time (a block of the longest value's width each)
GATHER_ROWS = 1 << 16
# the padded table of a coded column's values holds this many bytes at most; beyond, its texts
MAX_TABLE_BYTES = 1 << 26
_TYPES: tuple[tuple[Any, str], ...] = (
    (pl.Int64, "i8"),
    (pl.Date, "date32"),
    (pl.Float64, "f8"),
    (pl.Utf8, "utf8"),
)


def _tag(name: str, dtype: Any) -> str:
    if dtype == pl.Categorical:
        return "utf8"  # the same layout as its texts: only how the bytes are made differs
    for known, tag in _TYPES:
        if dtype == known:
            return tag
    raise TypeError(f"column {name!r}: no version 2 layout for {dtype}")


class ColumnDigest:
    """The version 2 streams of ``schema``'s columns, fed batch by batch in id order."""

    def __init__(
        self, schema: Mapping[str, Any] = ACTIVITY_SCHEMA, *, pool: Executor | None = None
    ) -> None:
        self.schema = dict(schema)
        self._pool = pool  # each column's streams are its own: a column per thread
        self._tags = {name: _tag(name, dtype) for name, dtype in self.schema.items()}
        self.rows = 0
        self._values = {name: hashlib.sha256() for name in self.schema}
        self._lengths = {n: hashlib.sha256() for n, t in self._tags.items() if t == "utf8"}
        self._nulls = {name: hashlib.sha256() for name in self.schema}

    def update(self, batch: pl.DataFrame) -> None:
        """The next rows (after every row given so far, in id order)."""
        jobs = [(name, tag, batch.get_column(name)) for name, tag in self._tags.items()]
        if self._pool is None:
            for job in jobs:
                self._column(*job)
        else:  # hashing and Arrow copies release the GIL; each stream has one writer
            for done in [self._pool.submit(self._column, *job) for job in jobs]:
                done.result()
        self.rows += batch.height

    def _column(self, name: str, tag: str, column: pl.Series) -> None:
        if column.null_count():
            positions = column.is_null().arg_true().to_numpy().astype("<i8") + self.rows
            self._nulls[name].update(positions.tobytes())
        if column.dtype == pl.Categorical:
            self._coded(name, column)
        elif tag == "utf8":
            self._strings(name, column)
        else:
            self._fixed(name, column, tag)

    def _fixed(self, name: str, column: pl.Series, tag: str) -> None:
        if tag == "date32":
            values = column.to_physical().fill_null(0).to_numpy().astype("<i4", copy=False)
        elif tag == "i8":
            values = column.fill_null(0).to_numpy().astype("<i8", copy=False)
        else:
            values = column.fill_null(0.0).to_numpy().astype("<f8", copy=False)
            nan = np.isnan(values)
            if nan.any():
                values = values.view("<u8").copy()
                values[nan] = CANONICAL_NAN
        self._values[name].update(np.ascontiguousarray(values).data)

    def _coded(self, name: str, column: pl.Series) -> None:
        """A Categorical's streams from its codes: each distinct value encoded once into a
        table indexed by code (a NULL's code a last, empty entry); the lengths a lookup per
        row, the values ``_gathered`` from the table."""
        if not len(column):
            return  # no byte in any stream
        present = column.unique().drop_nulls()
        codes = present.to_physical().to_numpy()
        none = int(codes.max()) + 1 if len(codes) else 0
        if none > MAX_TABLE_CODES:  # codes of a crowded process-wide table: the texts
            self._strings(name, column.cast(pl.Utf8))
            return
        encoded: list[bytes] = [b""] * (none + 1)
        for code, value in zip(codes.tolist(), present.cast(pl.Utf8).to_list(), strict=True):
            encoded[code] = value.encode()
        if (none + 1) * max(map(len, encoded)) > MAX_TABLE_BYTES:  # a padded table too large
            self._strings(name, column.cast(pl.Utf8))
            return
        lengths = np.fromiter(map(len, encoded), dtype="<u4", count=len(encoded))
        physical = column.to_physical()
        rows = (physical.fill_null(none) if physical.null_count() else physical).to_numpy()
        row_lengths = lengths[rows]
        self._lengths[name].update(np.ascontiguousarray(row_lengths).data)
        if int(lengths.max()):  # else every value empty: no byte
            self._gathered(self._values[name], encoded, rows, row_lengths)

    @staticmethod
    def _gathered(stream: Any, encoded: list[bytes], rows: Any, row_lengths: Any) -> None:
        """The rows' values one after the other, ``GATHER_ROWS`` at a time: each table entry
        padded to ``width`` bytes, the rows' entries taken whole (a copy of ``width`` bytes a
        row) and written each where the last one ended, over its padding: as cheap as copying
        texts already in memory, where a gather of each row's own slice (Arrow's take) cost
        more. NumPy assigns a 1-D index's elements in index order, which this needs (the
        layout tests check it)."""
        width = max(map(len, encoded))
        table = np.zeros((len(encoded), width), dtype=np.uint8)
        for code, value in enumerate(encoded):
            table[code, : len(value)] = np.frombuffer(value, dtype=np.uint8)
        entries = table.view(f"V{width}").ravel()
        one_length = bool((row_lengths == width).all())
        block = np.empty(GATHER_ROWS * width + width, dtype=np.uint8)
        for first in range(0, len(rows), GATHER_ROWS):
            taken = entries.take(rows[first : first + GATHER_ROWS])
            if one_length:
                stream.update(taken.data)
                continue
            ends = np.cumsum(row_lengths[first : first + GATHER_ROWS], dtype=np.int64)
            size = int(ends[-1])
            starts = np.empty_like(ends)
            starts[0] = 0
            starts[1:] = ends[:-1]
            # element k of ``placed`` is the ``width`` bytes from byte k of ``block`` on
            placed = np.ndarray((size + 1,), dtype=entries.dtype, buffer=block, strides=(1,))
            placed[starts] = taken
            stream.update(block[:size].data)

    def _strings(self, name: str, column: pl.Series) -> None:
        if column.null_count():
            column = column.fill_null("")
        array = column.to_arrow(compat_level=pl.CompatLevel.oldest())
        chunks = array.chunks if hasattr(array, "chunks") else [array]
        for chunk in chunks:
            if not len(chunk):
                continue
            _validity, offsets_buffer, data = chunk.buffers()
            offsets = np.frombuffer(offsets_buffer, dtype="<i8")
            offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
            self._lengths[name].update(np.diff(offsets).astype("<u4").data)
            self._values[name].update(memoryview(data)[int(offsets[0]) : int(offsets[-1])])

    def part(self) -> bytes:
        """The bytes the run's digest hashes for the activity rows (the layout above)."""
        out = [f"rows {self.rows}\n".encode()]
        for name, tag in self._tags.items():
            out.append(f"{name} {tag}\n".encode())
            out.append(self._values[name].digest())
            if name in self._lengths:
                out.append(self._lengths[name].digest())
            out.append(self._nulls[name].digest())
        return b"".join(out)


def column_parts(batches: Iterable[pl.DataFrame]) -> list[bytes]:
    """The version 2 part of ``batches`` (the activity rows in id order), as one part; the
    columns hashed on two threads (the same bytes; the pool lives only for the call)."""
    with ThreadPoolExecutor(max_workers=DIGEST_THREADS) as pool:
        digest = ColumnDigest(pool=pool)
        for batch in batches:
            digest.update(batch.select(list(ACTIVITY_SCHEMA)))
        return [digest.part()]
