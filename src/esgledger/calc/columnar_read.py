"""A year's live activity rows read from the ledger as columns, in the run's own transaction.

Building one Python row object per activity row cost 11 s of a 26 s run at a million rows.
PostgreSQL streams the rows out with ``COPY … TO STDOUT (FORMAT csv)`` and Polars parses the
text in parallel; SQLite hands its rows to ``fetchmany`` batches that are turned into columns
at once. Both read through the session's own connection, so the rows are those of the
snapshot the run read its factors and boundary from. Values arrive unchanged: PostgreSQL
prints a float8 with the fewest digits that read back to the same bits.

Rows of the Parquet activity store (``ledger.activity_store``) join the ledger's in id order:
a run sees one year of rows, wherever each row is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import polars as pl
from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session

from esgledger.ledger import activity_store

ACTIVITY_SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "entity_id": pl.Utf8,
    "start": pl.Date,
    "activity": pl.Utf8,
    "quantity": pl.Float64,
    "unit": pl.Utf8,
    "attributes": pl.Utf8,
}
# the columns a run reads as text; ``read_activities(coded=True)`` gives them as Categorical
TEXT_COLUMNS = ("entity_id", "activity", "unit", "attributes")
BATCH_ROWS = 250_000  # SQLite rows turned into columns at a time

_COLUMNS = ", ".join(f'"{c}"' for c in ACTIVITY_SCHEMA)
_WHERE = "voided_at IS NULL AND start >= {first} AND start <= {last}"


def read_activities(
    session: Session,
    year: int,
    *,
    entities: list[str] | None = None,
    activities: list[str] | None = None,
    coded: bool = False,
) -> pl.DataFrame:
    """Live activity rows starting in ``year``, ordered by id, as ``ACTIVITY_SCHEMA`` columns;
    only those of ``entities`` and of ``activities`` when given (a chunk, the Scope 3 rows).
    With ``coded`` the ``TEXT_COLUMNS`` come as Categorical (``coded_text``): read once as
    4-byte codes, every reader of a run's rows takes the codes instead of hashing the texts
    again, and the input digest hashes the same bytes from them (``calc.column_digest``)."""
    ledger = _read_ledger(session, year, entities=entities, activities=activities)
    if coded:
        ledger = coded_text(ledger)
    if not activity_store.has_files(session):
        return ledger
    stored = activity_store.read_store(
        session,
        year,
        entities=entities,
        activities=activities,
        columns=list(ACTIVITY_SCHEMA),
        coded=coded,
    )
    if not stored.height:
        return ledger
    if not ledger.height:  # the store's rows come in id order already
        return stored
    return pl.concat([ledger, stored]).sort("id")


def coded_text(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with their ``TEXT_COLUMNS`` as Categorical codes (the same values)."""
    return rows.with_columns(
        pl.col(name).cast(pl.Categorical) for name in TEXT_COLUMNS if name in rows.columns
    )


def as_text(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with their Categorical columns as text again: for a reader of a few rows
    (the instruments) that joins and prints them."""
    return rows.with_columns(
        pl.col(name).cast(pl.Utf8) for name, dtype in rows.schema.items() if dtype == pl.Categorical
    )


def _read_ledger(
    session: Session,
    year: int,
    *,
    entities: list[str] | None = None,
    activities: list[str] | None = None,
) -> pl.DataFrame:
    conn = session.connection()
    driver: Any = conn.connection.driver_connection
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if conn.dialect.name == "postgresql":
        where = _pg_where(driver, first, last, entities=entities, activities=activities)
        return _copy_csv(driver, where, "")
    return _sqlite_batches(driver, first, last, entities=entities, activities=activities)


def activity_batches(
    session: Session, year: int, batch_rows: int, *, store: bool = True
) -> Iterator[pl.DataFrame]:
    """The rows of ``read_activities(session, year)`` in id order, at most ``batch_rows`` at a
    time: a pass over a year that need not fit in memory (the input digest); without
    ``store``, the ledger's rows only."""
    ledger = _ledger_batches(session, year, batch_rows)
    if not store or not activity_store.has_files(session):
        yield from ledger
        return
    stored = activity_store.store_batches(session, year, batch_rows)
    columns = list(ACTIVITY_SCHEMA)
    yield from merged_by_id(ledger, (b.select(columns) for b in stored))


def store_chunks(session: Session, year: int, chunks: list[list[str]]) -> Iterator[pl.DataFrame]:
    """The activity store's rows of the year, a chunk of entities at a time (in id order
    within a chunk): at most a chunk's rows in memory, whatever the size of an import."""
    if not activity_store.has_files(session):
        return
    columns = list(ACTIVITY_SCHEMA)
    for chunk in chunks:
        yield activity_store.read_store(session, year, entities=chunk, columns=columns)


def merged_by_id(*streams: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """Batches in id order from streams of batches each in id order (ids never repeat):
    each step yields every pending row up to the smallest of the pending batches' last ids."""
    pending: list[pl.DataFrame | None] = [None] * len(streams)
    while True:
        for i, stream in enumerate(streams):
            if pending[i] is None or not pending[i].height:  # type: ignore[union-attr]
                pending[i] = next(stream, None)
        live = [p for p in pending if p is not None and p.height]
        if not live:
            return
        bound = min(int(p["id"][-1]) for p in live)
        parts = []
        for i, part in enumerate(pending):
            if part is not None and part.height:
                parts.append(part.filter(pl.col("id") <= bound))
                pending[i] = part.filter(pl.col("id") > bound)
        yield pl.concat(parts).sort("id")


def _ledger_batches(session: Session, year: int, batch_rows: int) -> Iterator[pl.DataFrame]:
    conn = session.connection()
    driver: Any = conn.connection.driver_connection
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if conn.dialect.name != "postgresql":
        yield from _sqlite_frames(_sqlite_cursor(driver, first, last), batch_rows)
        return
    after = None  # keyset pages: each one a COPY of its own, parsed as a whole
    while True:
        where = _pg_where(driver, first, last, after=after)
        page = _copy_csv(driver, where, f" LIMIT {int(batch_rows)}")
        if not page.height:
            return
        yield page
        after = int(page["id"][-1])


def rows_per_entity(session: Session, year: int) -> dict[str, int]:
    """Live activity rows starting in ``year``, counted by entity: the chunks' plan."""
    counts = ledger_rows_per_entity(session, year)
    for entity, count in activity_store.rows_per_entity(session, year).items():
        counts[entity] = counts.get(entity, 0) + count
    return counts


def ledger_rows_per_entity(session: Session, year: int) -> dict[str, int]:
    """The ledger's live activity rows starting in ``year`` (not the store's), by entity."""
    conn = session.connection()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    query = text(
        "SELECT entity_id, COUNT(*) FROM activity_records "
        "WHERE voided_at IS NULL AND start >= :first AND start <= :last GROUP BY entity_id"
    ).bindparams(bindparam("first", type_=Date), bindparam("last", type_=Date))
    rows = conn.execute(query, {"first": first, "last": last})
    return {entity: int(count) for entity, count in rows}


def _pg_where(
    driver: Any,
    first: dt.date,
    last: dt.date,
    *,
    entities: list[str] | None = None,
    activities: list[str] | None = None,
    after: int | None = None,
) -> str:
    """The WHERE clause with its values as literals (COPY takes no bound parameters),
    quoted by the driver."""
    from psycopg import sql as pg_sql  # PostgreSQL only: a SQLite command never loads it

    # dates made here from an int year
    clauses = [
        _WHERE.format(first=f"DATE '{first.isoformat()}'", last=f"DATE '{last.isoformat()}'")
    ]
    for column, values in (("entity_id", entities), ("activity", activities)):
        if values is not None:
            array = pg_sql.Literal(list(values)).as_string(driver)
            clauses.append(f"{column} = ANY({array}::text[])")
    if after is not None:
        clauses.append(f"id > {int(after)}")
    return " AND ".join(clauses)


def _copy_csv(driver: Any, where: str, limit: str) -> pl.DataFrame:
    sql = (
        f"COPY (SELECT {_COLUMNS} FROM activity_records WHERE {where} ORDER BY id{limit}) "
        # NULL printed as \N, so an empty string and a NULL stay apart
        "TO STDOUT (FORMAT csv, NULL '\\N')"
    )
    buffer = bytearray()
    with driver.cursor() as cur, cur.copy(sql) as copy:
        for block in copy:
            buffer += block
    if not buffer:
        return pl.DataFrame(schema=ACTIVITY_SCHEMA)
    return pl.read_csv(
        bytes(buffer),
        has_header=False,
        new_columns=list(ACTIVITY_SCHEMA),
        schema=ACTIVITY_SCHEMA,
        null_values="\\N",
        empty_string_is_null=False,
    )


def _sqlite_cursor(
    driver: sqlite3.Connection,
    first: dt.date,
    last: dt.date,
    *,
    entities: list[str] | None = None,
    activities: list[str] | None = None,
) -> sqlite3.Cursor:
    where = _WHERE.format(first="?", last="?")
    params: list[Any] = [first.isoformat(), last.isoformat()]
    for column, values in (("entity_id", entities), ("activity", activities)):
        if values is not None:  # one JSON parameter, whatever the number of values
            where += f" AND {column} IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(values)))
    return driver.execute(
        f"SELECT {_COLUMNS} FROM activity_records WHERE {where} ORDER BY id", params
    )


def _sqlite_frames(cursor: sqlite3.Cursor, batch_rows: int) -> Iterator[pl.DataFrame]:
    while batch := cursor.fetchmany(batch_rows):
        yield pl.DataFrame(
            batch, schema={**ACTIVITY_SCHEMA, "start": pl.Utf8}, orient="row"
        ).with_columns(pl.col("start").str.to_date("%Y-%m-%d"))


def _sqlite_batches(
    driver: sqlite3.Connection,
    first: dt.date,
    last: dt.date,
    *,
    entities: list[str] | None = None,
    activities: list[str] | None = None,
) -> pl.DataFrame:
    cursor = _sqlite_cursor(driver, first, last, entities=entities, activities=activities)
    frames = list(_sqlite_frames(cursor, BATCH_ROWS))
    if not frames:
        return pl.DataFrame(schema=ACTIVITY_SCHEMA)
    return pl.concat(frames, rechunk=True)
