"""The product-security vulnerability register: intake (researcher, internal, third-party
test) → triage → fixing → fixed → advisory published, the CVSS v3.1 base score fixing the
severity and the severity the SLA from intake to fix.

Imports follow the house rule (:func:`esgledger.ledger.import_steps.validate_then_write`),
as the complaints register's do: one batch and one audit event, a stored ref refused, each
state's entry time kept. A CVE id is optional (many fixes never get one) and validated when
given, at import or when the advisory is published.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Entity
from esgledger.ledger.register_lines import (
    TO_FIX,
    VULNERABILITIES,
    Slas,
    judge_vulnerability,
)
from esgledger.ledger.register_models import Vulnerability
from esgledger.registers.cvss import cve_problem
from esgledger.registers.history import advance, check_version
from esgledger.registers.ohs import Imported
from esgledger.registers.vulnerabilities_import import validate_vulnerabilities

REGISTER = VULNERABILITIES.register
LINE = VULNERABILITIES


def import_vulnerabilities(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """New vulnerabilities from CSV or XLSX, all or nothing, each in its last given state."""
    table = read_table(path, sheet=sheet, kind="vulnerabilities")

    def validate(session: Session) -> pl.DataFrame:
        return validate_vulnerabilities(
            table,
            entities=set(session.scalars(select(Entity.id))),
            stored_refs=set(session.scalars(select(Vulnerability.ref))),
            line=LINE,
        )

    return validate_then_write(db, validate, partial(_store, table=table, actor=actor))


def _store(session: Session, rows: pl.DataFrame, *, table: Table, actor: str) -> Imported:
    refs = rows["ref"].to_list()
    taken = set(session.scalars(select(Vulnerability.ref).where(Vulnerability.ref.in_(refs))))
    if taken:
        raise Conflict(
            f"{table.source}: vulnerability {sorted(taken)[0]!r} was added by another writer "
            "meanwhile; nothing was written, import the file again"
        )
    batch = open_batch(
        session, kind="register.vulnerabilities", table=table, rows=rows.height, actor=actor
    )
    columns = [column for _, column in LINE.stages]
    for row in rows.iter_rows(named=True):
        entered = [row[c] for c in columns if row[c] is not None]
        session.add(
            Vulnerability(
                batch_id=batch.id,
                ref=row["ref"],
                entity_id=row["entity"],
                product_line=row["product_line"],
                source=row["source"],
                cvss_score=row["cvss_score"],
                severity=row["severity"],
                title=row["title"],
                cve_id=row["cve_id"],
                state=row["state"],
                state_changed_at=entered[-1],
                **{c: row[c] for c in columns},
            )
        )
    session.flush()
    result = Imported(batch.id, rows.height, 0)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result


def move_vulnerability(
    session: Session,
    *,
    ref: str,
    target: str,
    actor: str,
    seen_version: int | None = None,
    cve_id: str = "",
    note: str = "",
) -> Vulnerability:
    """Move a vulnerability to its next state; publishing the advisory may add its CVE id."""
    with session.no_autoflush:  # the CVE id, the stamp and the state: one version step
        return _move(session, ref, target, actor, seen_version, cve_id, note)


def _move(
    session: Session,
    ref: str,
    target: str,
    actor: str,
    seen_version: int | None,
    cve_id: str,
    note: str,
) -> Vulnerability:
    if cve_id:
        if target != "advisory_published":
            raise InvalidInput("a CVE id is given when the advisory is published")
        if problem := cve_problem(cve_id.upper()):
            raise InvalidInput(problem)
        row = session.scalars(select(Vulnerability).where(Vulnerability.ref == ref)).one_or_none()
        if row is None:
            raise NotFound(f"{REGISTER}: no row {ref!r}")
        check_version(row, REGISTER, seen_version)
        row.cve_id = cve_id.upper()
    moved: Vulnerability = advance(
        session,
        Vulnerability,
        LINE,
        ref=ref,
        target=target,
        actor=actor,
        seen_version=seen_version,
        note=note,
    )
    return moved


def vulnerability_dict(v: Vulnerability, slas: Slas, now: dt.datetime) -> dict[str, Any]:
    """A vulnerability as the interfaces show it, with its SLA from intake to fix."""
    hours = slas.get((v.severity, TO_FIX))
    due = v.intake_at + dt.timedelta(hours=hours) if hours is not None else None
    judged = judge_vulnerability(v, slas, now)
    return {
        "id": v.id,
        "ref": v.ref,
        "entity": v.entity_id,
        "product_line": v.product_line,
        "source": v.source,
        "cvss_score": v.cvss_score,
        "severity": v.severity,
        "cve_id": v.cve_id or None,
        "intake_at": v.intake_at.isoformat(),
        "fixed_at": v.fixed_at.isoformat() if v.fixed_at else None,
        "state": v.state,
        "fix_due": due.isoformat() if due else None,
        "sla_met": None if not judged.has_sla else judged.within,
        "version": v.version,
    }
