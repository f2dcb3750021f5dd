"""Moving a complaint or a vulnerability for a signed-in user (API and pages), under the
rules of every other write path.

- Permission: moving a row changes the figures it backs, so it needs ``kpis.write`` on the
  row's entity — data owners on their granted entities, managers and admins everywhere;
  reviewers, auditors and compliance officers are refused.
- Review state: a row whose figures are locked is frozen. When a data request for one of
  the register's metrics is locked for the row's entity or an entity above it (the figure
  it rolls into), in the year the row was received or the year of the move, the move is
  refused: after approval a change is a restatement, never a silent edit.
- The move itself is the CLI's (:func:`esgledger.registers.history.advance`): along the
  flow only, with the version the caller saw, audit-logged under the user's name.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, require
from esgledger.errors import Conflict, NotFound
from esgledger.ledger.models import Entity, utcnow
from esgledger.ledger.register_models import Complaint, Vulnerability
from esgledger.ledger.workflow_models import DataRequest
from esgledger.registers.complaints import LINE as COMPLAINT_LINE
from esgledger.registers.history import advance
from esgledger.registers.vulnerabilities import REGISTER as VULNS
from esgledger.registers.vulnerabilities import move_vulnerability

# register → (table, the metrics its rows back, the column of the time a row was received)
REGISTERS: dict[str, tuple[Any, str, str]] = {
    COMPLAINT_LINE.register: (Complaint, "customer.complaints.", "accepted_at"),
    VULNS: (Vulnerability, "cybersecurity.vulnerabilities.", "intake_at"),
}


def _lineage(session: Session, entity: str) -> list[str]:
    """The entity and every entity above it."""
    out: list[str] = []
    current: str | None = entity
    while current is not None and current not in out:
        out.append(current)
        current = session.scalar(select(Entity.parent_id).where(Entity.id == current))
    return out


def _refuse_locked(session: Session, register: str, row: Any) -> None:
    _, prefix, received = REGISTERS[register]
    years = sorted({getattr(row, received).year, utcnow().year})
    locked = session.scalars(
        select(DataRequest)
        .where(
            DataRequest.state == "locked",
            DataRequest.metric_id.startswith(prefix, autoescape=True),
            DataRequest.year.in_(years),
            DataRequest.entity_id.in_(_lineage(session, row.entity_id)),
        )
        .order_by(DataRequest.id)
        .limit(1)
    ).first()
    if locked is not None:
        raise Conflict(
            f"{register} {row.ref!r}: the {locked.year} figures of {locked.entity_id} are "
            f"locked (data request {locked.id}, {locked.metric_id}); a change after locking "
            "is a restatement, not a move"
        )


def move_row(
    session: Session,
    user: Principal,
    register: str,
    *,
    ref: str,
    target: str,
    seen_version: int | None,
    note: str = "",
    cve_id: str = "",
) -> Any:
    """Move the complaint or vulnerability ``ref`` to ``target`` for ``user``, in the
    caller's write transaction; refused whole (nothing written) when not allowed."""
    model = REGISTERS[register][0]
    row = session.scalars(select(model).where(model.ref == ref)).one_or_none()
    if row is None:
        raise NotFound(f"{register}: no row {ref!r}")
    require(user, "kpis.write", entity=row.entity_id)
    _refuse_locked(session, register, row)
    if model is Vulnerability:
        return move_vulnerability(
            session,
            ref=ref,
            target=target,
            actor=user.username,
            seen_version=seen_version,
            cve_id=cve_id,
            note=note,
        )
    return advance(
        session,
        model,
        COMPLAINT_LINE,
        ref=ref,
        target=target,
        actor=user.username,
        seen_version=seen_version,
        note=note,
    )
