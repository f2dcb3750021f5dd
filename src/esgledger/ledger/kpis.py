"""Reported KPI values: importing with restatements that keep history, and listing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from esgledger.catalog.messages import N_
from esgledger.errors import ConcurrentChange, ImportRejected, Problem
from esgledger.ingest.checker import with_row_numbers
from esgledger.ingest.decimals import xlsx_value_decimals
from esgledger.ingest.kpis import validate_kpis
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.bulk import KeyTaken, insert_frame
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import IDS_PER_SELECT, validate_then_write
from esgledger.ledger.limits import limit_of, refuse_too_long
from esgledger.ledger.models import Entity, KpiValue, utcnow
from esgledger.ledger.workflow_models import DataRequest

SAME_FIELDS = ("value", "unit", "status", "qualifier", "preliminary")

# A value recorded already, restated only with a reason: worded in the reader's language (#19).
RECORDED = N_("already recorded as %(was)s %(unit)s; give a restatement_reason to restate it")


Key = tuple[str, int, str, str]  # entity, year, metric, breakdown
Guard = Callable[[Session, str, list[dict[str, Any]]], None]
"""A caller's own refusal of a file's validated rows (``source``, rows with ``__row``),
run when the file is checked and again under the write lock: what it refuses may be
stored by another writer in between (a data request issued for a row, say)."""


def _same(stored: KpiValue, row: dict[str, Any]) -> bool:
    return all(getattr(stored, field) == row[field] for field in SAME_FIELDS)


class RefusedMeanwhile(ConcurrentChange):
    """The guard refused, under the write lock, rows it let pass when the file was checked:
    another writer stored what it refuses on meanwhile (exit 4, HTTP 409)."""

    def __init__(self, refused: ImportRejected):
        first = refused.problems[0]
        more = refused.total - 1
        others = f" (and {more} more row{'s' if more != 1 else ''})" if more else ""
        super().__init__(
            f"{first.format(refused.source)}{others}; this arose while the file was being "
            "checked; nothing was imported"
        )


@dataclass(frozen=True)
class _Plan:
    """What a validated file changes, and the current rows its keys held when it was checked
    (id and row version, or None where a key had no value): the write goes ahead only if
    they still do."""

    new: list[dict[str, Any]]
    restated: list[tuple[int, float | None, dict[str, Any]]]  # replaced id, its value, row
    unchanged: int
    years: list[int]
    seen: dict[Key, tuple[int, int] | None]
    rows: list[dict[str, Any]]  # every validated row, for the guard under the write lock


def import_kpis(
    db: Database,
    path: str | Path,
    *,
    actor: str,
    sheet: str | None = None,
    guard: Guard | None = None,
) -> dict[str, Any]:
    """Store new values; a changed value needs ``restatement_reason`` and keeps the old row.

    The file is validated before the write lock is taken (see :mod:`.import_steps`). Two
    imports restating or adding the same values at once cannot both win: the write finds a
    key's current value changed since the check, or (on PostgreSQL, where writers do not
    queue) the current-value index or the row version refuses the later one; that file is
    then refused whole with one line. ``guard`` refuses rows by the caller's own rule, at
    the check and again in the write.
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
        return validate_then_write(
            db,
            lambda session: _plan(session, table, shown, guard),
            lambda session, plan: _store(session, table, plan, actor=actor, guard=guard),
        )
    except RefusedMeanwhile:
        raise
    except (KeyTaken, ConcurrentChange, StaleDataError, IntegrityError):
        raise ConcurrentChange(
            f"{table.source}: refused, another user changed the same KPI values at the same "
            "time; nothing was imported (run the import again to compare with what is stored now)"
        ) from None


def _plan(
    session: Session, table: Table, shown: list[int | None] | None, guard: Guard | None
) -> _Plan:
    """Validate the file against the stored current values: new, restated or unchanged."""
    known = set(session.scalars(select(Entity.id)))
    valid = validate_kpis(table, known_entities=known, format_decimals=shown)
    refuse_too_long(table.source, valid, {"dims": limit_of(KpiValue.dims)})
    rows = valid.to_dicts()
    if guard is not None:
        guard(session, table.source, rows)
    years = sorted({r["year"] for r in rows})
    current = {
        (v.entity_id, v.year, v.metric_id, v.dims): v
        for v in session.scalars(
            select(KpiValue).where(KpiValue.is_current, KpiValue.year.in_(years))
        )
    }
    problems: list[Problem] = []
    new: list[dict[str, Any]] = []
    restated: list[tuple[int, float | None, dict[str, Any]]] = []
    unchanged = 0
    seen: dict[Key, tuple[int, int] | None] = {}
    for row in rows:
        key = (row["entity_id"], row["year"], row["metric_id"], row["dims"])
        stored = current.get(key)
        seen[key] = None if stored is None else (stored.id, stored.version)
        if stored is None:
            new.append(row)
        elif _same(stored, row):
            unchanged += 1
        elif not row["restatement_reason"]:
            values = {
                "was": stored.value if stored.status == "reported" else stored.status,
                "unit": stored.unit,
            }
            problems.append(Problem(row["__row"], "value", RECORDED % values, RECORDED, values))
        else:
            restated.append((stored.id, stored.value, row))
    if problems:
        raise ImportRejected(table.source, problems)
    return _Plan(new, restated, unchanged, years, seen, rows)


def _still_current(session: Session, plan: _Plan) -> bool:
    """Whether every key of the file still has the current value (id, version) it was
    checked against: another writer may have added or restated one meanwhile."""
    now: dict[Key, tuple[int, int]] = {
        (entity, year, metric, dims): (ident, version)
        for entity, year, metric, dims, ident, version in session.execute(
            select(
                KpiValue.entity_id,
                KpiValue.year,
                KpiValue.metric_id,
                KpiValue.dims,
                KpiValue.id,
                KpiValue.version,
            ).where(KpiValue.is_current, KpiValue.year.in_(plan.years))
        )
    }
    return all(now.get(key) == held for key, held in plan.seen.items())


def _store(
    session: Session, table: Table, plan: _Plan, *, actor: str, guard: Guard | None
) -> dict[str, Any]:
    """Write the planned values, unless a key changed since the check (or the guard now
    refuses a row)."""
    if guard is not None:
        try:
            guard(session, table.source, plan.rows)
        except ImportRejected as refused:
            raise RefusedMeanwhile(refused) from None
    if not plan.new and not plan.restated:
        return {"batch_id": None, "added": 0, "restated": 0, "unchanged": plan.unchanged}
    if not _still_current(session, plan):
        raise ConcurrentChange(f"{table.source}: KPI values changed since the file was checked")
    batch = open_batch(
        session, kind="kpis", table=table, rows=len(plan.new) + len(plan.restated), actor=actor
    )
    replaced = [ident for ident, _value, _row in plan.restated]
    for start in range(0, len(replaced), IDS_PER_SELECT):
        chunk = replaced[start : start + IDS_PER_SELECT]
        for stored in session.scalars(select(KpiValue).where(KpiValue.id.in_(chunk))):
            stored.is_current = False  # the row version makes a concurrent restatement fail
    session.flush()
    _insert_new(session, plan.new, batch.id)
    restatements = []
    for ident, old, row in plan.restated:
        value = _value(row, batch.id)
        value.restates_id = ident
        session.add(value)
        restatements.append(
            {
                "replaces": ident,
                "old": old,
                "new": row["value"],
                "reason": row["restatement_reason"],
            }
        )
    session.flush()
    close_batch(
        session,
        batch,
        actor=actor,
        summary={"added": len(plan.new), "restated": restatements, "unchanged": plan.unchanged},
    )
    return {
        "batch_id": batch.id,
        "added": len(plan.new),
        "restated": len(plan.restated),
        "unchanged": plan.unchanged,
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
    is stored, listed and checked, but no KPI table shows it before a reviewer approves.

    The pending requests' values are one list the database reads once per query (a few
    rows), not a subquery asked again for each of millions of stored values; a request
    that entered no value yet is left out of the list (``NOT IN`` a list holding NULL
    would hold back every value)."""
    return KpiValue.id.not_in(pending_values())


def pending_values() -> Select[Any]:
    """The ids of the values that draft, submitted or returned data requests entered."""
    return select(DataRequest.value_id).where(
        DataRequest.value_id.is_not(None), DataRequest.state.not_in(("approved", "locked"))
    )


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
