"""Importing the supplier register: one file kind at a time, all or nothing.

A file adds rows whose natural key is new and updates stored rows whose values differ; it
never deletes. It is validated against a read transaction, then written in one short write
(:func:`esgledger.ledger.import_steps.validate_then_write`) that refuses the whole file if
another writer changed one of its rows meanwhile. The write is one import batch and one
audit event, whose digest covers the whole register (scope ``suppliers:register``). The event
names the suppliers the file added or changed, so their rows alone are read again for the
digest (:func:`esgledger.ledger.digests.touch_suppliers`); a file naming more than
:data:`MAX_NAMED_SUPPLIERS` suppliers re-reads the whole register instead, which costs about
the same by then and keeps the set of names held in memory bounded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import ConcurrentChange, InvalidInput
from esgledger.ingest.checker import with_row_numbers
from esgledger.ingest.readers import Table, read_table
from esgledger.ingest.suppliers import SHEETS, Known, Sheet, validate_register
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.limits import refuse_too_long
from esgledger.ledger.models import Entity
from esgledger.ledger.supplier_models import (
    Supplier,
    SupplierAgreement,
    SupplierCertification,
    SupplierContact,
    SupplierSite,
)
from esgledger.ledger.workflow_models import EvidenceFile

RegisterRow = Supplier | SupplierSite | SupplierContact | SupplierAgreement | SupplierCertification
Model = type[RegisterRow]
MODELS: dict[str, Model] = {
    "suppliers": Supplier,
    "sites": SupplierSite,
    "contacts": SupplierContact,
    "agreements": SupplierAgreement,
    "certifications": SupplierCertification,
}
Key = tuple[Any, ...]
# Past this many suppliers an import re-reads every group: reading them by name, in chunks
# of ``IN`` lists, would cost about what one full read does.
MAX_NAMED_SUPPLIERS = 500


@dataclass(frozen=True)
class RegisterImport:
    """What an accepted file did."""

    kind: str
    batch_id: int | None
    added: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "batch_id": self.batch_id,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True)
class _Plan:
    added: list[dict[str, Any]]
    changes: list[tuple[Key, dict[str, Any]]]
    unchanged: int
    seen: dict[Key, int]  # the stored version of each row of the file, as the check saw it


def sheet_of(kind: str) -> Sheet:
    if kind not in SHEETS:
        raise InvalidInput(f"unknown register file kind {kind!r}; use one of {', '.join(SHEETS)}")
    return SHEETS[kind]


def import_register(
    db: Database, path: str | Path, *, kind: str, actor: str, sheet: str | None = None
) -> RegisterImport:
    """Add and update ``kind`` rows (suppliers, sites, contacts, agreements, certifications)
    from a CSV/XLSX file; nothing is written if any row is refused."""
    spec = sheet_of(kind)
    model = MODELS[kind]
    table = read_table(path, sheet=sheet, kind=kind)
    refuse_too_long(table.source, with_row_numbers(table.frame), _limits(spec, model))
    return validate_then_write(
        db,
        lambda session: _plan(session, table, spec, model),
        partial(_store, table=table, spec=spec, model=model, actor=actor),
    )


def _limits(spec: Sheet, model: Model) -> dict[str, int]:
    out = {}
    for column in spec.columns:
        length = getattr(model.__table__.c[column.attribute].type, "length", None)
        if length:
            out[column.name] = int(length)
    return out


def _key_attributes(spec: Sheet) -> list[str]:
    by_name = {c.name: c.attribute for c in spec.columns}
    return [by_name[k] for k in spec.key]


def _known(session: Session, kind: str) -> Known:
    return Known(
        suppliers=set(session.scalars(select(Supplier.id))) if kind != "suppliers" else (),
        entities=set(session.scalars(select(Entity.id))) if kind == "suppliers" else (),
        evidence=set(session.scalars(select(EvidenceFile.id))),
        onboarded=_onboarded(session) if kind == "suppliers" else {},
    )


def _onboarded(session: Session) -> dict[str, dt.date]:
    """The stored suppliers' onboarding dates (an end given alone is checked against them)."""
    stmt = select(Supplier.id, Supplier.onboarded_on).where(Supplier.onboarded_on.is_not(None))
    return {ident: day for ident, day in session.execute(stmt) if day is not None}


def _stored(session: Session, model: Model, key_of: list[str]) -> dict[Key, RegisterRow]:
    """Every stored row of the table by its natural key (a register is thousands of rows)."""
    rows = (cast(RegisterRow, r) for r in session.scalars(select(model)))
    return {tuple(getattr(r, k) for k in key_of): r for r in rows}


def _plan(session: Session, table: Table, spec: Sheet, model: Model) -> _Plan:
    rows = validate_register(table, spec, _known(session, spec.name)).drop("__row").to_dicts()
    key_of = _key_attributes(spec)
    stored = _stored(session, model, key_of)
    added: list[dict[str, Any]] = []
    changes: list[tuple[Key, dict[str, Any]]] = []
    seen: dict[Key, int] = {}
    for row in rows:
        key = tuple(row[k] for k in key_of)
        current = stored.get(key)
        if current is None:
            added.append(row)
            continue
        seen[key] = current.version
        diff = {f: v for f, v in row.items() if getattr(current, f) != v}
        if diff:
            changes.append((key, diff))
    return _Plan(added, changes, len(rows) - len(added) - len(changes), seen)


def _store(
    session: Session, plan: _Plan, *, table: Table, spec: Sheet, model: Model, actor: str
) -> RegisterImport:
    if not plan.added and not plan.changes:
        return RegisterImport(spec.name, None, 0, 0, plan.unchanged)
    key_of = _key_attributes(spec)
    now = _stored(session, model, key_of)
    moved = [k for k, v in plan.seen.items() if k not in now or now[k].version != v]
    moved += [k for k in (tuple(r[k] for k in key_of) for r in plan.added) if k in now]
    if moved:
        shown = ", ".join("/".join(_text(v) for v in k) for k in moved[:5])
        raise ConcurrentChange(
            f"{table.source}: refused, another user changed {spec.name} ({shown}) while the file "
            "was being checked; nothing was imported (run the import again)"
        )
    batch = open_batch(
        session,
        kind=f"suppliers.{spec.name}",
        table=table,
        rows=len(plan.added) + len(plan.changes),
        actor=actor,
    )
    for row in plan.added:
        session.add(model(**row, batch_id=batch.id))
    for key, diff in plan.changes:
        current = now[key]
        for field, value in diff.items():
            setattr(current, field, value)
        current.batch_id = batch.id
    session.flush()
    _touch(session, plan, spec)
    close_batch(
        session,
        batch,
        actor=actor,
        summary={
            "added": len(plan.added),
            "updated": [["/".join(_text(v) for v in k), sorted(d)] for k, d in plan.changes],
        },
    )
    return RegisterImport(spec.name, batch.id, len(plan.added), len(plan.changes), plan.unchanged)


def _touch(session: Session, plan: _Plan, spec: Sheet) -> None:
    """Name the suppliers whose rows the file added or changed (every natural key starts
    with the supplier, so a stored row never moves to another), or the whole register past
    :data:`MAX_NAMED_SUPPLIERS`."""
    column = "id" if spec.name == "suppliers" else "supplier_id"
    suppliers = {str(row[column]) for row in plan.added} | {str(k[0]) for k, _ in plan.changes}
    if len(suppliers) > MAX_NAMED_SUPPLIERS:
        digests.touch(session, digests.SUPPLIER_REGISTER)
    else:
        digests.touch_suppliers(session, suppliers)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
