"""Acknowledging a finding: an audit event, not a table.

``esg check ack KEY --comment "…"`` appends a ``finding.ack`` event to the hash-chained audit
log with the key, the comment and the finding as it stood. A finding is *open* while no such
event names its key; the key is a hash of rule, metrics, entity, year and breakdown, so the
acknowledgement keeps applying in later runs until the data change what is found.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.checks.findings import Finding
from esgledger.errors import Conflict, InvalidInput
from esgledger.ledger import audit
from esgledger.ledger.models import AuditEvent

ACTION = "finding.ack"


def acknowledgements(session: Session) -> dict[str, dict[str, Any]]:
    """Key → {comment, actor, at, event} of every acknowledgement (the latest per key)."""
    out: dict[str, dict[str, Any]] = {}
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == ACTION).order_by(AuditEvent.id)
    )
    for event in events:
        payload = json.loads(event.payload)
        out[payload["key"]] = {
            "comment": payload.get("comment", ""),
            "actor": event.actor,
            "at": event.ts.isoformat(timespec="seconds"),
            "event": event.id,
        }
    return out


def acknowledge(session: Session, finding: Finding, *, comment: str, actor: str) -> AuditEvent:
    """Record that a reviewer has seen the finding and why it may stand (or how it is handled)."""
    if not comment.strip():
        raise InvalidInput("give a comment: why the finding may stand, or what is being done")
    previous = acknowledgements(session).get(finding.key)
    if previous is not None:
        raise Conflict(
            f"finding {finding.key} was already acknowledged by {previous['actor']} at "
            f"{previous['at']} (audit event {previous['event']})"
        )
    snapshot = finding.as_dict()
    snapshot.pop("acknowledged", None)
    return audit.record(
        session,
        actor=actor,
        action=ACTION,
        subject=f"finding:{finding.key}",
        payload={"key": finding.key, "comment": comment.strip(), "finding": snapshot},
    )
