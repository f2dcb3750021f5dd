"""The OHS register: hours worked and incidents, imported whole and moved through states.

Imports follow the house rule (:func:`esgledger.registers.batch_import.import_batch`):
the file is validated against a read, then written in one short transaction as one import
batch and one audit event whose digest covers the rows. Hours of an (entity, year, worker
type) already stored are replaced by a new file; an incident ref already stored is refused.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import Conflict
from esgledger.ingest.checker import with_row_numbers
from esgledger.ingest.readers import read_table
from esgledger.ledger import digests
from esgledger.ledger.db import Database
from esgledger.ledger.limits import limit_of, refuse_too_long
from esgledger.ledger.models import Entity
from esgledger.ledger.register_models import OhsHours, OhsIncident
from esgledger.registers.batch_import import Guard, import_batch
from esgledger.registers.batch_import import Imported as Imported  # where the registers import it
from esgledger.registers.ohs_import import validate_hours, validate_incidents
from esgledger.registers.states import Flow

INCIDENTS = Flow(
    register="ohs_incidents",
    initial="reported",
    moves={
        "reported": ("investigating",),
        "investigating": ("corrective_action", "closed"),
        "corrective_action": ("closed",),
    },
    # Days a case may stay in a state: triage within 2 days, investigation within 30,
    # corrective action within 60 (ISO 45001 10.2 asks for timely action without a number).
    sla_days={"reported": 2, "investigating": 30, "corrective_action": 60},
)


def _entity_ids(session: Session) -> set[str]:
    return set(session.scalars(select(Entity.id)))


def import_hours(
    db: Database,
    path: str | Path,
    *,
    actor: str,
    sheet: str | None = None,
    guard: Guard | None = None,
) -> Imported:
    """Hours worked per entity, year and worker type, from CSV or XLSX, all or nothing;
    ``guard`` may refuse the validated rows inside the write transaction."""
    table = read_table(path, sheet=sheet, kind="hours")
    return import_batch(
        db,
        table,
        kind="register.ohs_hours",
        actor=actor,
        validate=lambda session: validate_hours(table, entities=_entity_ids(session)),
        write=_write_hours,
        guard=guard,
    )


def _write_hours(session: Session, rows: pl.DataFrame, batch_id: int) -> int:
    """The hours under the batch; a stored entity, year and worker type is replaced."""
    years = sorted(set(rows["year"].to_list()))
    stored = {
        (h.entity_id, h.year, h.worker_type): h
        for h in session.scalars(select(OhsHours).where(OhsHours.year.in_(years)))
    }
    replaced, moved_from = 0, set()
    for row in rows.iter_rows(named=True):
        key = (row["entity"], row["year"], row["worker_type"])
        if key in stored:
            moved_from.add(stored[key].batch_id)  # that batch's digest changes too
            stored[key].hours, stored[key].batch_id = row["hours"], batch_id
            replaced += 1
        else:
            session.add(
                OhsHours(
                    batch_id=batch_id,
                    entity_id=row["entity"],
                    year=row["year"],
                    worker_type=row["worker_type"],
                    hours=row["hours"],
                )
            )
    session.flush()
    digests.touch_batches(session, *sorted(moved_from, key=lambda b: b or 0))
    return replaced


def import_incidents(
    db: Database,
    path: str | Path,
    *,
    actor: str,
    sheet: str | None = None,
    guard: Guard | None = None,
) -> Imported:
    """New incidents from CSV or XLSX, all or nothing; each starts in state ``reported``;
    ``guard`` may refuse the validated rows inside the write transaction."""
    table = read_table(path, sheet=sheet, kind="incidents")
    if "description" in table.frame.columns:
        refuse_too_long(
            table.source,
            with_row_numbers(table.frame),
            {"description": 4000, "ref": limit_of(OhsIncident.ref)},
        )

    def validate(session: Session) -> pl.DataFrame:
        return validate_incidents(
            table,
            entities=_entity_ids(session),
            stored_refs=set(session.scalars(select(OhsIncident.ref))),
        )

    return import_batch(
        db,
        table,
        kind="register.ohs_incidents",
        actor=actor,
        validate=validate,
        write=_write_incidents,
        guard=guard,
        recheck=partial(_refs_still_free, source=table.source),
    )


def _refs_still_free(session: Session, rows: pl.DataFrame, *, source: str) -> None:
    refs = rows["ref"].to_list()
    taken = set(session.scalars(select(OhsIncident.ref).where(OhsIncident.ref.in_(refs))))
    if taken:
        raise Conflict(
            f"{source}: incident {sorted(taken)[0]!r} was added by another writer "
            "meanwhile; nothing was written, import the file again"
        )


def _write_incidents(session: Session, rows: pl.DataFrame, batch_id: int) -> int:
    for row in rows.iter_rows(named=True):
        session.add(
            OhsIncident(
                batch_id=batch_id,
                ref=row["ref"],
                entity_id=row["entity"],
                occurred_on=row["occurred_on"],
                worker_type=row["worker_type"],
                kind=row["kind"],
                high_consequence=row["high_consequence"],
                lost_days=row["lost_days"],
                description=row["description"],
                state=INCIDENTS.initial,
            )
        )
    session.flush()
    return 0


def incident_dict(incident: OhsIncident, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": incident.id,
        "ref": incident.ref,
        "entity": incident.entity_id,
        "date": incident.occurred_on.isoformat(),
        "worker_type": incident.worker_type,
        "kind": incident.kind,
        "high_consequence": incident.high_consequence,
        "lost_days": incident.lost_days,
        "state": incident.state,
        "clock": INCIDENTS.clock(incident.state, incident.state_changed_at, now).as_dict(),
        "version": incident.version,
    }
