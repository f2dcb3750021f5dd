"""Reported KPI values: importing with restatements that keep history, and listing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from esgledger.errors import ConcurrentChange, ImportRejected, Problem
from esgledger.ingest.checker import with_row_numbers
from esgledger.ingest.decimals import xlsx_value_decimals
from esgledger.ingest.kpis import validate_kpis
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.bulk import KeyTaken, insert_frame
from esgledger.ledger.db import Database
from esgledger.ledger.limits import limit_of, refuse_too_long
from esgledger.ledger.models import Entity, KpiValue, utcnow
from esgledger.ledger.workflow_models import DataRequest

SAME_FIELDS = ("value", "unit", "status", "qualifier", "preliminary")


def _same(stored: KpiValue, row: dict[str, Any]) -> bool:
    return all(getattr(stored, field) == row[field] for field in SAME_FIELDS)


def import_kpis(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> dict[str, Any]:
    """Store new values; a changed value needs ``restatement_reason`` and keeps the old row.

    Two imports restating or adding the same values at once (on PostgreSQL, where writers do
    not queue) cannot both win: the current-value index or the row version refuses the later
    one, which is then refused whole with one line.
    """
    table = read_table(path, sheet=sheet, kind="kpis")
    refuse_too_long(
        table.source,
        with_row_numbers(table.frame),
        {
            "entity": limit_of(KpiValue.entity_id),
            "metric": limit_of(KpiValue.metric_id),
            "unit": limit_of(KpiValue.unit),
        },
    )
    shown = None
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):  # the number format says the decimals
        shown = xlsx_value_decimals(Path(path), sheet, "kpis", table.frame.height)
    try:
        return _store(db, table, shown, actor=actor)
    except (KeyTaken, ConcurrentChange, StaleDataError, IntegrityError):
        raise ConcurrentChange(
            f"{table.source}: refused, another user changed the same KPI values at the same "
            "time; nothing was imported (run the import again to compare with what is stored now)"
        ) from None


def _store(
    db: Database, table: Table, shown: list[int | None] | None, *, actor: str
) -> dict[str, Any]:
    with db.write() as session:
        known = set(session.scalars(select(Entity.id)))
        valid = validate_kpis(table, known_entities=known, format_decimals=shown)
        refuse_too_long(table.source, valid, {"dims": limit_of(KpiValue.dims)})
        rows = valid.to_dicts()
        years = {r["year"] for r in rows}
        current = {
            (v.entity_id, v.year, v.metric_id, v.dims): v
            for v in session.scalars(
                select(KpiValue).where(KpiValue.is_current, KpiValue.year.in_(years))
            )
        }
        problems: list[Problem] = []
        new, restated, unchanged = [], [], 0
        for row in rows:
            stored = current.get((row["entity_id"], row["year"], row["metric_id"], row["dims"]))
            if stored is None:
                new.append(row)
            elif _same(stored, row):
                unchanged += 1
            elif not row["restatement_reason"]:
                shown = stored.value if stored.status == "reported" else stored.status
                problems.append(
                    Problem(
                        row["__row"],
                        "value",
                        f"already recorded as {shown} {stored.unit}; "
                        "give a restatement_reason to restate it",
                    )
                )
            else:
                restated.append((stored, row))
        if problems:
            raise ImportRejected(table.source, problems)
        if not new and not restated:
            return {"batch_id": None, "added": 0, "restated": 0, "unchanged": unchanged}
        batch = open_batch(
            session, kind="kpis", table=table, rows=len(new) + len(restated), actor=actor
        )
        for stored, _row in restated:
            stored.is_current = False
        session.flush()
        _insert_new(session, new, batch.id)
        restatements = []
        for stored, row in restated:
            value = _value(row, batch.id)
            value.restates_id = stored.id
            session.add(value)
            restatements.append(
                {
                    "replaces": stored.id,
                    "old": stored.value,
                    "new": row["value"],
                    "reason": row["restatement_reason"],
                }
            )
        session.flush()
        close_batch(
            session,
            batch,
            actor=actor,
            summary={"added": len(new), "restated": restatements, "unchanged": unchanged},
        )
        return {
            "batch_id": batch.id,
            "added": len(new),
            "restated": len(restated),
            "unchanged": unchanged,
        }


def _insert_new(session: Session, rows: list[dict[str, Any]], batch_id: int) -> None:
    """New values in one bulk insert: a whole catalog for a thousand entities is one file."""
    if not rows:
        return
    created = utcnow().isoformat(sep=" ", timespec="microseconds")
    frame = pl.DataFrame(
        [{k: v for k, v in row.items() if k != "__row"} for row in rows],
        schema={
            "entity_id": pl.Utf8,
            "year": pl.Int32,
            "metric_id": pl.Utf8,
            "dims": pl.Utf8,
            "value": pl.Float64,
            "decimals": pl.Int32,
            "unit": pl.Utf8,
            "status": pl.Utf8,
            "qualifier": pl.Utf8,
            "preliminary": pl.Boolean,
            "source": pl.Utf8,
            "note": pl.Utf8,
            "restatement_reason": pl.Utf8,
        },
    ).with_columns(
        pl.lit(True).alias("is_current"),
        pl.lit(batch_id).alias("batch_id"),
        pl.lit(created).alias("created_at"),
        pl.lit(1).alias("version"),
    )
    insert_frame(session, "kpi_values", frame)


def _value(row: dict[str, Any], batch_id: int) -> KpiValue:
    fields = {k: v for k, v in row.items() if k != "__row"}
    return KpiValue(**fields, batch_id=batch_id, is_current=True)


def approved_or_direct() -> ColumnElement[bool]:
    """KPI values that count as figures: imported ones, and those a data request entered
    once the request is approved (or locked). A draft, submitted or returned request's value
    is stored, listed and checked, but no KPI table shows it before a reviewer approves."""
    pending = select(DataRequest.id).where(
        DataRequest.value_id == KpiValue.id, DataRequest.state.not_in(("approved", "locked"))
    )
    return ~pending.exists()


def list_kpis(
    session: Session,
    *,
    year: int | None = None,
    entity: str | None = None,
    metric: str | None = None,
    history: bool = False,
) -> list[KpiValue]:
    stmt = select(KpiValue).order_by(
        KpiValue.year, KpiValue.metric_id, KpiValue.entity_id, KpiValue.dims, KpiValue.id
    )
    if not history:
        stmt = stmt.where(KpiValue.is_current)
    if year:
        stmt = stmt.where(KpiValue.year == year)
    if entity:
        stmt = stmt.where(KpiValue.entity_id == entity)
    if metric:
        stmt = stmt.where(KpiValue.metric_id == metric)
    return list(session.scalars(stmt))


def kpi_dict(value: KpiValue) -> dict[str, Any]:
    dims = dict(part.split("=", 1) for part in value.dims.split(";") if part)
    return {
        "id": value.id,
        "entity": value.entity_id,
        "year": value.year,
        "metric": value.metric_id,
        "dims": dims,
        "value": value.value,
        "decimals": value.decimals,
        "unit": value.unit,
        "status": value.status,
        "qualifier": value.qualifier,
        "preliminary": value.preliminary,
        "source": value.source,
        "note": value.note,
        "current": value.is_current,
        "restates": value.restates_id,
        "restatement_reason": value.restatement_reason,
    }
