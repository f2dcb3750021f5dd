"""Moving a register row to another state: checked against its flow, written, audit-logged.

The move names the version the caller saw; a row changed meanwhile is refused (optimistic
locking), so two reviewers cannot both close the same case from a stale page.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import ConcurrentChange, NotFound
from esgledger.ledger import audit, digests
from esgledger.ledger.models import utcnow
from esgledger.registers.states import Flow


class StatefulRow(Protocol):
    id: Any
    ref: Any
    state: Any
    state_changed_at: Any
    version: Any
    batch_id: Any


def move(
    session: Session,
    model: type[StatefulRow],
    flow: Flow,
    *,
    ref: str,
    target: str,
    actor: str,
    seen_version: int | None = None,
    note: str = "",
) -> StatefulRow:
    """Move the row ``ref`` to ``target`` in the caller's write transaction."""
    row = session.scalars(select(model).where(model.ref == ref)).one_or_none()
    if row is None:
        raise NotFound(f"{flow.register}: no row {ref!r}")
    if seen_version is not None and row.version != seen_version:
        raise ConcurrentChange(
            f"{flow.register} {ref!r} changed since version {seen_version} "
            f"(now {row.version}); reload it and try again"
        )
    flow.check(row.state, target)
    before = row.state
    row.state, row.state_changed_at = target, utcnow()
    session.flush()
    digests.touch(session, digests.batch_scope(row.batch_id))
    audit.record(
        session,
        actor=actor,
        action=f"register.{flow.register}.move",
        subject=f"{flow.register}:{ref}",
        payload={"from": before, "to": target, "note": note},
    )
    return row
