"""The activity store's rows as ``esg activities list`` shows ledger rows.

Rows imported with ``--store`` have no ``activity_records`` row: a list read from that table
alone would hide them. These dicts carry the same keys as
:func:`esgledger.ledger.activities.activity_dict` (store rows are never voided), so the same
rows list alike wherever they are kept; the caller merges them with the ledger's in id order.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger.activity_store import has_files, read_file, required_root, year_files
from esgledger.ledger.store_models import ActivityFile


def store_activity_dicts(
    session: Session,
    *,
    entity: str | None = None,
    year: int | None = None,
    activity: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The store rows matching the filters, in id order (the first ``limit`` when given);
    only the files of the year and entity asked for are read, each checked on read."""
    if not has_files(session):
        return []
    every_year = select(ActivityFile.year).distinct()
    years = [year] if year is not None else list(session.scalars(every_year))
    files = sorted(
        (f for y in years for f in year_files(session, y, [entity] if entity else None)),
        key=lambda f: f.first_id,
    )
    root = required_root(session) if files else None
    out: list[dict[str, Any]] = []
    for file in files:
        if limit and len(out) >= limit and file.first_id > out[-1]["id"]:
            break  # files come in id order: the rest hold only later ids
        rows = read_file(root, file) if root is not None else pl.DataFrame()
        if activity:
            rows = rows.filter(pl.col("activity") == activity)
        out.extend(as_activity_dict(row, file.batch_id) for row in rows.iter_rows(named=True))
        out.sort(key=lambda r: int(r["id"]))
        if limit:
            del out[limit:]
    return out


def as_activity_dict(row: dict[str, Any], batch: int) -> dict[str, Any]:
    return {
        "id": row["id"],
        "entity": row["entity_id"],
        "start": row["start"].isoformat(),
        "end": row["end"].isoformat(),
        "activity": row["activity"],
        "quantity": row["quantity"],
        "unit": row["unit"],
        "attributes": json.loads(row["attributes"]) if row["attributes"] else {},
        "batch": batch,
        "voided": None,
    }
