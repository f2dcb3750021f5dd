"""Choosing findings by rule (or key) and subject, for acknowledging them in one go.

``esg check acknowledge part.nh3n_le_tn --subject wastewater.nh3_n --reason "…"`` names what
a reviewer read in ``esg check``: the rule, and the metric or entity it is about. Every open
finding that matches is acknowledged, each with its own audit event.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.checks.acks import ACTION, acknowledge
from esgledger.checks.engine import data_years, run_checks
from esgledger.checks.findings import Finding
from esgledger.errors import InvalidInput, NotFound
from esgledger.ledger.models import AuditEvent


def matching(finding: Finding, code: str, subject: str | None) -> bool:
    """The finding has rule or key ``code`` and, if given, metric or entity ``subject``."""
    if code not in (finding.rule, finding.key):
        return False
    return subject is None or subject in finding.metrics or subject == finding.entity


def open_matching(
    session: Session, code: str, *, subject: str | None = None, year: int | None = None
) -> list[Finding]:
    """Open findings of rule (or key) ``code`` about ``subject``, in ``year`` or every year."""
    found: dict[str, Finding] = {}
    for candidate in [year] if year is not None else data_years(session):
        for finding in run_checks(session, candidate):
            if finding.acknowledged is None and matching(finding, code, subject):
                found.setdefault(finding.key, finding)
    if not found:
        about = f" about {subject}" if subject else ""
        where = f"in {year}" if year is not None else "in any year with data"
        raise NotFound(
            f"no open finding of {code}{about} {where}; `esg check --year YEAR` lists them"
        )
    return list(found.values())


def acknowledge_matching(
    session: Session,
    code: str,
    *,
    reason: str,
    actor: str,
    subject: str | None = None,
    year: int | None = None,
) -> list[tuple[Finding, AuditEvent]]:
    """Acknowledge every open finding that matches, each as its own audit event."""
    if not reason.strip():
        raise InvalidInput("give a reason: why the finding may stand in the published report")
    findings = open_matching(session, code.strip(), subject=subject, year=year)
    return [(f, acknowledge(session, f, comment=reason, actor=actor)) for f in findings]


def acknowledgement_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    """Every acknowledgement in the ledger: finding, reason, who and when (oldest first)."""
    rows = []
    for event in session.scalars(
        select(AuditEvent).where(AuditEvent.action == ACTION).order_by(AuditEvent.id)
    ):
        payload = json.loads(event.payload)
        finding = payload.get("finding", {})
        if year is not None and finding.get("year") != year:
            continue
        rows.append(
            {
                "key": payload["key"],
                "rule": finding.get("rule", ""),
                "severity": finding.get("severity", ""),
                "year": finding.get("year"),
                "metrics": finding.get("metrics", []),
                "entity": finding.get("entity"),
                "explanation": finding.get("explanation", ""),
                "reason": payload.get("comment", ""),
                "actor": event.actor,
                "at": event.ts.isoformat(timespec="seconds"),
                "event": event.id,
            }
        )
    return rows
