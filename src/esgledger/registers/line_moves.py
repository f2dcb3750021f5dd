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
from esgledger.ledger.workflow_models import DataRequest
from esgledger.registers.complaints import STAGED as COMPLAINTS
from esgledger.registers.staged import StagedRegister
from esgledger.registers.vulnerabilities import STAGED as VULNERABILITIES

REGISTERS: dict[str, StagedRegister] = {r.register: r for r in (COMPLAINTS, VULNERABILITIES)}


def _lineage(session: Session, entity: str) -> list[str]:
    """The entity and every entity above it."""
    out: list[str] = []
    current: str | None = entity
    while current is not None and current not in out:
        out.append(current)
        current = session.scalar(select(Entity.parent_id).where(Entity.id == current))
    return out


def refuse_locked(
    session: Session, reg: StagedRegister, *, ref: str, entity: str, received_year: int
) -> None:
    """Refuse (409) a change to a row whose figures are locked: a data request for one of
    the register's metrics locked for its entity or one above it, in the year it was
    received or this year."""
    years = sorted({received_year, utcnow().year})
    locked = session.scalars(
        select(DataRequest)
        .where(
            DataRequest.state == "locked",
            DataRequest.metric_id.startswith(reg.metric_prefix, autoescape=True),
            DataRequest.year.in_(years),
            DataRequest.entity_id.in_(_lineage(session, entity)),
        )
        .order_by(DataRequest.id)
        .limit(1)
    ).first()
    if locked is not None:
        raise Conflict(
            f"{reg.register} {ref!r}: the {locked.year} figures of {locked.entity_id} are "
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
    **extra: str,
) -> Any:
    """Move the complaint or vulnerability ``ref`` to ``target`` for ``user``, in the
    caller's write transaction; refused whole (nothing written) when not allowed."""
    reg = REGISTERS[register]
    model = reg.model
    row = session.scalars(select(model).where(model.ref == ref)).one_or_none()
    if row is None:
        raise NotFound(f"{register}: no row {ref!r}")
    require(user, "kpis.write", entity=row.entity_id)
    received = getattr(row, reg.received)
    refuse_locked(session, reg, ref=row.ref, entity=row.entity_id, received_year=received.year)
    return reg.move(
        session, ref=ref, target=target, actor=user.username, seen_version=seen_version,
        note=note, **extra,
    )  # fmt: skip
