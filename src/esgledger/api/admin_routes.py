"""The audit log and the user list over HTTP (read), under ``audit.read`` and ``users.read``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.auth.users import list_users, user_dict
from esgledger.http_shared.paging import offset_link_header
from esgledger.ledger import audit

router = APIRouter()
ERRORS = s.problems(401, 403, 422)


@router.get(
    "/audit",
    tags=["audit"],
    summary="The audit log, newest first, one page at a time",
    response_model=s.AuditPage,
    responses=ERRORS,
)
def audit_log(
    request: Request,
    session: SessionDep,
    user: UserDep,
    subject: Annotated[
        str | None, Query(max_length=200, description="Only this subject, e.g. request:12.")
    ] = None,
    action: Annotated[
        str | None, Query(max_length=64, description="Only this action, e.g. import.kpis.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Events per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Events to skip.")] = 0,
) -> Response:
    require(user, "audit.read")
    events, total = audit.page(session, subject=subject, action=action, limit=limit, offset=offset)
    following = offset + len(events)
    response = as_json(
        {
            "total": total,
            "limit": limit,
            "offset": offset,
            "next_offset": following if following < total else None,
            "events": [audit.event_dict(e) for e in events],
        }
    )
    response.headers["Link"] = offset_link_header(request.url, offset, limit, total)
    response.headers["X-Total-Count"] = str(total)
    return response


@router.get(
    "/audit/verify",
    tags=["audit"],
    summary="Check every event's hash and link; names the first event that does not fit",
    response_model=s.AuditVerify,
    responses=ERRORS,
)
def audit_verify(session: SessionDep, user: UserDep) -> Response:
    require(user, "audit.read")
    return as_json(audit.verify(session).as_dict())


@router.get(
    "/users",
    tags=["users"],
    summary="Users with role, state and entity grants",
    response_model=list[s.UserOut],
    responses=ERRORS,
)
def users(session: SessionDep, user: UserDep) -> Response:
    require(user, "users.read")
    return as_json([user_dict(session, u) for u in list_users(session)])
