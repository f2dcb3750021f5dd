"""The product-security vulnerability register: intake (researcher, internal, third-party
test) → triage → fixing → fixed → advisory published, the CVSS v3.1 base score fixing the
severity and the severity the SLA from intake to fix.

A staged register (:mod:`.staged`), as the complaints register is: imports, listings and
moves are that module's, each state's entry time kept. A CVE id is optional (many fixes
never get one) and validated when given, at import or when the advisory is published.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput, NotFound
from esgledger.ledger.db import Database
from esgledger.ledger.register_lines import (
    TO_FIX,
    VULNERABILITIES,
    Slas,
    judge_vulnerability,
)
from esgledger.ledger.register_models import Vulnerability
from esgledger.registers.cvss import SEVERITIES, cve_problem
from esgledger.registers.history import advance, check_version
from esgledger.registers.ohs import Imported
from esgledger.registers.staged import StagedRegister, import_file
from esgledger.registers.vulnerabilities_import import validate_vulnerabilities

REGISTER = VULNERABILITIES.register
LINE = VULNERABILITIES


def import_vulnerabilities(db: Database, path: str | Path, **options: Any) -> Imported:
    """New vulnerabilities from CSV or XLSX, all or nothing, each in its last given state
    (options ``actor``, ``sheet``, ``guard``: :func:`.staged.import_file`)."""
    return import_file(db, STAGED, path, **options)


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


def sla_days(slas: Slas) -> list[dict[str, Any]]:
    """Every severity with its SLA from intake to fix, in days (None: not set)."""
    return [
        {"severity": sev, "days": None if (h := slas.get((sev, TO_FIX))) is None else h / 24}
        for sev in SEVERITIES
    ]


STAGED = StagedRegister(
    line=LINE,
    model=Vulnerability,
    kind="vulnerabilities",
    noun="vulnerability",
    columns=("product_line", "source", "cvss_score", "severity", "title", "cve_id"),
    category="source",
    sorts={
        "intake": Vulnerability.intake_at,
        "ref": Vulnerability.ref,
        "score": Vulnerability.cvss_score,
        "state": Vulnerability.state,
    },
    metric_prefix="cybersecurity.vulnerabilities.",
    validate=validate_vulnerabilities,
    move=move_vulnerability,
    as_dict=vulnerability_dict,
    exported=("advisory_published_at",),
)
