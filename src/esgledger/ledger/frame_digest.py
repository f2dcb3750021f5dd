"""A table part's data digest taken from the frame a writer is about to insert.

A calculation run writes up to millions of issue rows and then digested them by reading
them back (``ledger.digests``): at 2·10⁶ activity rows that re-read was 9 of a run's 57 s.
The writer already holds the rows as a Polars frame, with every stored column (its ids
included, claimed by :func:`claim_ids`), so the digest can be taken from the frame: the same
canonical text (:mod:`esgledger.ledger.row_text`) in the same primary-key order, hence the
same SHA-256 as the re-read, which ``esg audit verify --deep`` still does.

Only the column kinds whose canonical text is certain from the frame are handled here
(text, integers, floats without NaN, booleans); any other frame returns None and the caller
lets the digest re-read the table as before. Each distinct text or float is spelled once in
Python (``encode_basestring``, ``float.__repr__``, the spellings of ``row_text``) and the
spellings are gathered per row in Polars.
"""

from __future__ import annotations

import hashlib

import numpy as np
import polars as pl
from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from esgledger.ledger.archive_format import column_kind
from esgledger.ledger.row_text import CELL, NULL

ROWS_PER_PART = 250_000  # rows spelled at a time: the text of a part stays bounded
SPELLED = {"string", "integer", "float", "boolean"}


def claim_ids(session: Session, table: str, count: int) -> int:
    """The first of ``count`` consecutive ids of ``table``'s integer key, for rows inserted
    with their ids given, so their digest can be taken before they are read back.

    SQLite: the writer holds the database's write lock, so the next ids are the largest one
    plus one onwards, as the database itself would give them. PostgreSQL: the table is locked
    against other inserts until the transaction ends (a run stores its rows in one short
    write), the ids start after both the sequence and the largest stored id, and the
    sequence is moved past them, so an insert without ids never takes one of them.
    """
    conn = session.connection()
    largest = int(conn.execute(text(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')).scalar_one())
    if conn.dialect.name != "postgresql":
        return largest + 1
    conn.execute(text(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE'))
    sequence = f"pg_get_serial_sequence('{table}', 'id')"
    following = int(conn.execute(text(f"SELECT nextval({sequence})")).scalar_one())
    first = max(following, largest + 1)
    conn.execute(text(f"SELECT setval({sequence}, :last)"), {"last": first + max(count, 1) - 1})
    return first


def frame_digest(table: Table, frame: pl.DataFrame, columns: list[str]) -> list[object] | None:
    """``[rows, sha256]`` of ``frame`` as :func:`esgledger.ledger.digests.digest` reads the
    same rows back from ``table`` (``columns`` in the table's order); None when a column's
    kind or a value (NaN) cannot be spelled here with certainty."""
    kinds = [column_kind(table.c[c].type) for c in columns]
    if any(kind not in SPELLED for kind in kinds):
        return None
    order = [c.name for c in table.primary_key.columns]
    rows = frame.select(columns).sort(order, maintain_order=True)
    sha = hashlib.sha256()
    for offset in range(0, rows.height, ROWS_PER_PART):
        part = rows.slice(offset, ROWS_PER_PART)
        cells = [_spelled(part[c], kind) for c, kind in zip(columns, kinds, strict=True)]
        if any(cell is None for cell in cells):
            return None
        lines = pl.concat_str([pl.lit("["), pl.concat_str(cells, separator=","), pl.lit("]\n")])
        sha.update(part.select(lines.str.join("")).item().encode())
    return [rows.height, sha.hexdigest()]


SAMPLE = 1000  # values of a column whose Polars text is checked against ``repr`` first


def _float_text(numbers: pl.Series) -> pl.Series:
    """``repr`` of each float (None for null), a column at a time: Polars prints a float with
    the fewest digits that read back to the same bits, as ``repr`` does, in positional
    notation; ``repr`` writes an exponent below 1e-4 and from 1e16, so those few values (and
    infinities) are spelled by ``repr`` itself. Half a million ``repr`` calls cost more than
    the rest of a table's digest. Should a column's first values print otherwise, ``repr``
    spells the whole column."""
    text = numbers.cast(pl.Utf8)
    size = numbers.abs()
    odd = numbers.is_not_null() & ~(size.is_between(1e-4, 1e16, closed="left") | (size == 0))
    if odd.any():
        at = odd.arg_true()
        text = text.scatter(at, [repr(v) for v in numbers.gather(at).to_list()])
    head = numbers.head(SAMPLE).to_list()
    if text.head(SAMPLE).to_list() != [None if v is None else repr(v) for v in head]:
        return pl.Series([None if v is None else repr(v) for v in numbers.to_list()], dtype=pl.Utf8)
    return text


def _spelled(values: pl.Series, kind: str) -> pl.Series | None:
    """Each value of one column in its canonical spelling (``row_text.CELL``); None for a
    float column holding NaN (stored as NULL by SQLite, as NaN by PostgreSQL) or -0.0 (which
    SQLite may keep as the integer 0)."""
    if kind == "integer":
        spelled = values.cast(pl.Int64).cast(pl.Utf8)
    elif kind == "boolean":
        flags = values.cast(pl.Boolean)
        spelled = pl.select(
            pl.when(flags).then(pl.lit("true")).otherwise(pl.lit("false"))
        ).to_series()
    elif kind == "float":
        numbers = values.cast(pl.Float64)
        array = numbers.drop_nulls().to_numpy()
        if np.isnan(array).any() or (np.signbit(array) & (array == 0)).any():
            return None
        spelled = _float_text(numbers)
    else:
        strings = values.cast(pl.Utf8)
        distinct = strings.drop_nulls().unique()
        spelling = pl.Series([CELL[kind](v) for v in distinct.to_list()], dtype=pl.Utf8)
        spelled = strings.replace_strict(distinct, spelling, return_dtype=pl.Utf8)
    if values.null_count():
        spelled = pl.select(
            pl.when(values.is_null()).then(pl.lit(NULL)).otherwise(spelled)
        ).to_series()
    return spelled.alias(values.name)
