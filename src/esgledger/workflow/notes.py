"""Owner notes on a request's value, kept as a history the reviewer reads.

A note typed with a value (page, template, API) explains the figure: "estimated from
invoices", "new line since March". The value row holds only the latest note, and re-saving
a value replaced it; so each new note is also kept as a request comment of kind ``note``
(with an audit event), and none is lost when the value is saved again without it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal
from esgledger.ledger import audit
from esgledger.ledger.workflow_models import DataRequest, RequestComment

NOTE = "note"


def keep_note(session: Session, user: Principal, req: DataRequest, note: str) -> bool:
    """Add ``note`` to the request's note history unless it is empty or the latest one."""
    text = note.strip()
    if not text:
        return False
    latest = session.scalar(
        select(RequestComment.body)
        .where(RequestComment.request_id == req.id, RequestComment.kind == NOTE)
        .order_by(RequestComment.id.desc())
        .limit(1)
    )
    if latest == text:
        return False
    session.add(RequestComment(request_id=req.id, author=user.username, kind=NOTE, body=text))
    session.flush()
    audit.record(
        session,
        actor=user.username,
        action="request.note",
        subject=f"request:{req.id}",
        payload={"state": req.state, "note": text},
    )
    return True


def notes_of(session: Session, request_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Each request's notes, newest first (author, text, when), in one query."""
    wanted = list(request_ids)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not wanted:
        return found
    rows = session.scalars(
        select(RequestComment)
        .where(RequestComment.request_id.in_(wanted), RequestComment.kind == NOTE)
        .order_by(RequestComment.id.desc())
    )
    for row in rows:
        found[row.request_id].append(
            {
                "author": row.author,
                "body": row.body,
                "at": row.created_at.isoformat(timespec="seconds"),
            }
        )
    return found
