"""The rows of a file whose natural key a live ledger row holds, found a window of the
ledger's rows at a time (as ``store_clashes`` reads the activity store's files a part at a
time): an import's memory is set by its file and the window, not by the live rows its date
span already holds in the ledger (#18)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl
from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session

from esgledger.ledger.store_clashes import clashes_in

PART_ROWS = 1_000_000  # ledger keys compared at once, at most


def ledger_clashes(session: Session, keys: pl.DataFrame) -> pl.DataFrame | None:
    """The live ledger rows' keys (``KEY`` with ``batch_id`` and ``id``) equal to some of
    ``keys`` (a file's typed ``KEY`` columns), or None."""
    first, last = keys["start"].min(), keys["start"].max()
    if not isinstance(first, dt.date) or not isinstance(last, dt.date):
        return None
    return clashes_in(keys, ledger_key_parts(session, first, last, PART_ROWS))


def ledger_key_parts(
    session: Session, first: dt.date, last: dt.date, rows: int
) -> Iterator[pl.DataFrame]:
    """The natural keys (with ``batch_id`` and ``id``) of the live ledger rows starting in
    [first, last], ``rows`` at a time in id order. Plain rows with dates as ISO text on both
    databases: a million keys load in about a second, where ORM objects would take several."""
    cast = "" if session.get_bind().dialect.name == "sqlite" else "::text"
    stmt = text(
        f'SELECT entity_id, start{cast}, "end"{cast}, activity, attributes, batch_id, id '
        "FROM activity_records WHERE start >= :lo AND start <= :hi AND voided_at IS NULL "
        "AND id > :after ORDER BY id LIMIT :rows"
    ).bindparams(bindparam("lo", type_=Date), bindparam("hi", type_=Date))
    after = 0
    while True:
        params = {"lo": first, "hi": last, "after": after, "rows": rows}
        result = session.connection().execute(stmt, params)
        found = result.cursor.fetchall() if result.cursor is not None else []
        if not found:
            return
        yield key_frame(found)
        after = found[-1][6]
        if len(found) < rows:
            return


def key_frame(rows: Sequence[Any]) -> pl.DataFrame:
    """Ledger key rows (as the query above gives them) as typed columns."""
    columns = list(zip(*rows, strict=True))
    return pl.DataFrame(
        {
            "entity_id": pl.Series(columns[0], dtype=pl.Utf8),
            "start": pl.Series(columns[1], dtype=pl.Utf8).str.to_date("%Y-%m-%d"),
            "end": pl.Series(columns[2], dtype=pl.Utf8).str.to_date("%Y-%m-%d"),
            "activity": pl.Series(columns[3], dtype=pl.Utf8),
            "attributes": pl.Series(columns[4], dtype=pl.Utf8),
            "batch_id": pl.Series(columns[5], dtype=pl.Int64),
            "id": pl.Series(columns[6], dtype=pl.Int64),
        }
    )
