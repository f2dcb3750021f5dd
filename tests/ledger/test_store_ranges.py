"""#14: a keyset page of activities opens only the store files that can hold its rows.

Each store file records, at import, the least and greatest start date and activity of its
rows (``0040_storeranges``), so a page sorted by start or by activity skips the files whose
rows all come before its key and stops at the first file that starts past its last row, as
pages by id and by entity already did. Four store imports of one entity's year, a quarter
each (the first two of one activity, the last two of another), make four files of one
(year, entity): a page of three after a quarter's last row opens one file, not four, and
shows the same rows as with no ranges recorded (files read by id order, every one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select, update

from esgledger.ledger import activity_pages, activity_store
from esgledger.ledger.activities import import_activities
from esgledger.ledger.activity_pages import activity_page
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.listing import ListParams
from esgledger.ledger.store_models import ActivityFile
from tests.factories import ACTIVITY_HEADER, entities_file, monthly_rows, write_csv

SORTS = activity_pages.SORT
YEAR = 2025
RANGES = ("first_start", "last_start", "first_activity", "last_activity")


def _load_quarters(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))
    import_entities(db, entities_file(tmp_path), actor="setup")
    power = monthly_rows("SZ1", "electricity.purchased", "MWh", YEAR, 100.0)
    diesel = monthly_rows("SZ1", "fuel.diesel", "L", YEAR, 10.0)
    quarters = [power[0:3], power[3:6], diesel[6:9], diesel[9:12]]
    for n, rows in enumerate(quarters):
        path = write_csv(tmp_path / f"q{n}.csv", ACTIVITY_HEADER, rows)
        import_activities(db, path, actor="t", store=True)


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The store files read from now on (every read checks the file's bytes first)."""
    opened: list[str] = []
    real = activity_store._checked_bytes

    def checked(root: Path, file: ActivityFile) -> bytes:
        opened.append(file.path)
        return real(root, file)

    monkeypatch.setattr(activity_store, "_checked_bytes", checked)
    return opened


def _every(db: Database) -> list[dict[str, Any]]:
    with db.read() as session:
        return activity_page(session, ListParams(1000, 1, "id", False), SORTS).rows


def _page(db: Database, sort: str, descending: bool, after: tuple[Any, ...]) -> list[int]:
    with db.read() as session:
        found = activity_page(session, ListParams(3, 1, sort, descending, after=after), SORTS)
    return [r["id"] for r in found.rows]


def _key(row: dict[str, Any], sort: str) -> tuple[Any, int]:
    value = dt.date.fromisoformat(row["start"]) if sort == "start" else row[sort]
    return (value, row["id"])


def _clear_ranges(db: Database) -> None:
    with db.write() as session:
        session.execute(update(ActivityFile).values({name: None for name in RANGES}))


@pytest.mark.parametrize("sort", ["start", "activity"])
@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_a_keyset_page_opens_only_the_store_files_that_can_hold_it(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
    descending: bool,
) -> None:
    _load_quarters(db, tmp_path, monkeypatch)
    every = _every(db)
    assert len(every) == 12
    ordered = sorted(every, key=lambda r: _key(r, sort), reverse=descending)
    ids = [r["id"] for r in ordered]
    # after the first quarter's last row (the last quarter's, descending): the next one's
    mark = _key(ordered[2], sort)
    opened = _opened(monkeypatch)
    first = _page(db, sort, descending, ())
    first_opened = len(opened)
    opened.clear()
    later = _page(db, sort, descending, mark)
    later_opened = len(opened)
    assert first == ids[:3] and later == ids[3:6], (first, later, ids)
    assert (first_opened, later_opened) == (1, 1), (opened, first_opened, later_opened)
    with db.read() as session:  # the import recorded every file's ranges
        files = list(session.scalars(select(ActivityFile).order_by(ActivityFile.first_id)))
    assert [(f.first_start.month, f.last_start.month) for f in files] == [
        (1, 3), (4, 6), (7, 9), (10, 12)
    ]  # fmt: skip
    assert [f.first_activity for f in files] == [f.last_activity for f in files]
    assert [f.first_activity for f in files] == ["electricity.purchased"] * 2 + ["fuel.diesel"] * 2
    # today's reads, with no ranges recorded: the same rows, from every file
    _clear_ranges(db)
    opened.clear()
    assert _page(db, sort, descending, mark) == later
    assert len(opened) == 4, opened


def test_every_keyset_walk_shows_every_row_once_in_order_with_ranges(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_quarters(db, tmp_path, monkeypatch)
    every = _every(db)
    for sort in SORTS:
        field = "start" if sort == "start" else sort
        for descending in (False, True):
            wanted = sorted(every, key=lambda r: (r[field], r["id"]), reverse=descending)
            shown: list[int] = []
            key: tuple[Any, ...] = ()
            while True:
                with db.read() as session:
                    params = ListParams(2, 1, sort, descending, after=key)
                    found = activity_page(session, params, SORTS)
                shown += [r["id"] for r in found.rows]
                if len(found.rows) < 2 or found.last_key is None:
                    break
                key = found.last_key
            assert shown == [r["id"] for r in wanted], (sort, descending)


def test_the_migration_down_and_up_records_the_stored_files_ranges(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Down, the four columns go; up, they are filled from each file's rows, read and
    checked against the file's SHA-256; a file that cannot be read keeps none (read whole by
    every page, as before)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from esgledger.ledger.migrate import _config, current_revision, head_revision, upgrade

    _load_quarters(db, tmp_path, monkeypatch)
    with db.read() as session:
        recorded = [
            tuple(getattr(f, name) for name in RANGES)
            for f in session.scalars(select(ActivityFile).order_by(ActivityFile.id))
        ]
        damaged = session.scalars(select(ActivityFile.path).order_by(ActivityFile.id)).all()[1]
    cfg = _config(db)
    before = ScriptDirectory.from_config(cfg).get_revision("0040_storeranges").down_revision
    assert isinstance(before, str)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, before)
    assert current_revision(db) == before
    columns = {c["name"] for c in inspect(db.engine).get_columns("activity_files")}
    assert not columns & set(RANGES)
    target = tmp_path / "store" / damaged
    target.write_bytes(target.read_bytes() + b"x")  # its SHA-256 no longer matches
    assert upgrade(db) == (before, head_revision())
    with db.read() as session:
        filled = [
            tuple(getattr(f, name) for name in RANGES)
            for f in session.scalars(select(ActivityFile).order_by(ActivityFile.id))
        ]
    assert filled == [recorded[0], (None,) * 4, *recorded[2:]]
    assert all(None not in r for r in recorded)


def test_deep_verify_names_a_recorded_range_its_rows_do_not_bear_out(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ranges are not in the batch's digest (batches stored before them still verify),
    so ``esg audit verify --deep`` checks them against each file's rows: a start range
    narrowed by hand would hide the file's other rows from a page."""
    _load_quarters(sqlite_db, tmp_path, monkeypatch)
    with sqlite_db.read() as session:
        assert activity_store.verify_files(session) == []
    with sqlite_db.write() as session:
        path = session.scalars(select(ActivityFile.path).order_by(ActivityFile.id)).first()
        session.execute(
            update(ActivityFile)
            .where(ActivityFile.path == path)
            .values(last_start=dt.date(YEAR, 1, 1))
        )
    with sqlite_db.read() as session:
        problems = activity_store.verify_files(session)
    assert len(problems) == 1 and str(path) in problems[0] and "last_start" in problems[0]
