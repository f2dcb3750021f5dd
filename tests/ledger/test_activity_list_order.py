"""#14: the activity list pages in index order, its store rows merged in.

Ties go by id in the sort's direction (a descending page is the ascending one read
backwards), so one (column, id) index (``0038_actsort``) serves each sort either way. The
Parquet store's rows are merged in the same order: with most rows tied on the sorted key,
pages of three by number and by keyset (each after the last row's key) must give every row
of ledger and store once, in that order, on SQLite and PostgreSQL. SQLite's plan for a page
read walks the index (PostgreSQL's: ``tests/ledger/test_list_sort_indexes.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, text

from esgledger.ledger import activity_pages
from esgledger.ledger.activities import activity_query, import_activities
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
    _load_parts(db, tmp_path, monkeypatch, (False, store, False, store))


def _load_parts(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to_store: tuple[bool, ...]
) -> None:
    """:func:`_load`'s four imports, each to the store or the ledger as ``to_store`` says."""
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))
    import_entities(db, entities_file(tmp_path), actor="setup")
    sz1 = monthly_rows("SZ1", "electricity.purchased", "MWh", YEAR, 100.0)
    wh1 = monthly_rows("WH1", "electricity.purchased", "MWh", YEAR, 50.0)
    vn1 = monthly_rows("VN1", "fuel.diesel", "L", YEAR, 10.0)
    hq = monthly_rows("HQ", "electricity.purchased", "MWh", YEAR - 1, 1.0)
    parts = [sz1[::2] + vn1[:4], wh1 + hq[:5], sz1[1::2], vn1[4:] + hq[5:]]
    for n, (rows, stored) in enumerate(zip(parts, to_store, strict=True)):
        path = write_csv(tmp_path / f"a{n}.csv", ACTIVITY_HEADER, rows)
        import_activities(db, path, actor="t", store=stored)


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


def _load_swapped(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """:func:`_load`'s rows with the sides swapped: 32 in the ledger, 16 in the store."""
    _load_parts(db, tmp_path, monkeypatch, (True, False, True, False))


@pytest.mark.parametrize("more_in", ["store", "ledger"])
def test_a_later_page_by_number_is_its_slice_of_the_order_from_two_ledger_reads(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, more_in: str
) -> None:
    """Page N of L rows by number is rows (N-1)·L … N·L-1 of the whole order, ledger and
    store merged, ties by id in the sort's direction, for every N and several L; and the
    ledger is read in order twice for it (its row where the page can start, by OFFSET, then
    the keys after it that the page can reach), not once per step of a search over its rows,
    each walking the index up to the page (a page at 90 % of 10⁶ + 10⁶ rows cost 25.6–28.0
    CPU s so)."""
    if more_in == "store":
        _load(db, tmp_path, monkeypatch, True)
    else:
        _load_swapped(db, tmp_path, monkeypatch)
    with db.read() as session:
        every = activity_page(session, ListParams(1000, 1, "id", False), SORTS).rows
    assert len(every) == 48
    ordered: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM activity_records" in statement and "ORDER BY" in statement:
            ordered.append(statement)

    field = {"id": "id", "start": "start", "entity": "entity", "activity": "activity"}
    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for sort in SORTS:
            values = {r["id"]: r[field[sort]] for r in every}
            wanted = sorted(values, key=lambda i: (values[i], i))
            for descending in (False, True):
                order = wanted[::-1] if descending else wanted
                for limit in (1, 5, 7, 16):
                    for page in range(2, 48 // limit + 2):
                        ordered.clear()
                        with db.read() as session:
                            params = ListParams(limit, page, sort, descending)
                            found = activity_page(session, params, SORTS)
                        start = (page - 1) * limit
                        shown = [r["id"] for r in found.rows]
                        assert shown == order[start : start + limit], (sort, descending, page)
                        assert found.total == 48
                        assert len(ordered) <= 2, (sort, descending, limit, page, ordered)
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _scans(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(n for child in plan.get("Plans", []) for n in _scans(child))]


def test_a_keyset_page_inside_many_ties_starts_the_index_at_its_key(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sorted by activity, 4,000 ledger rows tied on it: the keyset read of 50 after the
    middle row starts the (activity, id) index at the key — one row comparison
    ``(activity, id) > (v, k)`` — rather than at the first tie, dropping the 2,000 before
    the key by a filter (PostgreSQL: EXPLAIN ANALYZE's rows removed, 2,036 before). SQLite
    keeps the range form, its index walked in order. Its rows are the 50 after the key."""
    _load(db, tmp_path, monkeypatch, False)
    with db.write() as session:
        batch, top = session.execute(
            select(func.min(ActivityRecord.batch_id), func.max(ActivityRecord.id))
        ).one()
        tied = {"entity_id": "SZ1", "start": dt.date(YEAR, 3, 1), "end": dt.date(YEAR, 3, 31),
                "activity": "electricity.purchased", "quantity": 1.0, "unit": "MWh",
                "batch_id": batch}  # fmt: skip
        rows = [{**tied, "id": top + n, "attributes": f'{{"n": {n}}}'} for n in range(1, 4001)]
        session.execute(insert(ActivityRecord), rows)
        if db.dialect == "postgresql":
            session.execute(text("ANALYZE activity_records"))
    limit, middle = 50, top + 2000
    for descending in (False, True):
        with db.read() as session:
            column = activity_pages.in_code_point_order(session, SORTS["activity"])
            order = page_order(column, descending, THEN_BY)
            base = activity_query().with_only_columns(ActivityRecord.id)
            key = ("electricity.purchased", middle)
            read = activity_pages.ledger_after(session, base.order_by(*order), order, key)
            ids = list(session.scalars(read.limit(limit)))
            step = -1 if descending else 1
            assert ids == [middle + step * n for n in range(1, limit + 1)], descending
            conn = session.connection()
            compiled = read.limit(limit).compile(conn)
            if db.dialect == "postgresql":
                found = conn.exec_driver_sql(
                    f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}", compiled.params
                ).scalar_one()
                nodes = _scans(found[0]["Plan"])
                removed = sum(n.get("Rows Removed by Filter", 0) for n in nodes)
                assert removed <= limit, (descending, removed, nodes)
            else:
                plan = " | ".join(
                    str(r[-1])
                    for r in conn.exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {compiled}", tuple(compiled.params.values())
                    )
                )
                # SQLite walks from the first tie either way (keyset.after_row)
                assert "USING INDEX ix_activity_records_activity_id" in plan, plan
                assert "TEMP B-TREE" not in plan, (descending, plan)
