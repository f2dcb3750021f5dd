"""The audit log: append-only events, each holding the hash of the one before.

Editing, inserting or deleting any event in the middle breaks the chain, and
:func:`verify` names the first event that no longer fits. An event that wrote data carries
the digest of those rows (:mod:`esgledger.ledger.digests`), checked by
:mod:`esgledger.ledger.audit_deep`. Deleting the newest events or rewriting the whole chain
consistently is caught against a head (``SEQ:HASH``) saved elsewhere: :func:`head` prints it,
``verify(anchor=...)`` checks the chain still contains it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.ledger import digests
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
    payload = _with_data(session, payload)
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
    _insert(session, event)
    digests.settle(session, event.id, event.hash)
    return event


_TABLE = cast(Table, AuditEvent.__table__)
_COLUMNS = tuple(c.name for c in _TABLE.columns)


def _insert(session: Session, event: AuditEvent) -> None:
    """One ``INSERT`` in the caller's transaction, without the unit of work: the event is
    written once and never changed, and the ORM's flush cost a sixth of a value entry's CPU.
    The returned event is the caller's record of it (not in the session)."""
    row = {name: getattr(event, name) for name in _COLUMNS}
    session.execute(insert(_TABLE), [row])


def _with_data(session: Session, payload: Any) -> Any:
    """The payload plus the digests of the scopes this transaction touched since the last event."""
    scopes = digests.take_pending(session)
    if not scopes:
        return payload
    if not isinstance(payload, dict):
        raise TypeError("an audit event that wrote data needs a dict payload for its digests")
    session.flush()
    return {
        **payload,
        "data": [digests.digest(session, s, known, pending=True) for s, known in scopes],
    }


@dataclass(frozen=True)
class Head:
    """The newest event: its sequence number and hash, to be saved outside the workspace."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        seq, _, hash_ = text.strip().partition(":")
        hash_ = hash_.lower()
        if not seq.isdigit() or len(hash_) != 64 or any(c not in "0123456789abcdef" for c in hash_):
            raise InvalidInput(
                f"head {text!r} is not SEQ:HASH (a number, a colon and 64 hex digits); "
                "`esg audit head` prints one"
            )
        return cls(int(seq), hash_)


def head(session: Session) -> Head | None:
    """The newest event's ``SEQ:HASH``, or None for an empty chain."""
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return Head(last.id, last.hash) if last else None


@dataclass(frozen=True)
class VerifyResult:
    events: int
    ok: bool
    broken_id: int | None = None
    reason: str = ""
    head: Head | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "ok": self.ok,
            "broken_id": self.broken_id,
            "reason": self.reason,
            "head": str(self.head) if self.head else None,
        }


def verify(session: Session, batch: int = 5000, *, anchor: Head | None = None) -> VerifyResult:
    """Walk the chain from the first event; stop at the first that does not fit.

    With ``anchor`` (a head saved earlier) the chain must still contain that very event:
    a shortened or rewritten chain fails even when every link in it fits.
    """
    prev_hash, expected_id, count = GENESIS, 1, 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return _ended(session, count, prev_hash, anchor)
        for event in rows:
            if event.id != expected_id:
                return VerifyResult(count, False, event.id, f"event {expected_id} is missing")
            if event.prev_hash != prev_hash:
                return VerifyResult(count, False, event.id, "its previous-hash does not match")
            if event_hash(event) != event.hash:
                return VerifyResult(count, False, event.id, "its content does not match its hash")
            if anchor is not None and event.id == anchor.seq and event.hash != anchor.hash:
                return VerifyResult(
                    count,
                    False,
                    event.id,
                    f"its hash is not the anchored head's {anchor}: the chain was rewritten",
                )
            prev_hash, expected_id, last_id = event.hash, expected_id + 1, event.id
            count += 1
        session.expunge_all()


def _ended(session: Session, count: int, last_hash: str, anchor: Head | None) -> VerifyResult:
    """Every link fits; the chain must still reach the anchor and cannot be empty over data."""
    top = Head(count, last_hash) if count else None
    if anchor is not None and count < anchor.seq:
        return VerifyResult(
            count,
            False,
            count + 1,
            f"the chain ends at event {count} but the anchored head is event {anchor.seq}: "
            "events were deleted",
            top,
        )
    if count == 0:
        scopes = sorted(digests.scopes_in_tables(session))
        if scopes:
            shown = ", ".join(scopes[:3]) + (", …" if len(scopes) > 3 else "")
            return VerifyResult(
                0,
                False,
                1,
                f"the chain is empty but the ledger holds data ({shown}): its events were deleted",
            )
    return VerifyResult(events=count, ok=True, head=top)


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
