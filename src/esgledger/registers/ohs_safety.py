"""The OHS safety registers: hazards and their correction, emergency drills, and workers in
special (high-risk) operations with their certificates.

Imports follow the house rule (:func:`esgledger.ledger.import_steps.validate_then_write`):
validated against a read, then written in one short transaction as one import batch and one
audit event whose digest covers the rows. A row already stored (a hazard or drill by its
ref, a post by entity, person and operation) is restated by a later file — a hazard
corrected, a certificate renewed, a worker who left — and the batch that held it is
digested again (:func:`esgledger.registers.restate.restate`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Base, Entity
from esgledger.ledger.ohs_models import Drill, Hazard, SpecialOperator
from esgledger.registers.ohs import Imported
from esgledger.registers.ohs_safety_import import (
    validate_drills,
    validate_hazards,
    validate_operators,
)
from esgledger.registers.restate import restate

Validator = Callable[..., pl.DataFrame]
HAZARD_COLUMNS = {
    "ref": "ref",
    "entity_id": "entity",
    "identified_on": "identified_on",
    "category": "category",
    "risk_level": "risk_level",
    "description": "description",
    "corrected_on": "corrected_on",
}
DRILL_COLUMNS = {
    "ref": "ref",
    "entity_id": "entity",
    "held_on": "held_on",
    "scenario": "scenario",
    "participants": "participants",
    "notes": "notes",
}
OPERATOR_COLUMNS = {
    "entity_id": "entity",
    "person": "person",
    "operation": "operation",
    "assigned_on": "assigned_on",
    "left_on": "left_on",
    "certificate": "certificate",
    "issued_on": "issued_on",
    "expires_on": "expires_on",
}


def _import(
    db: Database,
    path: str | Path,
    *,
    validator: Validator,
    model: type[Base],
    key: tuple[str, ...],
    columns: dict[str, str],
    kind: str,
    actor: str,
    sheet: str | None,
) -> Imported:
    # an XLSX sheet named hazards, drills or operators is read without --sheet
    sheet_kind = kind.removeprefix("register.ohs_").removeprefix("special_")
    table: Table = read_table(path, sheet=sheet, kind=sheet_kind)

    def validate(session: Session) -> pl.DataFrame:
        return validator(table, entities=set(session.scalars(select(Entity.id))))

    write = partial(
        restate, model=model, key=key, columns=columns, kind=kind, table=table, actor=actor
    )
    return validate_then_write(db, validate, write)


def import_hazards(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Hazards from CSV or XLSX, all or nothing; a stored ref is restated."""
    return _import(
        db,
        path,
        validator=validate_hazards,
        model=Hazard,
        key=("ref",),
        columns=HAZARD_COLUMNS,
        kind="register.ohs_hazards",
        actor=actor,
        sheet=sheet,
    )


def import_drills(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Emergency drills from CSV or XLSX, all or nothing; a stored ref is restated."""
    return _import(
        db,
        path,
        validator=validate_drills,
        model=Drill,
        key=("ref",),
        columns=DRILL_COLUMNS,
        kind="register.ohs_drills",
        actor=actor,
        sheet=sheet,
    )


def import_operators(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Special-operation posts from CSV or XLSX, all or nothing; a stored entity, person and
    operation is restated."""
    return _import(
        db,
        path,
        validator=validate_operators,
        model=SpecialOperator,
        key=("entity_id", "person", "operation"),
        columns=OPERATOR_COLUMNS,
        kind="register.ohs_special_operators",
        actor=actor,
        sheet=sheet,
    )


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def hazard_dict(hazard: Hazard, on: dt.date) -> dict[str, Any]:
    """A hazard as the interfaces show it, open or corrected on ``on``."""
    return {
        "id": hazard.id,
        "ref": hazard.ref,
        "entity": hazard.entity_id,
        "identified_on": hazard.identified_on.isoformat(),
        "category": hazard.category,
        "risk_level": hazard.risk_level,
        "description": hazard.description,
        "corrected_on": _day(hazard.corrected_on),
        "state": "open" if hazard.open_on(on) else "corrected",
    }


def drill_dict(drill: Drill) -> dict[str, Any]:
    return {
        "id": drill.id,
        "ref": drill.ref,
        "entity": drill.entity_id,
        "held_on": drill.held_on.isoformat(),
        "scenario": drill.scenario,
        "participants": drill.participants,
        "notes": drill.notes,
    }


def certificate_status(post: SpecialOperator, on: dt.date) -> str:
    """``valid``, ``expired``, ``not_yet_valid`` or ``none`` on ``on``."""
    if not post.certificate or post.issued_on is None or post.expires_on is None:
        return "none"
    if post.issued_on > on:
        return "not_yet_valid"
    return "valid" if post.expires_on >= on else "expired"


def operator_dict(post: SpecialOperator, on: dt.date) -> dict[str, Any]:
    """A special-operation post with its certificate's status on ``on``."""
    return {
        "id": post.id,
        "entity": post.entity_id,
        "person": post.person,
        "operation": post.operation,
        "assigned_on": post.assigned_on.isoformat(),
        "left_on": _day(post.left_on),
        "certificate": post.certificate or None,
        "issued_on": _day(post.issued_on),
        "expires_on": _day(post.expires_on),
        "certificate_status": certificate_status(post, on),
    }
