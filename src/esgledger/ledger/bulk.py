"""Fast bulk inserts in the caller's transaction: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

On SQLite, a large insert into a table that holds fewer rows than it adds sets the table's
secondary indexes aside and builds them again once all rows are in, inside the same
transaction: building an index from sorted rows is several times cheaper than updating it
row by row in file order. The stored rows, ids and index definitions are the same either way;
a unique index (a natural key) refuses duplicates when it is built again, as it would have
at insert time.

A row whose key is already taken (a unique index or constraint) raises :class:`KeyTaken` on
every database, never the driver's own error: the caller's transaction must then roll back.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import polars as pl
from sqlalchemy.orm import Session

from esgledger.errors import Conflict
from esgledger.faults import fault_point
from esgledger.settings import get_settings

Progress = Callable[[int, int], None]
CHUNK = 100_000
BULK_CACHE_KIB = 256 * 1024  # SQLite page cache during a bulk insert: bounded, 256 MiB


class KeyTaken(Conflict):
    """A row's natural key is already held by a stored row (a concurrent import, say)."""

    def __init__(self, table: str, detail: str):
        self.table = table
        super().__init__(
            f"{table}: a row with the same key is already stored ({detail}); nothing was written"
        )


def insert_frame(
    session: Session, table: str, frame: pl.DataFrame, *, on_progress: Progress | None = None
) -> None:
    """Insert every row of ``frame`` (columns named as in ``table``) in the session's transaction.

    Dates and datetimes must already be ISO strings; floats go in unrounded. Raises
    :class:`KeyTaken` when a unique index refuses a row.
    """
    try:
        _insert(session, table, frame, on_progress)
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" not in str(exc):
            raise
        raise KeyTaken(table, str(exc).splitlines()[0]) from None
    except Exception as exc:
        if not _unique_violation(exc):
            raise
        name = exc.diag.constraint_name or "a unique index"  # type: ignore[attr-defined]
        raise KeyTaken(table, f"violates {name}") from None


def _unique_violation(exc: Exception) -> bool:
    """Whether ``exc`` is PostgreSQL's unique violation. psycopg is not imported for it: a
    process that never loaded psycopg (every SQLite command) cannot have raised its error."""
    errors = sys.modules.get("psycopg.errors")
    return errors is not None and isinstance(exc, errors.UniqueViolation)


def _insert(
    session: Session, table: str, frame: pl.DataFrame, on_progress: Progress | None
) -> None:
    conn = session.connection()
    dialect = conn.dialect.name
    dbapi = conn.connection.driver_connection
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    total = frame.height
    if dialect == "sqlite":
        marks = ", ".join("?" for _ in frame.columns)
        sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
        with _cache_for_bulk(dbapi), _indexes_set_aside(dbapi, table, total):
            for offset in range(0, total, CHUNK):
                chunk = frame.slice(offset, CHUNK)
                # Columns zipped into rows: zip reuses its tuple, so no million live tuples.
                rows = zip(*(chunk[c].to_list() for c in chunk.columns), strict=True)
                dbapi.executemany(sql, rows)
                fault_point("bulk.chunk_inserted")
                if on_progress:
                    on_progress(min(offset + CHUNK, total), total)
        return
    for offset in range(0, total, CHUNK):
        chunk = frame.slice(offset, CHUNK)
        # Strings quoted, nulls bare: in PostgreSQL CSV "" is an empty string and a bare field NULL.
        data = chunk.write_csv(include_header=False, quote_style="non_numeric", null_value="")
        with (
            dbapi.cursor() as cur,
            cur.copy(f'COPY "{table}" ({columns}) FROM STDIN WITH (FORMAT csv)') as copy,
        ):
            copy.write(data.encode("utf-8") if isinstance(data, str) else data)
        fault_point("bulk.chunk_inserted")
        if on_progress:
            on_progress(min(offset + CHUNK, total), total)


@contextmanager
def _cache_for_bulk(dbapi: sqlite3.Connection) -> Iterator[None]:
    """A larger page cache while rows go in, the connection's own size again after.

    Rows added to a table already holding millions update its indexes all over; with
    SQLite's default 2 MB cache each touched index page is soon evicted, written to the WAL
    and read back, many times over. A bounded larger cache writes most pages once.
    """
    before = dbapi.execute("PRAGMA cache_size").fetchone()[0]
    dbapi.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(sqlite3.Error):
            dbapi.execute(f"PRAGMA cache_size = {before}")


@contextmanager
def _indexes_set_aside(dbapi: sqlite3.Connection, table: str, adding: int) -> Iterator[None]:
    """Drop ``table``'s secondary indexes for a large insert, then recreate them.

    Only when ``adding`` is large (``ESG_BULK_SET_ASIDE_ROWS``) and at least the rows already
    stored (counted up to one past ``adding`` only). Indexes made by
    ``CREATE [UNIQUE] INDEX`` are set aside (partial unique ones, the natural keys, included:
    building them again refuses duplicates with ``sqlite3.IntegrityError``); constraints
    declared in the table (primary key, ``UNIQUE``) stay in place. The indexes come back from
    their own stored SQL, also when the insert fails (the caller then rolls back).
    """
    if adding < get_settings().bulk_set_aside_rows:
        yield
        return
    # Counted no further than one row past those added: all the test needs, and counting a
    # table of 12·10⁶ rows to the end cost 1.41 s.
    bound = int(adding) + 1
    stored = dbapi.execute(
        f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT {bound})'
    ).fetchone()[0]
    if stored > adding:
        yield
        return
    listed = dbapi.execute(f'PRAGMA index_list("{table}")').fetchall()
    names = [row[1] for row in listed if row[3] == "c"]  # made by CREATE [UNIQUE] INDEX
    definitions: list[tuple[str, str]] = []
    for name in names:
        found = dbapi.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).fetchone()
        if found and found[0]:
            definitions.append((name, found[0]))
    for name, _sql in definitions:
        dbapi.execute(f'DROP INDEX "{name}"')
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):  # the insert's own error is the one to report
            for _name, sql in definitions:
                dbapi.execute(sql)
        raise
    for _name, sql in definitions:
        dbapi.execute(sql)
