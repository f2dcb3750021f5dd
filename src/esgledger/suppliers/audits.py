"""Supplier audits, their findings, and each finding's corrective action up to closure.

Deadlines (RBA Validated Audit Process, spec conflict-minerals.md): a corrective-action
plan is due 14 days after the final audit report, 7 calendar days for a Priority finding;
:func:`plan_due` is the one place that says so, and the due date is stored on the finding
when the report is dated (or when a finding is added to a reported audit), so ``esg check``
reads it from the ledger. A finding moves only along :data:`TRANSITIONS`; each change is one
audit event that digests the register.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.messages import N_
from esgledger.catalog.phrases import Listed, Phrase
from esgledger.errors import Conflict, InvalidInput, NotFound, worded
from esgledger.ledger import audit, digests
from esgledger.ledger.supplier_models import SupplierAudit, SupplierFinding, SupplierSite
from esgledger.suppliers.finding_history import check_day
from esgledger.suppliers.register import known_ids, refuse_ended

# A finding's grades and states are words a page translates: the pages' labels
# (web/vocabulary.py) and the overdue-action check's wording take them from here.
GRADES = (N_("Priority"), N_("Major"), N_("Minor"))
PLAN_DAYS = {"Priority": 7, "Major": 14, "Minor": 14}
FAMILIES = ("environmental", "social", "other")
MODES = ("on-site", "remote")
OPEN = "open"
CLOSED = "verified_closed"
# state → the states it may move to
TRANSITIONS = {
    OPEN: ("plan_submitted",),
    "plan_submitted": ("plan_approved", "plan_rejected"),
    "plan_rejected": ("plan_submitted",),
    "plan_approved": (CLOSED,),
    CLOSED: (),
}
STATES = (N_("open"), N_("plan_submitted"), N_("plan_approved"), N_("plan_rejected"),
          N_("verified_closed"))  # fmt: skip
# Each plan field's id is also a catalog message (#19): a refusal names the ids in English, as
# it always did, and the fields' labels in another language.
PLAN_FIELDS = (N_("root_cause"), N_("corrective"), N_("preventive"), N_("planned_completion"))
UNKNOWN_FINDING = N_("unknown audit finding %(finding)s; `esg suppliers findings` lists them")


def plan_due(report_on: dt.date, grade: str) -> dt.date:
    """When the corrective-action plan for a finding of ``grade`` is due."""
    return report_on + dt.timedelta(days=PLAN_DAYS[grade])


def _log(
    session: Session, actor: str, action: str, payload: dict[str, Any], *, supplier: str
) -> None:
    """One audit event for a change of ``supplier``'s audits (only its rows are re-digested)."""
    session.flush()
    digests.touch_suppliers(session, [supplier])
    audit.record(
        session, actor=actor, action=action, subject=digests.SUPPLIER_REGISTER, payload=payload
    )


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidInput(f"{name} {value!r} is not one of {', '.join(allowed)}")
    return value


def plan_audit(
    session: Session,
    *,
    supplier: str,
    planned_on: dt.date,
    mode: str,
    auditor: str,
    site: str | None = None,
    actor: str,
) -> SupplierAudit:
    known_ids(session, [supplier])
    refuse_ended(session, [supplier], planned_on, "audit")
    site_id = None
    if site is not None:
        site_id = session.scalar(
            select(SupplierSite.id).where(
                SupplierSite.supplier_id == supplier, SupplierSite.name == site
            )
        )
        if site_id is None:
            raise NotFound(f"supplier {supplier!r} has no site {site!r}")
    if not auditor.strip() or len(auditor) > 200:
        raise InvalidInput("auditor must be a name of 1 to 200 characters")
    row = SupplierAudit(
        supplier_id=supplier,
        site_id=site_id,
        mode=_choice("mode", mode, MODES),
        state="planned",
        planned_on=planned_on,
        auditor=auditor.strip(),
    )
    session.add(row)
    session.flush()
    _log(session, actor, "suppliers.audit.plan", {"audit": row.id, "supplier": supplier},
         supplier=supplier)  # fmt: skip
    return row


def get_audit(session: Session, audit_id: int) -> SupplierAudit:
    row = session.get(SupplierAudit, audit_id)
    if row is None:
        raise NotFound(f"unknown supplier audit {audit_id}; `esg suppliers audits` lists them")
    return row


def report_audit(
    session: Session, audit_id: int, *, done_on: dt.date, report_on: dt.date, actor: str
) -> SupplierAudit:
    """Mark the audit done with its final report's date; its findings get their plan due dates."""
    row = get_audit(session, audit_id)
    if row.state == "done":
        raise Conflict(f"audit {audit_id} is already done (report of {row.report_on})")
    if report_on < done_on:
        raise InvalidInput(f"the report ({report_on}) cannot come before the audit ({done_on})")
    row.state, row.done_on, row.report_on = "done", done_on, report_on
    for finding in session.scalars(
        select(SupplierFinding).where(SupplierFinding.audit_id == audit_id)
    ):
        finding.plan_due = plan_due(report_on, finding.grade)
    _log(session, actor, "suppliers.audit.report", {"audit": audit_id, "report_on": str(report_on)},
         supplier=row.supplier_id)  # fmt: skip
    return row


def add_finding(
    session: Session, audit_id: int, *, grade: str, family: str, text: str, actor: str
) -> SupplierFinding:
    row = get_audit(session, audit_id)
    if not text.strip():
        raise InvalidInput("a finding needs a text saying what was found")
    finding = SupplierFinding(
        audit_id=audit_id,
        grade=_choice("grade", grade, GRADES),
        family=_choice("family", family, FAMILIES),
        text=text.strip(),
        state=OPEN,
        plan_due=plan_due(row.report_on, grade) if row.report_on else None,
    )
    session.add(finding)
    session.flush()
    _log(session, actor, "suppliers.finding.add", {"finding": finding.id, "audit": audit_id},
         supplier=row.supplier_id)  # fmt: skip
    return finding


def move_finding(
    session: Session,
    finding_id: int,
    to: str,
    *,
    actor: str,
    version: int | None = None,
    on: dt.date | None = None,
    **plan: Any,
) -> SupplierFinding:
    """Move a finding to state ``to``: a plan needs root cause, corrective and preventive
    action and a planned completion date; closure needs the day it was verified. ``on`` is
    the day the step happened (required for closure), kept in the step's audit event so a
    past year's report can tell what was under way by its end
    (:mod:`esgledger.suppliers.finding_history`)."""
    finding = session.get(SupplierFinding, finding_id)
    if finding is None:
        found = {"finding": finding_id}
        raise worded(NotFound(UNKNOWN_FINDING % found), UNKNOWN_FINDING, found)
    if version is not None and version != finding.version:
        message = N_("finding %(finding)s changed since version %(version)s; show it again")
        values = {"finding": finding_id, "version": version}
        raise worded(Conflict(message % values), message, values)
    allowed = TRANSITIONS.get(finding.state, ())
    if to not in allowed:
        raise _not_allowed(finding_id, finding.state, allowed)
    if on is not None:
        check_day(session, finding_id, on)
    if to == "plan_submitted":
        missing = [f for f in PLAN_FIELDS if not plan.get(f)]
        if missing:
            message = N_("a corrective-action plan needs %(fields)s")
            needs = {"fields": Listed([Phrase(f) for f in missing])}
            raise worded(InvalidInput(message % needs), message, needs)
        for field in PLAN_FIELDS:
            setattr(finding, field, plan[field])
    if to == CLOSED:
        if on is None:
            message = N_("closing a finding needs the day its correction was verified")
            raise worded(InvalidInput(message), message, {})
        finding.closed_on = on
    was, finding.state = finding.state, to
    supplier = get_audit(session, finding.audit_id).supplier_id
    payload: dict[str, Any] = {"finding": finding_id, "from": was, "to": to}
    if on is not None:
        payload["on"] = on.isoformat()
    _log(session, actor, "suppliers.finding.move", payload, supplier=supplier)
    return finding


def _not_allowed(finding_id: int, state: str, allowed: tuple[str, ...]) -> Conflict:
    """The refusal of a move ``TRANSITIONS`` does not allow, naming its catalog message."""
    values: dict[str, Any] = {"finding": finding_id}
    if not allowed:
        message = N_("finding %(finding)s is %(state)s; it can move to nothing (it is closed)")
    else:
        message = N_("finding %(finding)s is %(state)s; it can move to %(options)s")
        values["options"] = Listed([Phrase(state) for state in allowed])
    english = message % {**values, "state": state}
    return worded(Conflict(english), message, values, {"state": state})


def finding_dict(finding: SupplierFinding, audit_row: SupplierAudit) -> dict[str, Any]:
    return {
        "id": finding.id,
        "audit": finding.audit_id,
        "supplier": audit_row.supplier_id,
        "grade": finding.grade,
        "family": finding.family,
        "text": finding.text,
        "state": finding.state,
        "plan_due": finding.plan_due.isoformat() if finding.plan_due else None,
        "planned_completion": (
            finding.planned_completion.isoformat() if finding.planned_completion else None
        ),
        "closed_on": finding.closed_on.isoformat() if finding.closed_on else None,
        "version": finding.version,
    }


def list_findings(
    session: Session,
    *,
    supplier: str | None = None,
    overdue_on: dt.date | None = None,
    missed_parts: bool = False,
) -> list[dict[str, Any]]:
    """Findings (of one supplier), or only those overdue on ``overdue_on``; ``missed_parts``
    adds the overdue step and its ISO due date apart (``missed``), for a page to word them in
    its language."""
    stmt = select(SupplierFinding, SupplierAudit).join(
        SupplierAudit, SupplierAudit.id == SupplierFinding.audit_id
    )
    if supplier:
        stmt = stmt.where(SupplierAudit.supplier_id == supplier)
    rows = []
    for finding, audit_row in session.execute(stmt.order_by(SupplierFinding.id)):
        missed = finding.missed(overdue_on) if overdue_on else None
        if overdue_on is None or missed:
            row = finding_dict(finding, audit_row)
            if missed:
                row["overdue"] = f"{missed[0]} was due {missed[1].isoformat()}"
                if missed_parts:
                    row["missed"] = [missed[0], missed[1].isoformat()]
            rows.append(row)
    return rows


def audit_dict(row: SupplierAudit) -> dict[str, Any]:
    return {
        "id": row.id,
        "supplier": row.supplier_id,
        "site": row.site_id,
        "mode": row.mode,
        "state": row.state,
        "planned_on": row.planned_on.isoformat(),
        "done_on": row.done_on.isoformat() if row.done_on else None,
        "report_on": row.report_on.isoformat() if row.report_on else None,
        "auditor": row.auditor,
    }


def list_audits(session: Session, *, supplier: str | None = None) -> list[dict[str, Any]]:
    stmt = select(SupplierAudit).order_by(SupplierAudit.id)
    if supplier:
        stmt = stmt.where(SupplierAudit.supplier_id == supplier)
    return [audit_dict(a) for a in session.scalars(stmt)]
