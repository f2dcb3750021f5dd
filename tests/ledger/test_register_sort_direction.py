"""#17: a descending register sort is its ascending sort read backwards — ties on the sorted
column included (id descending in a descending sort) — so one index on (column, id) serves
both directions on PostgreSQL (every register page but assurance's, whose ties go by ref A to Z;
this paginates each register's table with ties by id). With many ties and NULLs straddling pages of one row, every
page sequence, by OFFSET or by keyset (as the CSV exports read), lists each row exactly once,
on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from esgledger.ledger.db import Database
from esgledger.ledger.listing import ListParams, paginate
from tests.ledger.test_register_sort_indexes import SORTED
from tests.web.test_register_csv_exports import loaded_or_fresh
from tests.web.test_register_export_keyset import _unique

PAGE = 1  # every tie straddles a page boundary


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A copy of the registers filled once per run (tests/web/test_register_csv_exports.py)."""
    yield from loaded_or_fresh(request, tmp_path)


@pytest.fixture
def loaded(db: Database) -> None:
    """The test's ``db`` holds every register's rows."""


def _tie_half(db: Database, attribute: Any) -> None:
    """Every other row given the second row's value in the sorted column (and, where it may
    be empty, two more rows emptied), so ties and NULLs straddle pages."""
    model, column = attribute.class_, attribute.property.columns[0]
    if _unique(column):
        return
    with db.write() as s:
        ids = list(s.scalars(select(model.id).order_by(model.id)))
        value = s.scalar(select(attribute).where(model.id == ids[1]))
        for row in ids[3::2]:
            try:
                with s.begin_nested():  # a tie a unique set of columns refuses is left out
                    s.execute(update(model).where(model.id == row).values({column.key: value}))
            except IntegrityError:
                pass
        if column.nullable:
            emptied = model.id.in_([ids[0], ids[-2]])
            s.execute(update(model).where(emptied).values({column.key: None}))


def _ids(db: Database, attribute: Any, key: str, descending: bool, keyset: bool) -> list[int]:
    """Every row's id, in order, read a row (:data:`PAGE`) at a time."""
    model = attribute.class_
    read: list[int] = []
    params = ListParams(limit=PAGE, sort=key, descending=descending, after=() if keyset else None)
    while True:
        with db.read() as s:
            page = paginate(
                s, select(model), params, {key: attribute}, (model.id.asc(),), reverse_ties=True
            )
        read += [row.id for row in page.rows]
        if not page.rows:
            return read
        if keyset:
            params = ListParams(PAGE, 1, key, descending, after=page.last_key)
        else:
            params = ListParams(PAGE, params.page + 1, key, descending)


@pytest.mark.parametrize(("page", "key", "attribute"), SORTED, ids=lambda v: str(v))
def test_descending_is_ascending_backwards_with_no_row_lost_or_repeated(
    db: Database, loaded: None, page: str, key: str, attribute: Any
) -> None:
    _tie_half(db, attribute)
    with db.read() as s:
        stored = sorted(s.scalars(select(attribute.class_.id)))
    assert len(stored) >= 4, (page, len(stored))
    ascending = _ids(db, attribute, key, False, keyset=True)
    assert sorted(ascending) == stored, (page, key)  # each row once
    for descending, keyset in ((False, False), (True, True), (True, False)):
        read = _ids(db, attribute, key, descending, keyset)
        expected = ascending[::-1] if descending else ascending
        assert read == expected, (page, key, descending, keyset)


def _indexes(db: Database, table: str) -> dict[str, list[str]]:
    """``table``'s indexes (name → columns) as the database reports them."""
    from sqlalchemy import inspect

    with db.engine.connect() as conn:
        return {str(i["name"]): [str(c) for c in i["column_names"]]
                for i in inspect(conn).get_indexes(table)}  # fmt: skip


@pytest.mark.parametrize("name", ["sqlite_db", "pg_db"])
def test_0033_regsort_down_and_up(request: pytest.FixtureRequest, name: str) -> None:
    """Down to 0032_reg5: the (column, id) indexes go and the column-alone ones come back;
    up again: the reverse, and the schema matches the models (test_migrations)."""
    from alembic import command

    from esgledger.ledger.migrate import _config, current_revision, head_revision, upgrade

    db: Database = request.getfixturevalue(name)
    paired = {("whistle_cases", "state"), ("complaints", "severity"), ("board_members",
              "entity_id"), ("ohs_special_operators", "entity_id")}  # fmt: skip
    with db.engine.begin() as conn:
        cfg = _config(db)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0032_reg5")
    assert current_revision(db) == "0032_reg5"
    for table, column in paired:
        found = _indexes(db, table)
        assert f"ix_{table}_{column}_id" not in found, found
        alone = table in ("whistle_cases", "complaints")
        assert (found.get(f"ix_{table}_{column}") == [column]) is alone, found
    assert upgrade(db) == ("0032_reg5", head_revision())  # 0033_regsort and on
    for table, column in paired:
        found = _indexes(db, table)
        assert found[f"ix_{table}_{column}_id"] == [column, "id"], found
        assert f"ix_{table}_{column}" not in found, found
