"""The audit log as a long list: filtered, searched, sorted and paged by the database.

The ``/audit`` page pages through here (:func:`esgledger.ledger.audit.page` keeps the API's
newest-first offset paging); the search looks in the actor, the action and the subject.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.models import AuditEvent

SORT_KEYS: dict[str, ColumnElement[Any]] = {
    "id": AuditEvent.id,
    "ts": AuditEvent.ts,
    "actor": AuditEvent.actor,
    "action": AuditEvent.action,
    "subject": AuditEvent.subject,
}
DEFAULT_SORT = "-id"  # newest first
THEN_BY = (AuditEvent.id.desc(),)  # ties newest first in an ascending sort, oldest first else


def page_events(
    session: Session,
    params: ListParams,
    *,
    subject: str | None = None,
    action: str | None = None,
) -> Page[AuditEvent]:
    """One page of events matching the exact ``subject`` and ``action`` and the search."""
    stmt = select(AuditEvent)
    if subject:
        stmt = stmt.where(AuditEvent.subject == subject)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if params.search:
        text = params.search.lower()
        stmt = stmt.where(
            or_(
                *(
                    func.lower(column).contains(text, autoescape=True)
                    for column in (AuditEvent.actor, AuditEvent.action, AuditEvent.subject)
                )
            )
        )
    return paginate(session, stmt, params, SORT_KEYS, THEN_BY, reverse_ties=True)
