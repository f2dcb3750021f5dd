"""Activity records: importing files all or nothing, and listing what was stored."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from sqlalchemy import Date, bindparam, select, text
from sqlalchemy.orm import Session

from esgledger.ingest.activities import KEY, validate_activities
from esgledger.ingest.readers import read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.bulk import Progress, insert_frame
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord, Entity

COLUMNS = ["entity_id", "start", "end", "activity", "quantity", "unit", "attributes"]


def import_activities(
    db: Database,
    path: str | Path,
    *,
    actor: str,
    sheet: str | None = None,
    on_progress: Progress | None = None,
) -> dict[str, object]:
    """Validate the whole file, then store every row in one transaction; returns a summary."""
    table = read_table(path, sheet=sheet, kind="activities")
    with db.write() as session:
        known = set(session.scalars(select(Entity.id)))
        existing = _stored_keys(session, table.frame)
        rows = validate_activities(table, known_entities=known, existing_keys=existing)
        batch = open_batch(session, kind="activities", table=table, rows=rows.height, actor=actor)
        out = rows.select(
            "entity_id",
            pl.col("start").dt.to_string("%Y-%m-%d"),
            pl.col("end").dt.to_string("%Y-%m-%d"),
            "activity",
            "quantity",
            "unit",
            "attributes",
            pl.lit(batch.id).alias("batch_id"),
        )
        insert_frame(session, "activity_records", out, on_progress=on_progress)
        summary = {
            "rows": rows.height,
            "entities": rows["entity_id"].n_unique(),
            "activities": sorted(rows["activity"].unique().to_list()),
            "period": [str(rows["start"].min()), str(rows["end"].max())],
        }
        close_batch(session, batch, actor=actor, summary=summary)
        return {"batch_id": batch.id, **summary}


def _stored_keys(session: Session, frame: pl.DataFrame) -> pl.DataFrame | None:
    """Natural keys of stored rows that could clash with the file (same start-date span)."""
    if "start" not in frame.columns:
        return None
    starts = frame["start"].str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    lo, hi = starts.min(), starts.max()
    if lo is None or hi is None:
        return None
    # Plain rows with dates as ISO text on both databases: a million stored keys load in
    # about a second, where ORM row objects would take several.
    cast = "" if session.get_bind().dialect.name == "sqlite" else "::text"
    stmt = text(
        f'SELECT entity_id, start{cast}, "end"{cast}, activity, attributes, batch_id '
        "FROM activity_records WHERE start >= :lo AND start <= :hi"
    ).bindparams(bindparam("lo", type_=Date), bindparam("hi", type_=Date))
    result = session.execute(stmt, {"lo": lo, "hi": hi})
    rows = result.cursor.fetchall() if result.cursor is not None else []  # plain DBAPI tuples
    if not rows:
        return None
    columns = list(zip(*rows, strict=True))
    return pl.DataFrame(
        {
            "entity_id": pl.Series(columns[0], dtype=pl.Utf8),
            "start": pl.Series(columns[1], dtype=pl.Utf8).str.to_date("%Y-%m-%d"),
            "end": pl.Series(columns[2], dtype=pl.Utf8).str.to_date("%Y-%m-%d"),
            "activity": pl.Series(columns[3], dtype=pl.Utf8),
            "attributes": pl.Series(columns[4], dtype=pl.Utf8),
            "batch_id": pl.Series(columns[5], dtype=pl.Int64),
        }
    ).unique(subset=KEY)


def list_activities(
    session: Session,
    *,
    entity: str | None = None,
    year: int | None = None,
    activity: str | None = None,
    limit: int | None = None,
) -> list[ActivityRecord]:
    stmt = select(ActivityRecord).order_by(ActivityRecord.id)
    if entity:
        stmt = stmt.where(ActivityRecord.entity_id == entity)
    if year:
        stmt = stmt.where(
            ActivityRecord.start >= dt.date(year, 1, 1),
            ActivityRecord.start <= dt.date(year, 12, 31),
        )
    if activity:
        stmt = stmt.where(ActivityRecord.activity == activity)
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def activity_dict(record: ActivityRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "entity": record.entity_id,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "activity": record.activity,
        "quantity": record.quantity,
        "unit": record.unit,
        "attributes": json.loads(record.attributes) if record.attributes else {},
        "batch": record.batch_id,
    }
