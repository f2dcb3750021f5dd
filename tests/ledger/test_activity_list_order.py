"""#14: the activity list pages in index order, its store rows merged in.

Ties go by id in the sort's direction (a descending page is the ascending one read
backwards), so one (column, id) index (``0038_actsort``) serves each sort either way. The
Parquet store's rows are merged in the same order: with most rows tied on the sorted key,
pages of three by number and by keyset (each after the last row's key) must give every row
of ledger and store once, in that order, on SQLite and PostgreSQL. SQLite's plan for a page
read walks the index (PostgreSQL's: ``tests/ledger/test_list_sort_indexes.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from esgledger.ledger import activity_pages
from esgledger.ledger.activities import import_activities
from esgledger.ledger.activity_pages import THEN_BY, activity_page
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.keyset import after, term
from esgledger.ledger.listing import ListParams, page_order
from esgledger.ledger.models import ActivityRecord
from tests.factories import ACTIVITY_HEADER, entities_file, monthly_rows, write_csv

SORTS = activity_pages.SORT
YEAR = 2025


def _load(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: bool) -> None:
    """Rows tied on every sorted key but the id: four entities' months (starts tied across
    entities), two activities; some in the ledger, the rest (when ``store``) in the store."""
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))
    import_entities(db, entities_file(tmp_path), actor="setup")
    sz1 = monthly_rows("SZ1", "electricity.purchased", "MWh", YEAR, 100.0)
    wh1 = monthly_rows("WH1", "electricity.purchased", "MWh", YEAR, 50.0)
    vn1 = monthly_rows("VN1", "fuel.diesel", "L", YEAR, 10.0)
    hq = monthly_rows("HQ", "electricity.purchased", "MWh", YEAR - 1, 1.0)
    parts = [(sz1[::2] + vn1[:4], False), (wh1 + hq[:5], store), (sz1[1::2], False),
             (vn1[4:] + hq[5:], store)]  # fmt: skip
    for n, (rows, to_store) in enumerate(parts):
        path = write_csv(tmp_path / f"a{n}.csv", ACTIVITY_HEADER, rows)
        import_activities(db, path, actor="t", store=to_store)


def _walk_by_number(db: Database, sort: str, descending: bool) -> list[int]:
    ids: list[int] = []
    with db.read() as session:
        page = 1
        while True:
            found = activity_page(session, ListParams(3, page, sort, descending), SORTS)
            ids += [r["id"] for r in found.rows]
            if not found.has_next:
                assert len(ids) == found.total, (sort, descending, ids)
                return ids
            page += 1


def _walk_by_key(db: Database, sort: str, descending: bool) -> list[int]:
    ids: list[int] = []
    with db.read() as session:
        key: tuple[Any, ...] = ()
        while True:
            found = activity_page(session, ListParams(3, 1, sort, descending, after=key), SORTS)
            ids += [r["id"] for r in found.rows]
            if len(found.rows) < 3:
                return ids
            assert found.last_key is not None, (sort, descending)
            key = found.last_key


@pytest.mark.parametrize("store", [False, True], ids=["ledger", "ledger+store"])
def test_tied_activities_page_by_id_in_the_sorts_direction_with_store_rows_merged(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: bool
) -> None:
    _load(db, tmp_path, monkeypatch, store)
    with db.read() as session:
        every = activity_page(session, ListParams(1000, 1, "id", False), SORTS).rows
    assert len(every) == 48
    with db.read() as session:  # the store's rows are listed, not hidden
        in_ledger = session.scalar(select(func.count()).select_from(ActivityRecord))
    assert in_ledger == (16 if store else 48)
    field = {"id": "id", "start": "start", "entity": "entity", "activity": "activity"}
    for sort in SORTS:
        values = {r["id"]: r[field[sort]] for r in every}
        if sort != "id":
            assert len(set(values.values())) <= len(values) // 2, sort  # every value tied
        wanted = sorted(values, key=lambda i: (values[i], i))
        assert _walk_by_number(db, sort, False) == wanted, sort
        assert _walk_by_number(db, sort, True) == wanted[::-1], sort
        assert _walk_by_key(db, sort, False) == wanted, sort
        assert _walk_by_key(db, sort, True) == wanted[::-1], sort


def test_the_store_rows_of_a_keyset_page_are_read_a_file_at_a_time(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keyset page, and the first page by number, hold at most ``limit`` store rows at
    once beside one file's: the whole store side is never sorted in memory, so the bound on
    it does not apply."""
    _load(db, tmp_path, monkeypatch, True)
    monkeypatch.setattr(activity_pages, "STORE_ROWS", 5)
    with db.read() as session:
        first = activity_page(session, ListParams(4, 1, "entity", True, after=()), SORTS)
        later = activity_page(session, ListParams(4, 1, "entity", True, after=first.last_key),
                              SORTS)  # fmt: skip
    assert [r["entity"] for r in first.rows] == ["WH1"] * 4
    assert len(later.rows) == 4 and later.rows[0]["id"] < first.rows[-1]["id"]
    with db.read() as session:  # the first page by number is the first keyset page
        numbered = activity_page(session, ListParams(4, 1, "entity", True), SORTS)
    assert numbered.rows == first.rows and numbered.total == 48


def _plan(db: Database, statement: Any) -> str:
    with db.read() as session:
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return " | ".join(str(r[-1]) for r in rows)


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_an_activity_page_read_on_sqlite_walks_an_index(sqlite_db: Database, sort: str) -> None:
    """The first page and a later one, both directions, in the page's order: no sort of
    the table (``TEMP B-TREE FOR ORDER BY``)."""
    values = {"id": 7, "start": "2025-03-01", "entity": "SZ1", "activity": "fuel.diesel"}
    for descending in (False, True):
        order = page_order(SORTS[sort], descending, THEN_BY)
        first = select(ActivityRecord).order_by(*order).limit(1000)
        terms = [term(o) for o in order]
        key = (values[sort], 7)  # the sort's column, then the id (for "id": the id twice)
        later = first.where(after(terms, key, large_nulls=False))
        for statement in (first, later):
            plan = _plan(sqlite_db, statement)
            assert "TEMP B-TREE FOR ORDER BY" not in plan, (sort, descending, plan)
