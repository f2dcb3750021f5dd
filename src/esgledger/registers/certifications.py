"""The certification register: management-system and product certificates, per entity, site
or product model, with their validity and surveillance audits.

Imports follow the house rule (:func:`esgledger.ledger.import_steps.validate_then_write`):
validated against a read, then written in one short transaction as one import batch and one
audit event whose digest covers the rows. A certificate already stored (same body and
number) is restated by a new file — renewed, extended or withdrawn — and the batch that held
the old row is digested again.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Entity
from esgledger.ledger.regcert_models import Certificate
from esgledger.registers.certification_import import validate_certificates
from esgledger.registers.ohs import Imported

FIELDS = (
    "entity_id",
    "standard",
    "product_model",
    "scope",
    "issued_on",
    "expires_on",
    "withdrawn_on",
    "surveillance",
)


def import_certificates(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Certificates from CSV or XLSX, all or nothing; a stored body and number is restated."""
    table = read_table(path, sheet=sheet, kind="certificates")

    def validate(session: Session) -> pl.DataFrame:
        return validate_certificates(table, entities=set(session.scalars(select(Entity.id))))

    return validate_then_write(db, validate, partial(_store, table=table, actor=actor))


def _store(session: Session, rows: pl.DataFrame, *, table: Table, actor: str) -> Imported:
    keys = list(zip(rows["body"].to_list(), rows["number"].to_list(), strict=True))
    stored = {
        (c.body, c.number): c
        for c in session.scalars(
            select(Certificate).where(tuple_(Certificate.body, Certificate.number).in_(keys))
        )
    }
    batch = open_batch(
        session, kind="register.certificates", table=table, rows=rows.height, actor=actor
    )
    replaced, moved_from = 0, set()
    for row in rows.iter_rows(named=True):
        values = {field: row["entity" if field == "entity_id" else field] for field in FIELDS}
        known = stored.get((row["body"], row["number"]))
        if known is None:
            session.add(
                Certificate(batch_id=batch.id, body=row["body"], number=row["number"], **values)
            )
            continue
        moved_from.add(known.batch_id)  # that batch's digest changes too
        for field, value in values.items():
            setattr(known, field, value)
        known.batch_id = batch.id
        replaced += 1
    session.flush()
    digests.touch_batches(session, *sorted(moved_from, key=lambda b: b or 0))
    result = Imported(batch.id, rows.height - replaced, replaced)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result


def status_on(certificate: Certificate, day: dt.date) -> str:
    """``valid``, ``withdrawn``, ``expired`` or ``not_yet_valid`` on ``day``."""
    if certificate.issued_on > day:
        return "not_yet_valid"
    if certificate.withdrawn_on is not None and certificate.withdrawn_on <= day:
        return "withdrawn"
    return "valid" if certificate.expires_on >= day else "expired"


def certificate_dict(certificate: Certificate, on: dt.date) -> dict[str, Any]:
    """A certificate as the interfaces show it, with its status on ``on``."""
    withdrawn = certificate.withdrawn_on
    return {
        "id": certificate.id,
        "entity": certificate.entity_id,
        "standard": certificate.standard,
        "number": certificate.number,
        "body": certificate.body,
        "product_model": certificate.product_model or None,
        "scope": certificate.scope,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "withdrawn_on": withdrawn.isoformat() if withdrawn else None,
        "surveillance": [d for d in certificate.surveillance.split("; ") if d],
        "status": status_on(certificate, on),
    }
