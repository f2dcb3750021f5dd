"""The steps after entry: submit, approve, return with a comment, lock, restate, comment.

Each step checks the version the user saw, the permission, and the state machine
(:mod:`esgledger.workflow.states`), then writes one audit event. Two extra rules guard the
figures themselves:

- four eyes: whoever submitted a value cannot approve it;
- what was reviewed is what gets frozen: approving and locking refuse when the ledger's
  current value is no longer the one submitted (for example an import restated it since).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import PermissionDenied, Principal, require
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput, worded
from esgledger.ledger.workflow_models import DataRequest, RequestComment
from esgledger.workflow.requests import current_value, load_for_edit, log_step, touch
from esgledger.workflow.states import STEP_WORDS, next_state
from esgledger.workflow.values import cell_text, store_value, validate_one


def submit(session: Session, user: Principal, request_id: int, *, version: int) -> DataRequest:
    """Hand the current value to review; the value submitted is pinned for approval."""
    req = load_for_edit(session, request_id, version, user=user, action="request.submit")
    before = req.state
    target = next_state(req.id, before, "submit")
    value = current_value(session, req)
    if value is None:
        raise worded(
            Conflict(f"cannot submit request {req.id}: it has no value yet; enter one first"),
            N_("cannot submit request %(id)s: it has no value yet; enter one first"),
            {"id": req.id},
        )
    req.state = target
    req.submitted_value_id = value.id
    req.submitted_by = user.username
    touch(req, user)
    log_step(
        session, user, req, "submit", before, value_id=value.id, value=value.value, unit=value.unit
    )
    return req


def approve(session: Session, user: Principal, request_id: int, *, version: int) -> DataRequest:
    """Accept the submitted value; approved values can no longer be edited."""
    req = load_for_edit(session, request_id, version, user=user, action="request.approve")
    before = req.state
    target = next_state(req.id, before, "approve")
    if req.submitted_by == user.username:
        raise worded(
            PermissionDenied(
                f"{user.username} submitted request {req.id} and cannot also approve it; "
                "another reviewer must"
            ),
            N_(
                N_(
                    "%(user)s submitted request %(id)s and cannot also approve it; "
                    "another reviewer must"
                ),
            ),
            {"user": user.username, "id": req.id},
        )
    _same_as_submitted(session, req, "approve")
    req.state = target
    touch(req, user)
    log_step(session, user, req, "approve", before, value_id=req.submitted_value_id)
    return req


def return_request(
    session: Session, user: Principal, request_id: int, *, version: int, comment: str
) -> DataRequest:
    """Send a submitted (or approved, not yet locked) request back to its owner, saying why."""
    if not comment.strip():
        said = N_("say why the request is returned: a comment is required")
        raise worded(InvalidInput(said), said, {})
    req = load_for_edit(session, request_id, version, user=user, action="request.return")
    before = req.state
    req.state = next_state(req.id, before, "return")
    session.add(
        RequestComment(request_id=req.id, author=user.username, kind="return", body=comment.strip())
    )
    touch(req, user)
    log_step(session, user, req, "return", before, comment=comment.strip())
    return req


def lock(session: Session, user: Principal, request_id: int, *, version: int) -> DataRequest:
    """Freeze an approved value: from now on a change is an explicit restatement."""
    req = load_for_edit(session, request_id, version, user=user, action="request.lock")
    return _lock(session, user, req)


def lock_year(session: Session, user: Principal, year: int) -> list[int]:
    """Lock every approved request of ``year`` (closing the collection); returns their ids."""
    require(user, "request.lock")
    ids = list(
        session.scalars(
            select(DataRequest.id)
            .where(DataRequest.year == year, DataRequest.state == "approved")
            .order_by(DataRequest.id)
        )
    )
    for request_id in ids:
        _lock(
            session,
            user,
            load_for_edit(session, request_id, None, user=user, action="request.lock"),
        )
    return ids


def _lock(session: Session, user: Principal, req: DataRequest) -> DataRequest:
    before = req.state
    target = next_state(req.id, before, "lock")
    _same_as_submitted(session, req, "lock")
    req.state = target
    touch(req, user)
    log_step(session, user, req, "lock", before, value_id=req.submitted_value_id)
    return req


def restate(
    session: Session,
    user: Principal,
    request_id: int,
    *,
    version: int,
    value: float | str | None,
    unit: str,
    reason: str,
    status: str = "",
    note: str = "",
) -> DataRequest:
    """Change a locked value: a new value restating the locked one, back to review.

    The locked value stays in the ledger as history (``restates_id`` points at it), the
    reason is stored on the new value and as a comment, and the request is submitted again
    so a reviewer approves the restated figure before it is locked anew.
    """
    if not reason.strip():
        said = N_("a restatement needs a reason (it is published with the figure)")
        raise worded(InvalidInput(said), said, {})
    req = load_for_edit(
        session,
        request_id,
        version,
        user=user,
        action="request.restate",
        attempted=f"restatement to {cell_text(value)} {unit}",
    )
    before = req.state
    target = next_state(req.id, before, "restate")
    cells = {
        "value": cell_text(value),
        "unit": unit,
        "status": status,
        "note": note,
        "restatement_reason": reason.strip(),
    }
    row = validate_one(req, cells)
    outcome, old = store_value(session, user, req, row, in_place=False)
    if outcome == "unchanged":
        raise worded(
            Conflict(f"cannot restate request {req.id}: the value is already {value} {unit}"),
            N_("cannot restate request %(id)s: the value is already %(value)s %(unit)s"),
            {"id": req.id, "value": value, "unit": unit},
        )
    req.state = target
    req.submitted_value_id = req.value_id
    req.submitted_by = user.username
    session.add(
        RequestComment(request_id=req.id, author=user.username, kind="restate", body=reason.strip())
    )
    touch(req, user)
    log_step(
        session,
        user,
        req,
        "restate",
        before,
        value_id=req.value_id,
        old=old,
        value=row["value"],
        unit=row["unit"],
        reason=reason.strip(),
    )
    return req


def comment(session: Session, user: Principal, request_id: int, body: str) -> RequestComment:
    """A note on a request (question, explanation); it changes no state or version."""
    if not body.strip():
        said = N_("a comment cannot be empty")
        raise worded(InvalidInput(said), said, {})
    req = load_for_edit(session, request_id, None, user=user, action="request.comment")
    row = RequestComment(request_id=req.id, author=user.username, kind="comment", body=body.strip())
    session.add(row)
    session.flush()
    log_step(session, user, req, "comment", req.state, comment=row.body)
    return row


def comments(session: Session, request_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(RequestComment)
        .where(RequestComment.request_id == request_id)
        .order_by(RequestComment.id)
    )
    return [
        {
            "author": c.author,
            "kind": c.kind,
            "body": c.body,
            "at": c.created_at.isoformat(timespec="seconds"),
        }
        for c in rows
    ]


def _same_as_submitted(session: Session, req: DataRequest, step: str) -> None:
    value = current_value(session, req)
    if value is None or value.id != req.submitted_value_id:
        now = f"{value.value} {value.unit}" if value is not None else N_("no value")
        raise worded(
            Conflict(
                f"cannot {step} request {req.id}: its value changed after submission (now {now}); "
                "return it so the owner submits the current value"
            ),
            N_(
                "cannot %(step)s request %(id)s: its value changed after submission (now "
                "%(now)s); return it so the owner submits the current value"
            ),
            {"id": req.id, **({"now": now} if value is not None else {})},
            {"step": STEP_WORDS.get(step, step), **({} if value is not None else {"now": now})},
        )
