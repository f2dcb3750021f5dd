"""The audit log: append-only events, each holding the hash of the one before.

Editing, inserting or deleting any event in the middle breaks the chain, and
:func:`verify` names the first event that no longer fits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from esgledger.ledger.models import AuditEvent, utcnow

GENESIS = "0" * 64


def canonical_json(payload: Any) -> str:
    """One spelling per value, so the same payload always hashes the same."""
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def event_hash(event: AuditEvent) -> str:
    material = "|".join(
        [
            event.prev_hash,
            str(event.id),
            event.ts.isoformat(timespec="microseconds"),
            event.actor,
            event.action,
            event.subject,
            event.payload,
        ]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise appenders so the chain cannot fork (SQLite already holds the write lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(727001)"))


def record(session: Session, *, actor: str, action: str, subject: str, payload: Any) -> AuditEvent:
    """Append one event in the caller's transaction: it commits or rolls back with the write."""
    _lock_chain(session)
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    event = AuditEvent(
        id=(last.id + 1) if last else 1,
        ts=utcnow(),
        actor=actor,
        action=action,
        subject=subject,
        payload=canonical_json(payload),
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class VerifyResult:
    events: int
    ok: bool
    broken_id: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "ok": self.ok,
            "broken_id": self.broken_id,
            "reason": self.reason,
        }


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Walk the chain from the first event; stop at the first that does not fit."""
    prev_hash, expected_id, count = GENESIS, 1, 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return VerifyResult(events=count, ok=True)
        for event in rows:
            if event.id != expected_id:
                return VerifyResult(count, False, event.id, f"event {expected_id} is missing")
            if event.prev_hash != prev_hash:
                return VerifyResult(count, False, event.id, "its previous-hash does not match")
            if event_hash(event) != event.hash:
                return VerifyResult(count, False, event.id, "its content does not match its hash")
            prev_hash, expected_id, last_id = event.hash, expected_id + 1, event.id
            count += 1
        session.expunge_all()


def events(session: Session, *, limit: int = 100, action: str | None = None) -> list[AuditEvent]:
    """The newest events first."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(session.scalars(stmt))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def page(
    session: Session,
    *,
    subject: str | None = None,
    action: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditEvent], int]:
    """One page of events, newest first, and how many match in all (for paging clients)."""
    where = []
    if subject:
        where.append(AuditEvent.subject == subject)
    if action:
        where.append(AuditEvent.action == action)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    stmt = select(AuditEvent).where(*where).order_by(AuditEvent.id.desc())
    return list(session.scalars(stmt.offset(offset).limit(limit))), total


def event_dict(event: AuditEvent) -> dict[str, Any]:
    """An event as ``esg audit log --json`` prints it (payload decoded)."""
    return {
        "id": event.id,
        "ts": event.ts.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "subject": event.subject,
        "payload": json.loads(event.payload),
        "hash": event.hash,
    }
