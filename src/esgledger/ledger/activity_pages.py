"""One page of activity rows wherever they are kept: ledger rows and activity-store rows merged.

Rows imported with ``--store`` have no ``activity_records`` row, so a list paged by the
database alone would hide them. Both sides are ordered alike: by the chosen key, then by id
in the sort's direction (a descending page is the ascending one read backwards), so one
(column, id) index (``0038_actsort``) gives the ledger's side in order either way (#14).

A keyset page (``params.after``, as an export reads) takes the first ``limit`` rows after
the key from each side — the ledger's by its index, the store's a file at a time
(:func:`esgledger.ledger.store_page.store_page`, bounded memory) — and merges them.
The first page by number is the first keyset page. A later page by number starts where
``offset`` ledger-or-store rows precede it; since the merged
position of the ledger's k-th row is ``k`` plus the store rows before it, the first ledger
row of the page is found by a binary search over ``k`` (one single-row query per step) over
the store's matching rows sorted in memory, and the page is the merge of at most ``limit``
rows from each side; such a list whose store side would exceed :data:`STORE_ROWS` is refused,
naming the filters that narrow it. Pages never overlap or skip a row, and the total counts
both.
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
from esgledger.ledger.activity_store import has_files, read_file, required_root, year_files
from esgledger.ledger.keyset import after, nulls_large, term
from esgledger.ledger.listing import UNCOUNTED, ListParams, Page, page_order, paginate
from esgledger.ledger.models import ActivityRecord
from esgledger.ledger.store_list import as_activity_dict
from esgledger.ledger.store_models import ActivityFile
from esgledger.ledger.store_page import (
    STORE_COLUMNS,
    StoreFilter,
    rows_after,
    store_count,
    store_page,
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
    column = _in_code_point_order(session, columns[params.sort])
    order = page_order(column, params.descending, THEN_BY)
    wanted = StoreFilter(activity=activity, search=params.search)
    if params.after is not None:
        return _keyset_merged(session, stmt, params, order, files, wanted)
    if params.page == 1:  # the first page by number is the first keyset page
        first = _keyset_merged(session, stmt, replace(params, after=()), order, files, wanted)
        return Page(first.rows, first.total, params)
    store = _store_rows(session, params, files, wanted)
    if store is None:
        found = paginate(session, stmt, params, columns, THEN_BY, reverse_ties=True)
        return found.with_rows([activity_dict(r) for r in found.rows])
    ledger_total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    key = STORE_COLUMNS[params.sort]

    def store_before(k: int) -> int:
        """Store rows ahead of the ledger's k-th row in the merged order (all, past the end)."""
        if k >= ledger_total:
            return store.height
        value, ident = session.execute(
            stmt.with_only_columns(column, ActivityRecord.id).order_by(*order).offset(k).limit(1)
        ).one()
        ahead = rows_after(key, (value, ident), not params.descending)
        return store.filter(ahead).height

    low, high = 0, ledger_total  # the first k whose merged position reaches the offset
    while low < high:
        mid = (low + high) // 2
        if mid + store_before(mid) >= params.offset:
            high = mid
        else:
            low = mid + 1
    skipped = max(0, params.offset - low)
    page_stmt = stmt.order_by(*order).offset(low).limit(params.limit)
    records = cast(list[ActivityRecord], list(session.scalars(page_stmt)))
    ledger_rows = [activity_dict(r) for r in records]
    store_rows = [
        as_activity_dict(r, r["batch"]) for r in store.slice(skipped, params.limit).to_dicts()
    ]
    merged = sorted(
        [*ledger_rows, *store_rows],
        key=lambda r: (_sort_value(r, params.sort), r["id"]),
        reverse=params.descending,
    )
    return Page(merged[: params.limit], ledger_total + store.height, params)


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
    terms = [term(element) for element in order]
    keyed = stmt.add_columns(terms[0].column, ActivityRecord.id).order_by(*order)
    if params.after:
        keyed = keyed.where(after(terms, params.after, large_nulls=nulls_large(session)))
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


def _sort_value(row: dict[str, Any], sort: str) -> Any:
    return row["id"] if sort == "id" else row[sort]  # dates as ISO text sort as dates


def _in_code_point_order(session: Session, column: ColumnElement[Any]) -> ColumnElement[Any]:
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


def _store_rows(
    session: Session, params: ListParams, files: list[ActivityFile], wanted: StoreFilter
) -> pl.DataFrame | None:
    """The store's matching rows sorted as the page asks (ties by id in the sort's
    direction), or None when none match; refused past :data:`STORE_ROWS`."""
    held = sum(f.rows for f in files)
    if held > STORE_ROWS:
        raise InvalidInput(
            f"{held} activity rows of this list are kept in the activity store, more than "
            f"{STORE_ROWS} one list sorts; narrow it with year and entity"
        )
    root = required_root(session)
    frames = [
        read_file(root, f).with_columns(pl.lit(f.batch_id, dtype=pl.Int64).alias("batch"))
        for f in files
    ]
    rows = wanted.apply(pl.concat(frames))
    if rows.height == 0:
        return None
    key = STORE_COLUMNS[params.sort]
    return rows.sort([key, "id"], descending=params.descending)


__all__ = ["SORT", "STORE_ROWS", "THEN_BY", "activity_page"]
