"""Fast bulk inserts: ``executemany`` on SQLite, ``COPY`` on PostgreSQL, in the caller's transaction."""

from __future__ import annotations

import io
from collections.abc import Callable

import polars as pl
from sqlalchemy.orm import Session

Progress = Callable[[int, int], None]
CHUNK = 100_000


def insert_frame(
    session: Session, table: str, frame: pl.DataFrame, *, on_progress: Progress | None = None
) -> None:
    """Insert every row of ``frame`` (columns named as in ``table``) inside the session's transaction.

    Dates and datetimes must already be ISO strings; floats go in unrounded.
    """
    conn = session.connection()
    dialect = conn.dialect.name
    dbapi = conn.connection.driver_connection
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    total = frame.height
    for offset in range(0, total, CHUNK):
        chunk = frame.slice(offset, CHUNK)
        if dialect == "sqlite":
            marks = ", ".join("?" for _ in frame.columns)
            dbapi.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', chunk.iter_rows())
        else:
            data = chunk.write_csv(include_header=False, quote_style="always", null_value="")
            with dbapi.cursor() as cur, cur.copy(
                f'COPY "{table}" ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NULL ({columns}))'
            ) as copy:
                copy.write(data.encode("utf-8") if isinstance(data, str) else data)
        if on_progress:
            on_progress(min(offset + CHUNK, total), total)
