"""The activity store's first rows of a list in its order, a file at a time.

A list page merging the store with the ledger needs only the first ``limit`` store rows after
the last row shown, ordered by the sort's column then the id, both in the sort's direction.
Sorting every matching store row for that (10⁶ in a year) held them all in memory; here each
file is read, filtered and cut to its first ``limit`` rows in turn, and kept with the best
``limit`` so far: memory is one file's rows plus ``2 × limit``. A file's registered bounds
(its entity, year and id range) order the files by the first row they could give; once
``limit`` rows are kept and the next file's bound lies past the last of them, no later file
can give a row of the page, and reading stops (by id or entity: a file or two; by start: the
year's files; by activity, which no file records: every matching file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from esgledger.ledger.activity_store import read_file
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
    file does not record the sorted column's range (activity)."""
    if sort == "id":
        return (file.first_id, file.first_id), (file.last_id, file.last_id)
    if sort == "entity":
        return (file.entity_id, file.first_id), (file.entity_id, file.last_id)
    if sort == "start":
        first, last = dt.date(file.year, 1, 1), dt.date(file.year, 12, 31)
        return (first, file.first_id), (last, file.last_id)
    return None


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
    return sum(wanted.apply(read_file(root, f, ["entity_id", "activity"])).height for f in files)
