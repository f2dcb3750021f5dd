"""One page of activity rows wherever they are kept: ledger rows and activity-store rows merged.

Rows imported with ``--store`` have no ``activity_records`` row, so a list paged by the
database alone would hide them. Both sides are ordered alike: by the chosen key, then by id
in the sort's direction (a descending page is the ascending one read backwards), so one
(column, id) index (``0038_actsort``) gives the ledger's side in order either way (#14).

A keyset page (``params.after``, as an export reads) takes the first ``limit`` rows after
the key from each side — the ledger's by its index, the store's a file at a time
(:func:`esgledger.ledger.store_page.store_page`, bounded memory) — and merges them.
The first page by number is the first keyset page. A later page by number
(:func:`_numbered_merged`) reads the store's keys only (sorted column and id, bounded by
:data:`STORE_ROWS`, past which it is refused naming the filters that narrow it) and the ledger
once, by OFFSET from the last row surely before the page, for at most ``m + limit`` keys;
the page is cut from the merge of the two, and only its rows are read whole. Pages never
overlap or skip a row, and the total counts both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

import polars as pl
from sqlalchemy import ColumnElement, Select, String, func, select, text
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.ledger.activities import activity_dict, activity_query
from esgledger.ledger.activity_store import has_files, required_root, year_files
from esgledger.ledger.keyset import Key, after_row, nulls_large, term
from esgledger.ledger.listing import UNCOUNTED, ListParams, Page, page_order, paginate
from esgledger.ledger.models import ActivityRecord
from esgledger.ledger.store_list import as_activity_dict
from esgledger.ledger.store_models import ActivityFile
from esgledger.ledger.store_page import (
    STORE_COLUMNS,
    StoreFilter,
    rows_after,
    store_count,
    store_keys,
    store_page,
    store_rows_by_id,
)

STORE_ROWS = 1_000_000  # store rows one list may sort in memory
BY_ID: ColumnElement[int] = ActivityRecord.__table__.c.id  # ties: the id, ascending
THEN_BY = (BY_ID,)
SORT: dict[str, Any] = {  # the API's sort keys → their columns
    "id": ActivityRecord.id,
    "start": ActivityRecord.start,
    "entity": ActivityRecord.entity_id,
    "activity": ActivityRecord.activity,
}
CODE_POINT_COLLATIONS = {"c", "posix", "c.utf8"}  # datcollate, lower case, "-" dropped


def activity_page(
    session: Session,
    params: ListParams,
    columns: Mapping[str, ColumnElement[Any]],
    *,
    entity: str | None = None,
    year: int | None = None,
    activity: str | None = None,
) -> Page[dict[str, Any]]:
    """The page ``params`` asks for of the live rows matching the filters, as dicts."""
    stmt = activity_query(entity=entity, year=year, activity=activity, search=params.search)
    files = _store_files(session, entity=entity, year=year)
    if not files:
        found = paginate(session, stmt, params, columns, THEN_BY, reverse_ties=True)
        return found.with_rows([activity_dict(r) for r in found.rows])
    column = in_code_point_order(session, columns[params.sort])
    order = page_order(column, params.descending, THEN_BY)
    wanted = StoreFilter(activity=activity, search=params.search)
    if params.after is not None:
        return _keyset_merged(session, stmt, params, order, files, wanted)
    if params.page == 1:  # the first page by number is the first keyset page
        first = _keyset_merged(session, stmt, replace(params, after=()), order, files, wanted)
        return Page(first.rows, first.total, params)
    _bound_store(files)
    return _numbered_merged(session, stmt, params, column, order, files, wanted)


def _numbered_merged(
    session: Session,
    stmt: Select[tuple[ActivityRecord]],
    params: ListParams,
    column: ColumnElement[Any],
    order: tuple[Any, ...],
    files: list[ActivityFile],
    wanted: StoreFilter,
) -> Page[dict[str, Any]]:
    """Page ``params.page`` by number of ledger and store merged, from one read of each.

    With ``m`` matching store rows, at least ``offset - m`` ledger rows come before the
    page: the ledger's row there (``k``) is read by OFFSET on its index, as a ledger-only
    page is; the store's keys (sorted column and id, :func:`store_keys`) place it at ``k``
    plus the store keys before it, so the ledger's keys after it are read by keyset, only as
    many as the page can need (at most ``m + limit``), and the page is cut from the merge of
    the two runs of keys from there. Only the page's own rows are then read whole."""
    root = required_root(session)
    key = STORE_COLUMNS[params.sort]
    store = store_keys(root, files, params.sort, params.descending, wanted)
    offset, limit = params.offset, params.limit
    skip = max(0, offset - store.height)  # ledger rows surely before the page
    window = stmt.with_only_columns(column, ActivityRecord.id).order_by(*order)
    connection = session.connection()
    first = connection.execute(window.offset(skip).limit(1)).first() if skip else None
    placed = 0  # store rows before the ledger's k-th row (all of them past its end)
    if first is not None:
        mark = (first[0], first[1])
        placed = store.height - store.filter(rows_after(key, mark, params.descending)).height
        window = ledger_after(session, window, order, mark)
    elif skip:
        placed = store.height
    needed = offset - (skip + placed) + limit  # the window's rows the page can reach
    reachable = needed > 0 and (first is not None or not skip)  # not past the ledger's end
    rest = connection.execute(window.limit(needed)).all() if reachable else []
    ledger = ([first] if first is not None else []) + list(rest)
    position = skip + placed  # the merged position of the window's first row
    ours = pl.DataFrame(
        {"value": [r[0] for r in ledger], "id": [r[1] for r in ledger]},
        schema={"value": store.schema[key], "id": pl.Int64},
    )
    theirs = store.slice(placed, offset - position + limit)
    theirs = theirs.select(pl.col(key).alias("value"), pl.col("id").cast(pl.Int64))
    merged = pl.concat(
        [ours.with_columns(pl.lit(True).alias("ledger")),
         theirs.with_columns(pl.lit(False).alias("ledger"))]
    )  # fmt: skip
    by = ["value", "id"] if key != "id" else ["id"]
    page = merged.sort(by, descending=params.descending).slice(offset - position, limit)
    ledger_ids = page.filter(pl.col("ledger"))["id"].to_list()
    shown = session.scalars(stmt.where(ActivityRecord.id.in_(ledger_ids)))
    records = {r.id: activity_dict(r) for r in cast(list[ActivityRecord], list(shown))}
    kept = store_rows_by_id(root, files, page.filter(~pl.col("ledger"))["id"].to_list())
    rows = [
        records[i] if from_ledger else as_activity_dict(kept[i], kept[i]["batch"])
        for i, from_ledger in page.select("id", "ledger").iter_rows()
    ]
    ledger_total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return Page(rows, ledger_total + store.height, params)


def _keyset_merged(
    session: Session,
    stmt: Select[tuple[ActivityRecord]],
    params: ListParams,
    order: tuple[Any, ...],
    files: list[ActivityFile],
    wanted: StoreFilter,
) -> Page[dict[str, Any]]:
    """The ``params.limit`` rows after ``params.after``: that many of the ledger's (read in
    index order) and of the store's (:func:`store_page`, a file at a time) merged; counted
    on the first page only. Each row's key is (sort value, id), one order for both."""
    assert params.after is not None
    keyed = stmt.add_columns(term(order[0]).column, ActivityRecord.id).order_by(*order)
    if params.after:
        keyed = ledger_after(session, keyed, order, params.after)
    ledger = [
        ((value, ident), activity_dict(record))
        for record, value, ident in session.execute(keyed.limit(params.limit)).all()
    ]
    root = required_root(session)
    found = store_page(
        root, files, params.sort, params.descending, params.after, params.limit, wanted
    )
    key = STORE_COLUMNS[params.sort]
    store = [
        ((row[key], row["id"]), as_activity_dict(row, row["batch"]))
        for row in found.iter_rows(named=True)
    ]
    merged = sorted([*ledger, *store], key=lambda pair: pair[0], reverse=params.descending)
    merged = merged[: params.limit]
    total = UNCOUNTED
    if not params.after:
        ledger_total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        total = ledger_total + store_count(root, files, wanted)
    last = merged[-1][0] if merged else None
    return Page([row for _, row in merged], total, params, last)


def ledger_after(
    session: Session, statement: Select[Any], order: tuple[Any, ...], key: Key
) -> Select[Any]:
    """``statement``'s rows after ``key`` (the sort's value, the id) in ``order``: as one
    row comparison, which starts the (column, id) index of ``0038_actsort`` at the key
    (:func:`esgledger.ledger.keyset.after_row`)."""
    terms = [term(element) for element in order]
    return statement.where(after_row(terms, key, large_nulls=nulls_large(session)))


def _sort_value(row: dict[str, Any], sort: str) -> Any:
    return row["id"] if sort == "id" else row[sort]  # dates as ISO text sort as dates


def in_code_point_order(session: Session, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """Text compared by code point on PostgreSQL too, as the store's rows are sorted: as
    it is where the database's collation already is code-point order (C, POSIX, C.UTF-8),
    so the (column, id) index serves the page; with ``COLLATE "C"`` elsewhere."""
    if session.get_bind().dialect.name != "postgresql" or not isinstance(column.type, String):
        return column
    collation = session.scalar(
        text("SELECT datcollate FROM pg_database WHERE datname = current_database()")
    )
    if str(collation).lower().replace("-", "") in CODE_POINT_COLLATIONS:
        return column
    return column.collate("C")


def _store_files(session: Session, *, entity: str | None, year: int | None) -> list[ActivityFile]:
    """The store's files of the year and entity asked for (none when the store is empty)."""
    if not has_files(session):
        return []
    years = [year] if year else list(session.scalars(select(ActivityFile.year).distinct()))
    return [f for y in years for f in year_files(session, y, [entity] if entity else None)]


def _bound_store(files: list[ActivityFile]) -> None:
    """Refuse a page by number whose store side holds more than :data:`STORE_ROWS` rows:
    their keys are held in memory to place the page."""
    held = sum(f.rows for f in files)
    if held > STORE_ROWS:
        raise InvalidInput(
            f"{held} activity rows of this list are kept in the activity store, more than "
            f"{STORE_ROWS} one list sorts; narrow it with year and entity"
        )


__all__ = ["SORT", "STORE_ROWS", "THEN_BY", "activity_page", "in_code_point_order", "ledger_after"]
