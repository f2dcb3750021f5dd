"""Which state of the ledger a report shows: the last audit event that changed data.

Every write is an audit event, hash-chained to the one before; sign-ins, tokens and
publications change no figure (:data:`esgledger.disclose.publish.NOT_DATA`). So the id and
hash of the last other event name the data a report is rendered from: the same key, the
same report bytes (the document time comes from the same event), and a cached preview may
be served for as long as the key holds.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.disclose.publish import NOT_DATA
from esgledger.ledger.models import AuditEvent


def ledger_state(session: Session) -> str:
    """``"<event id>:<event hash>"`` of the last data-changing event; ``"0:empty"`` before any."""
    row = session.execute(
        select(AuditEvent.id, AuditEvent.hash)
        .where(*(AuditEvent.action.not_like(f"{prefix}%") for prefix in NOT_DATA))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    return f"{row.id}:{row.hash}" if row else "0:empty"
