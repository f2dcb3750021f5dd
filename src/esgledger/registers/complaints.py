"""The customer complaints register: the loop accept → assign → process → return visit →
file → close, with SLA hours per severity and state set by the workspace (:mod:`.sla`).

Imports follow the house rule (:func:`esgledger.ledger.import_steps.validate_then_write`):
validated against a read, written in one short transaction as one import batch and one audit
event whose digest covers the rows. A ref already stored is refused. Each state's entry time
is kept, so every stay is judged against its SLA: a stay longer than the SLA of the
complaint's severity and that state is a breach, and a complaint closed without a breach
was closed within SLA. Rows are written in chunks with one bulk statement each.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from esgledger.errors import Conflict
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Base, Entity
from esgledger.ledger.register_lines import (
    COMPLAINT_CLOCKED,
    COMPLAINTS,
    Slas,
    judge_complaint,
)
from esgledger.ledger.register_models import Complaint
from esgledger.registers.complaints_import import SEVERITIES, validate_complaints
from esgledger.registers.ohs import Imported

REGISTER = COMPLAINTS.register
LINE = COMPLAINTS
CLOCKED = COMPLAINT_CLOCKED
CHUNK = 5000


def import_complaints(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """New complaints from CSV or XLSX, all or nothing, each in the last state it was given."""
    table = read_table(path, sheet=sheet, kind="complaints")

    def validate(session: Session) -> pl.DataFrame:
        return validate_complaints(
            table,
            entities=set(session.scalars(select(Entity.id))),
            stored_refs=set(session.scalars(select(Complaint.ref))),
            line=LINE,
        )

    return validate_then_write(db, validate, partial(_store, table=table, actor=actor))


def _store(session: Session, rows: pl.DataFrame, *, table: Table, actor: str) -> Imported:
    refs = rows["ref"].to_list()
    taken = set(session.scalars(select(Complaint.ref).where(Complaint.ref.in_(refs))))
    if taken:
        raise Conflict(
            f"{table.source}: complaint {sorted(taken)[0]!r} was added by another writer "
            "meanwhile; nothing was written, import the file again"
        )
    batch = open_batch(
        session, kind="register.complaints", table=table, rows=rows.height, actor=actor
    )
    columns = [column for _, column in LINE.stages]
    last = pl.coalesce([pl.col(c) for c in reversed(columns)])
    frame = rows.select(
        pl.lit(batch.id).alias("batch_id"),
        "ref",
        pl.col("entity").alias("entity_id"),
        "channel",
        "product_line",
        "severity",
        "description",
        *columns,
        "state",
        last.alias("state_changed_at"),
    )
    complaints = Base.metadata.tables["complaints"]  # Core executemany: a year of a service
    for chunk in frame.iter_slices(CHUNK):  # desk's complaints is thousands of rows
        session.connection().execute(insert(complaints), chunk.to_dicts())
    result = Imported(batch.id, rows.height, 0)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result


def complaint_dict(c: Complaint, slas: Slas, now: dt.datetime) -> dict[str, Any]:
    """A complaint as the interfaces show it, with its current state's clock and breaches."""
    hours = slas.get((c.severity, c.state))
    due = c.state_changed_at + dt.timedelta(hours=hours) if hours is not None else None
    judged = judge_complaint(c, slas, now)
    return {
        "id": c.id,
        "ref": c.ref,
        "entity": c.entity_id,
        "channel": c.channel,
        "product_line": c.product_line,
        "severity": c.severity,
        "accepted_at": c.accepted_at.isoformat(),
        "closed_at": c.closed_at.isoformat() if c.closed_at else None,
        "state": c.state,
        "clock": {
            "state": c.state,
            "since": c.state_changed_at.isoformat(),
            "due": due.isoformat() if due else None,
            "overdue": bool(due and now > due),
        },
        "breaches": list(judged.breaches),
        "version": c.version,
    }


def sla_table(slas: Slas) -> list[dict[str, Any]]:
    """Every severity × clocked state with its SLA hours (None: not set)."""
    return [
        {"severity": sev, "state": state, "hours": slas.get((sev, state))}
        for sev in SEVERITIES
        for state in CLOCKED
    ]
