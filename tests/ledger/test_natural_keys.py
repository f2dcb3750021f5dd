"""Issue #13.1: the database itself refuses a second live copy of an activity row, on every
backend and on the large-import path (SQLite sets its indexes aside and rebuilds them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from esgledger.errors import ConcurrentChange
from esgledger.ledger.bulk import KeyTaken, insert_frame
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.migrate import upgrade
from esgledger.ledger.models import ActivityRecord, ImportBatch, utcnow
from tests.factories import entities_file


@pytest.fixture
def batch(db: Database, tmp_path: Path) -> int:
    import_entities(db, entities_file(tmp_path), actor="test")
    with db.write() as session:
        row = ImportBatch(kind="activities", source="t.csv", sha256="0" * 64, rows=0, actor="t")
        session.add(row)
        session.flush()
        return row.id


def days(n: int, batch: int, first: dt.date = dt.date(1800, 1, 1)) -> pl.DataFrame:
    """``n`` one-day diesel rows of SZ1, each on its own day: ``n`` distinct keys."""
    starts = pl.date_range(first, first + dt.timedelta(days=n - 1), eager=True)
    text_dates = starts.dt.to_string("%Y-%m-%d")
    return pl.DataFrame(
        {
            "entity_id": ["SZ1"] * n,
            "start": text_dates,
            "end": text_dates,
            "activity": ["fuel.diesel"] * n,
            "quantity": [1.0] * n,
            "unit": ["t"] * n,
            "attributes": [""] * n,
            "batch_id": [batch] * n,
        }
    )


def count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(ActivityRecord)) or 0


def record(batch: int, **extra: object) -> ActivityRecord:
    return ActivityRecord(
        entity_id="SZ1",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 1, 31),
        activity="fuel.diesel",
        quantity=1.0,
        unit="t",
        attributes='{"use":"stationary"}',
        batch_id=batch,
        **extra,
    )


def test_issue13_1_a_second_live_copy_is_refused_but_a_voided_one_is_kept(
    db: Database, batch: int
) -> None:
    with db.write() as session:
        session.add(record(batch))
    # On PostgreSQL a unique violation is how a concurrent writer's commit shows: one line.
    refused = ConcurrentChange if db.dialect == "postgresql" else IntegrityError
    with pytest.raises(refused), db.write() as session:
        session.add(record(batch))
    with db.write() as session:  # the same key, voided: history, not a second copy
        session.add(record(batch, voided_at=utcnow(), voided_by="t", void_reason="typo"))
    with db.write() as session:  # other attributes: another key
        row = record(batch)
        row.attributes = '{"use":"mobile"}'
        session.add(row)
    assert count(db) == 3


def test_bulk_insert_of_a_taken_key_raises_key_taken_and_stores_nothing(
    db: Database, batch: int
) -> None:
    with db.write() as session:
        insert_frame(session, "activity_records", days(3, batch))
    with pytest.raises(KeyTaken) as err, db.write() as session:
        insert_frame(session, "activity_records", days(5, batch, dt.date(1799, 12, 30)))
    assert "activity_records: a row with the same key is already stored" in str(err.value)
    assert "\n" not in str(err.value)
    assert count(db) == 3


LARGE = 50  # rows of a "large" insert, with ESG_BULK_SET_ASIDE_ROWS lowered to reach it


def test_large_insert_rebuilds_the_unique_index_and_refuses_a_duplicate(
    db: Database, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large enough for SQLite to set the indexes aside: the rebuilt unique index refuses the
    duplicate; the whole insert rolls back and every index is still there."""
    monkeypatch.setenv("ESG_BULK_SET_ASIDE_ROWS", str(LARGE))
    rows = days(LARGE, batch)
    duplicated = pl.concat([rows, rows.tail(1)])
    with pytest.raises(KeyTaken), db.write() as session:
        insert_frame(session, "activity_records", duplicated)
    assert count(db) == 0
    with db.write() as session:
        insert_frame(session, "activity_records", rows)
    assert count(db) == LARGE
    indexes = {i["name"]: i for i in db_indexes(db)}
    assert indexes["uq_activity_records_key"]["unique"]
    assert {"ix_activity_records_entity_start", "ix_activity_records_batch"} <= set(indexes)
    with pytest.raises(KeyTaken), db.write() as session:
        insert_frame(session, "activity_records", rows.head(1))
    assert count(db) == LARGE


def db_indexes(db: Database) -> list[dict[str, object]]:
    from sqlalchemy import inspect

    return inspect(db.engine).get_indexes("activity_records")


@pytest.fixture(params=["sqlite", "postgresql"])
def blank(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database on each backend, to migrate step by step."""
    if request.param == "sqlite":
        target = str(tmp_path / "old.db")
    else:
        target = request.getfixturevalue("empty_pg_url")
    db = Database(target)
    yield db
    db.dispose()


def test_migration_keeps_the_first_copy_of_rows_stored_twice_live(blank: Database) -> None:
    """A workspace doubled before the key existed still migrates: the later copy is voided."""
    upgrade(blank, "0006")
    with blank.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO entities (id, name, kind, country, created_at, version) "
                "VALUES ('SZ1', 'Shenzhen', 'site', 'CN', '2024-01-01', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO import_batches (id, kind, source, sha256, rows, actor, created_at) "
                "VALUES (1, 'activities', 'a.csv', '', 1, 't', '2024-01-01'), "
                "(2, 'activities', 'a.csv', '', 1, 't', '2024-01-01')"
            )
        )
        for ident, batch in ((1, 1), (2, 2)):
            conn.execute(
                text(
                    'INSERT INTO activity_records (id, entity_id, start, "end", activity, '
                    "quantity, unit, attributes, batch_id) VALUES (:id, 'SZ1', '2024-01-01', "
                    "'2024-01-31', 'fuel.diesel', 1.0, 't', '', :batch)"
                ),
                {"id": ident, "batch": batch},
            )
    upgrade(blank)
    with blank.read() as session:
        rows = session.execute(
            select(ActivityRecord.id, ActivityRecord.void_reason).order_by(ActivityRecord.id)
        ).all()
    assert rows[0] == (1, None)
    assert rows[1][0] == 2 and "stored twice" in str(rows[1][1])
