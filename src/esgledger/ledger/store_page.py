"""The activity store's first rows of a list in its order, a file at a time.

A list page merging the store with the ledger needs only the first ``limit`` store rows after
the last row shown, ordered by the sort's column then the id, both in the sort's direction.
Sorting every matching store row for that (10⁶ in a year) held them all in memory; here each
file is read, filtered and cut to its first ``limit`` rows in turn, and kept with the best
``limit`` so far: memory is one file's rows plus ``2 × limit``. A file's registered bounds
(its entity, year and id range) order the files by the first row they could give; once
``limit`` rows are kept and the next file's bound lies past the last of them, no later file
can give a row of the page, and reading stops. By start and by activity the bounds are the
ranges each file records at import (``0040_storeranges``): a keyset page skips the files whose
rows all come at or before its key and stops at the first that starts past its last row (a
file with no range recorded is read, by start within its year; by activity every such file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from esgledger.ledger.activity_store import read_file, read_files
from esgledger.ledger.store_models import ActivityFile

# a list's sort key → the store's column
STORE_COLUMNS = {"id": "id", "start": "start", "entity": "entity_id", "activity": "activity"}


@dataclass(frozen=True)
class StoreFilter:
    """Which store rows a list shows besides the files chosen (by year and entity)."""

    activity: str | None = None
    search: str = ""  # in the entity id or the activity type, case-insensitive

    def apply(self, rows: pl.DataFrame) -> pl.DataFrame:
        if self.activity:
            rows = rows.filter(pl.col("activity") == self.activity)
        if self.search:
            wanted = self.search.lower()
            rows = rows.filter(
                pl.col("entity_id").str.to_lowercase().str.contains(wanted, literal=True)
                | pl.col("activity").str.to_lowercase().str.contains(wanted, literal=True)
            )
        return rows


def _bounds(file: ActivityFile, sort: str) -> tuple[tuple[Any, int], tuple[Any, int]] | None:
    """The least and greatest (value, id) a file's rows can have, ascending; None when the
    file records no range of the sorted column (stored before ``0040_storeranges`` and not
    readable when it was filled). No row's key lies outside: its value is within the
    recorded range and its id within the file's."""
    if sort == "id":
        return (file.first_id, file.first_id), (file.last_id, file.last_id)
    if sort == "entity":
        return (file.entity_id, file.first_id), (file.entity_id, file.last_id)
    if sort == "start":
        if file.first_start is not None and file.last_start is not None:
            return (file.first_start, file.first_id), (file.last_start, file.last_id)
        first, last = dt.date(file.year, 1, 1), dt.date(file.year, 12, 31)
        return (first, file.first_id), (last, file.last_id)
    if file.first_activity is not None and file.last_activity is not None:
        return (file.first_activity, file.first_id), (file.last_activity, file.last_id)
    return None


def may_hold(file: ActivityFile, activity: str | None) -> bool:
    """Whether the file can hold rows of ``activity`` (any, when None or not recorded)."""
    if activity is None or file.first_activity is None or file.last_activity is None:
        return True
    return file.first_activity <= activity <= file.last_activity


def _past(key: tuple[Any, int], mark: tuple[Any, ...], descending: bool) -> bool:
    """Whether ``key`` comes strictly after ``mark`` in the page's order."""
    return key < mark if descending else key > mark


def rows_after(column: str, mark: tuple[Any, ...], descending: bool) -> pl.Expr:
    """The rows strictly after ``mark`` = (value, id) in the page's order."""
    value, ident = mark[0], mark[-1]
    key, ident_col = pl.col(column), pl.col("id")
    if descending:
        before: pl.Expr = (key < value) | ((key == value) & (ident_col < ident))
        return before
    later: pl.Expr = (key > value) | ((key == value) & (ident_col > ident))
    return later


def store_page(
    root: Path,
    files: Iterable[ActivityFile],
    sort: str,
    descending: bool,
    after: tuple[Any, ...],
    limit: int,
    wanted: StoreFilter,
) -> pl.DataFrame:
    """The first ``limit`` matching store rows after ``after`` (``()``: from the start), in
    the page's order, with each row's ``batch``; each file checked on read."""
    column = STORE_COLUMNS[sort]
    order = [column, "id"] if column != "id" else ["id"]
    chosen: list[tuple[ActivityFile, tuple[Any, int] | None]] = []
    for file in files:
        if not may_hold(file, wanted.activity):
            continue
        bounds = _bounds(file, sort)
        if bounds is None:
            chosen.append((file, None))
            continue
        opening, closing = (bounds[1], bounds[0]) if descending else bounds
        if after and not _past(closing, after, descending):
            continue  # every row of the file comes at or before the mark
        chosen.append((file, opening))
    if any(first is None for _, first in chosen):
        chosen.sort(key=lambda c: c[0].first_id)
    else:
        chosen.sort(key=lambda c: c[1], reverse=descending)  # type: ignore[arg-type, return-value]
    kept: pl.DataFrame | None = None
    for file, first in chosen:
        if kept is not None and kept.height >= limit and first is not None:
            last_kept = (kept[column][-1], kept["id"][-1])
            if _past(first, last_kept, descending):
                break  # this file and every later one start past the page
        rows = wanted.apply(read_file(root, file))
        if after:
            rows = rows.filter(rows_after(column, after, descending))
        rows = rows.with_columns(pl.lit(file.batch_id, dtype=pl.Int64).alias("batch"))
        rows = rows.sort(order, descending=descending).head(limit)
        kept = rows if kept is None else pl.concat([kept, rows])
        kept = kept.sort(order, descending=descending).head(limit)
    return kept if kept is not None else pl.DataFrame()


def store_count(root: Path, files: Iterable[ActivityFile], wanted: StoreFilter) -> int:
    """How many store rows of ``files`` match (a file at a time; no read when nothing
    filters rows within a file)."""
    if not wanted.activity and not wanted.search:
        return sum(f.rows for f in files)
    return sum(
        wanted.apply(read_file(root, f, ["entity_id", "activity"])).height
        for f in files
        if may_hold(f, wanted.activity)
    )


def store_keys(
    root: Path, files: list[ActivityFile], sort: str, descending: bool, wanted: StoreFilter
) -> pl.DataFrame:
    """The matching store rows' order keys only — the sorted column and the id — in the
    page's order: what placing a page by number needs of the store, without its other
    columns (a tenth of the bytes held)."""
    column = STORE_COLUMNS[sort]
    order = [column, "id"] if column != "id" else ["id"]
    filtered = bool(wanted.activity or wanted.search)
    needed = list(dict.fromkeys([*order, "entity_id", "activity"])) if filtered else order
    rows = wanted.apply(read_files(root, files, needed)).select(order)
    if column in ("entity_id", "activity"):  # compared as text, by code point
        rows = rows.with_columns(pl.col(column).cast(pl.String))
    return rows.sort(order, descending=descending)


def store_rows_by_id(
    root: Path, files: list[ActivityFile], ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """The store rows with these ids, each with its ``batch``: only the files whose
    registered id range holds one of them are read."""
    wanted = sorted(set(ids))
    found: dict[int, dict[str, Any]] = {}
    for file in files:
        mine = [i for i in wanted if file.first_id <= i <= file.last_id]
        if not mine:
            continue
        rows = read_file(root, file).filter(pl.col("id").is_in(mine))
        for row in rows.iter_rows(named=True):
            found[row["id"]] = {**row, "batch": file.batch_id}
    return found
