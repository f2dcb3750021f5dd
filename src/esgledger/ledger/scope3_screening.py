"""Storing and reading the Scope 3 screening of a year (see :mod:`scope3_models`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.ingest.readers import read_table
from esgledger.ingest.scope3_screening import validate_screening
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.scope3_models import Scope3Screening, Scope3ScreeningExclusion

KIND = "scope3_screening"
YEARS = range(1990, 2101)


def import_screening(
    db: Database, path: str | Path, *, year: int, actor: str, sheet: str | None = None
) -> dict[str, Any]:
    """Validate the file (all 15 categories), then store it as the year's screening in one
    batch; the year's previous screening stays stored as history."""
    if year not in YEARS:
        raise InvalidInput(f"--year {year}: give a reporting year between 1990 and 2100")
    table = read_table(path, sheet=sheet, kind=KIND)
    return validate_then_write(
        db,
        lambda _session: validate_screening(table),
        lambda session, rows: _store(session, table, rows, year=year, actor=actor),
    )


def _store(
    session: Session, table: Any, rows: pl.DataFrame, *, year: int, actor: str
) -> dict[str, Any]:
    batch = open_batch(session, kind=KIND, table=table, rows=rows.height, actor=actor)
    for row in rows.iter_rows(named=True):
        excluded = row.pop("excluded_activities")
        session.add(Scope3Screening(batch_id=batch.id, year=year, **row))
        session.add_all(
            Scope3ScreeningExclusion(batch_id=batch.id, category=row["category"], activity=a)
            for a in excluded
        )
    session.flush()
    summary = {
        "year": year,
        "rows": rows.height,
        "relevant": rows["category"].filter(rows["relevant"]).to_list(),
    }
    close_batch(session, batch, actor=actor, summary=summary)
    return {"batch_id": batch.id, **summary}


def screening_of(session: Session, year: int) -> list[dict[str, Any]]:
    """The year's screening (its newest batch), category order; [] when never screened."""
    newest = select(func.max(Scope3Screening.batch_id)).where(Scope3Screening.year == year)
    rows = session.scalars(
        select(Scope3Screening)
        .where(Scope3Screening.year == year, Scope3Screening.batch_id == newest.scalar_subquery())
        .order_by(Scope3Screening.category)
    )
    entries = list(rows)
    excluded: dict[int, list[str]] = {}
    if entries:
        for category, activity in session.execute(
            select(Scope3ScreeningExclusion.category, Scope3ScreeningExclusion.activity)
            .where(Scope3ScreeningExclusion.batch_id == entries[0].batch_id)
            .order_by(Scope3ScreeningExclusion.category, Scope3ScreeningExclusion.activity)
        ):
            excluded.setdefault(category, []).append(activity)
    return [screening_dict(r, excluded.get(r.category, [])) for r in entries]


def screening_dict(row: Scope3Screening, excluded: list[str] | None = None) -> dict[str, Any]:
    """One category's screening; ``excluded_activities`` only when it leaves some out (so runs
    of screenings without any keep their input digests)."""
    return {
        "category": f"cat{row.category}",
        "relevant": row.relevant,
        "reason": row.reason,
        "note": row.note,
        "method": row.method,
        "data_quality": row.data_quality,
        "batch": row.batch_id,
        **({"excluded_activities": excluded} if excluded else {}),
    }
