"""#18: the path of large SQLite inserts that sets the table's indexes aside and builds them
again, reached with small data by lowering ``ESG_BULK_SET_ASIDE_ROWS``: it is taken when
it should be, and afterwards every index is back and the natural key still refuses a copy."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from esgledger.ledger.bulk import KeyTaken, insert_frame
from esgledger.ledger.db import Database
from tests.ledger import test_natural_keys as keys
from tests.ledger.test_natural_keys import count, days

SET_ASIDE = 20
batch = keys.batch  # the fixture: an entity tree and an open import batch


@pytest.fixture(autouse=True)
def _small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESG_BULK_SET_ASIDE_ROWS", str(SET_ASIDE))


def index_sql(db: Database) -> list[str]:
    with db.read() as session:
        return sorted(
            session.execute(
                text(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'activity_records' AND sql IS NOT NULL"
                )
            ).scalars()
        )


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """Every SQL statement SQLite runs on the session's connection meanwhile."""
    seen: list[str] = []
    dbapi = session.connection().connection.driver_connection
    assert isinstance(dbapi, sqlite3.Connection)
    dbapi.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        dbapi.set_trace_callback(None)


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    """SQLite only: PostgreSQL copies into its indexes, it never sets them aside."""
    return sqlite_db


def test_a_large_insert_into_an_empty_table_sets_the_indexes_aside(
    db: Database, batch: int
) -> None:
    before = index_sql(db)
    with db.write() as session, statements(session) as seen:
        insert_frame(session, "activity_records", days(SET_ASIDE, batch))
    dropped = [s for s in seen if s.startswith("DROP INDEX")]
    # the grouping index (0029_kpicheck2) and the activity list's three (0038_actsort) too
    assert len(dropped) == len(before) == 7
    assert sorted(s for s in seen if s.startswith("CREATE")) == before
    assert index_sql(db) == before
    assert count(db) == SET_ASIDE
    with pytest.raises(KeyTaken), db.write() as session:
        insert_frame(session, "activity_records", days(1, batch))  # the first key again
    assert count(db) == SET_ASIDE


@pytest.mark.parametrize(
    ("stored", "adding"), [(0, SET_ASIDE - 1), (SET_ASIDE + 1, SET_ASIDE)], ids=["small", "fuller"]
)
def test_a_small_insert_or_one_into_a_fuller_table_updates_the_indexes_in_place(
    db: Database, batch: int, stored: int, adding: int
) -> None:
    if stored:
        with db.write() as session:
            insert_frame(session, "activity_records", days(stored, batch, dt.date(1700, 1, 1)))
    with db.write() as session, statements(session) as seen:
        insert_frame(session, "activity_records", days(adding, batch))
    assert not [s for s in seen if s.startswith("DROP INDEX")]
    assert count(db) == stored + adding


def test_a_failure_after_the_indexes_were_set_aside_leaves_them_all_and_no_row(
    db: Database, batch: int
) -> None:
    """The insert fails midway (the last row is a copy of the first): the rebuilt unique
    index refuses it, the transaction rolls back, and every index is there as before."""
    before = index_sql(db)
    rows = days(SET_ASIDE, batch)
    with pytest.raises(KeyTaken), db.write() as session:
        insert_frame(session, "activity_records", rows.vstack(rows.head(1)))
    assert index_sql(db) == before
    assert count(db) == 0


def test_the_larger_bulk_cache_is_given_back_after_the_insert(db: Database, batch: int) -> None:
    """The bulk insert's bigger page cache lasts only while its rows go in, even on failure."""
    with db.write() as session:
        dbapi = session.connection().connection.driver_connection
        own = dbapi.execute("PRAGMA cache_size").fetchone()[0]
        with statements(session) as seen:
            insert_frame(session, "activity_records", days(SET_ASIDE - 1, batch))
        assert any(s.startswith("PRAGMA cache_size = -") for s in seen)
        assert dbapi.execute("PRAGMA cache_size").fetchone()[0] == own
    with pytest.raises(KeyTaken), db.write() as session:
        dbapi = session.connection().connection.driver_connection
        insert_frame(session, "activity_records", days(1, batch))
    with db.write() as session:
        dbapi = session.connection().connection.driver_connection
        assert dbapi.execute("PRAGMA cache_size").fetchone()[0] == own


def test_the_stored_rows_are_counted_no_further_than_the_rows_being_added(
    db: Database, batch: int
) -> None:
    """Whether a table holds more rows than an insert adds needs at most one more row than it
    adds: counting a table of millions to the end cost 1.41 s at 12 M rows. The statement the
    insert counts with, run again on a table holding three times the rows added, stops at
    one past them."""
    stored = 3 * SET_ASIDE
    with db.write() as session:
        insert_frame(session, "activity_records", days(stored, batch, dt.date(1700, 1, 1)))
    with db.write() as session, statements(session) as seen:
        insert_frame(session, "activity_records", days(SET_ASIDE, batch))
        counts = [s for s in seen if "count(" in s.lower() and "activity_records" in s]
        assert len(counts) == 1
        dbapi = session.connection().connection.driver_connection
        assert dbapi.execute(counts[0]).fetchone()[0] == SET_ASIDE + 1
    assert not [s for s in seen if s.startswith("DROP INDEX")]
    assert count(db) == stored + SET_ASIDE
