"""One page of activity rows wherever they are kept: ledger rows and activity-store rows merged.

Rows imported with ``--store`` have no ``activity_records`` row, so a list paged by the
database alone would hide them. The store's matching rows are read (only the files of the
year and entity asked for, each checked on read) and sorted the way the database sorts the
ledger's: by the chosen key, then by id ascending. A page of the merged order starts where
``offset`` ledger-or-store rows precede it; since the merged position of the ledger's k-th
row is ``k`` plus the store rows before it, the first ledger row of the page is found by a
binary search over ``k`` (one single-row query per step), and the page is the merge of at
most ``limit`` rows from each side. Pages never overlap or skip a row, and the total counts
both. A list whose store side would exceed :data:`STORE_ROWS` is refused, naming the filters
that narrow it, rather than held in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import polars as pl
from sqlalchemy import ColumnElement, String, func, select
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.ledger.activities import activity_dict, activity_query
from esgledger.ledger.activity_store import has_files, read_file, required_root, year_files
from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.models import ActivityRecord
from esgledger.ledger.store_list import as_activity_dict
from esgledger.ledger.store_models import ActivityFile

STORE_ROWS = 1_000_000  # store rows one list may sort in memory
BY_ID: ColumnElement[int] = ActivityRecord.__table__.c.id  # ties: the id, ascending
STORE_COLUMNS = {"id": "id", "start": "start", "entity": "entity_id", "activity": "activity"}


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
    store = _store_rows(session, params, entity=entity, year=year, activity=activity)
    if store is None:
        found = paginate(session, stmt, params, columns, (BY_ID,))
        return Page([activity_dict(r) for r in found.rows], found.total, params)
    column = _in_code_point_order(session, columns[params.sort])
    order = (column.desc() if params.descending else column.asc(), ActivityRecord.id)
    ledger_total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    key = STORE_COLUMNS[params.sort]

    def store_before(k: int) -> int:
        """Store rows ahead of the ledger's k-th row in the merged order (all, past the end)."""
        if k >= ledger_total:
            return store.height
        value, ident = session.execute(
            stmt.with_only_columns(column, ActivityRecord.id).order_by(*order).offset(k).limit(1)
        ).one()
        ahead = pl.col(key) > value if params.descending else pl.col(key) < value
        return store.filter(ahead | ((pl.col(key) == value) & (pl.col("id") < ident))).height

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
    merged = sorted([*ledger_rows, *store_rows], key=lambda r: r["id"])
    merged.sort(key=lambda r: _sort_value(r, params.sort), reverse=params.descending)
    return Page(merged[: params.limit], ledger_total + store.height, params)


def _sort_value(row: dict[str, Any], sort: str) -> Any:
    return row["id"] if sort == "id" else row[sort]  # dates as ISO text sort as dates


def _in_code_point_order(session: Session, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """Text compared by code point on PostgreSQL too, as the store's rows are sorted."""
    if session.get_bind().dialect.name == "postgresql" and isinstance(column.type, String):
        return column.collate("C")
    return column


def _store_rows(
    session: Session,
    params: ListParams,
    *,
    entity: str | None,
    year: int | None,
    activity: str | None,
) -> pl.DataFrame | None:
    """The store's matching rows sorted as the page asks, or None when the store has none."""
    if not has_files(session):
        return None
    years = [year] if year else list(session.scalars(select(ActivityFile.year).distinct()))
    files = [f for y in years for f in year_files(session, y, [entity] if entity else None)]
    if not files:
        return None
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
    rows = pl.concat(frames)
    if activity:
        rows = rows.filter(pl.col("activity") == activity)
    if params.search:
        wanted = params.search.lower()
        rows = rows.filter(
            pl.col("entity_id").str.to_lowercase().str.contains(wanted, literal=True)
            | pl.col("activity").str.to_lowercase().str.contains(wanted, literal=True)
        )
    if rows.height == 0:
        return None
    key = STORE_COLUMNS[params.sort]
    return rows.sort([key, "id"], descending=[params.descending, False])


__all__ = ["STORE_ROWS", "activity_page"]
