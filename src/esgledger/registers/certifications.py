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
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ingest.readers import read_table
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Entity
from esgledger.ledger.regcert_models import Certificate
from esgledger.registers.certification_import import validate_certificates
from esgledger.registers.ohs import Imported
from esgledger.registers.restate import restate

# attribute → the validated file's column
COLUMNS = {
    "body": "body",
    "number": "number",
    "entity_id": "entity",
    "standard": "standard",
    "product_model": "product_model",
    "scope": "scope",
    "issued_on": "issued_on",
    "expires_on": "expires_on",
    "withdrawn_on": "withdrawn_on",
    "surveillance": "surveillance",
}


def import_certificates(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Certificates from CSV or XLSX, all or nothing; a stored body and number is restated."""
    table = read_table(path, sheet=sheet, kind="certificates")

    def validate(session: Session) -> pl.DataFrame:
        return validate_certificates(table, entities=set(session.scalars(select(Entity.id))))

    write = partial(
        restate,
        model=Certificate,
        key=("body", "number"),
        columns=COLUMNS,
        kind="register.certificates",
        table=table,
        actor=actor,
    )
    return validate_then_write(db, validate, write)


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
