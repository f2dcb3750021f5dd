"""The customer complaints register: the loop accept → assign → process → return visit →
file → close, with SLA hours per severity and state set by the workspace (:mod:`.sla`).

A staged register (:mod:`.staged`): imports, listings and moves are that module's. Each
state's entry time is kept, so every stay is judged against its SLA: a stay longer than the
SLA of the complaint's severity and that state is a breach, and a complaint closed without a
breach was closed within SLA.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.ledger.db import Database
from esgledger.ledger.register_lines import (
    COMPLAINT_CLOCKED,
    COMPLAINTS,
    Slas,
    judge_complaint,
)
from esgledger.ledger.register_models import Complaint
from esgledger.registers.complaints_import import SEVERITIES, validate_complaints
from esgledger.registers.history import advance
from esgledger.registers.ohs import Imported
from esgledger.registers.staged import StagedRegister, import_file

REGISTER = COMPLAINTS.register
LINE = COMPLAINTS
CLOCKED = COMPLAINT_CLOCKED


def import_complaints(db: Database, path: str | Path, **options: Any) -> Imported:
    """New complaints from CSV or XLSX, all or nothing, each in the last state it was
    given (options ``actor``, ``sheet``, ``guard``: :func:`.staged.import_file`)."""
    return import_file(db, STAGED, path, **options)


def move_complaint(
    session: Session,
    *,
    ref: str,
    target: str,
    actor: str,
    seen_version: int | None = None,
    note: str = "",
) -> Complaint:
    """Move a complaint to its next state along the loop, stamping the time."""
    moved: Complaint = advance(
        session, Complaint, LINE, ref=ref, target=target, actor=actor,
        seen_version=seen_version, note=note,
    )  # fmt: skip
    return moved


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


STAGED = StagedRegister(
    line=LINE,
    model=Complaint,
    kind="complaints",
    noun="complaint",
    columns=("channel", "product_line", "severity", "description"),
    category="channel",
    sorts={
        "accepted": Complaint.accepted_at,
        "ref": Complaint.ref,
        "entity": Complaint.entity_id,
        "severity": Complaint.severity,
        "state": Complaint.state,
    },
    metric_prefix="customer.complaints.",
    validate=validate_complaints,
    move=move_complaint,
    as_dict=complaint_dict,
)
