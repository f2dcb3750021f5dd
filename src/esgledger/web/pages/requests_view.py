"""One data request as its page shows it, and which forms the signed-in user gets.

Shared by the page itself and by every form post that fails: a refused post re-renders the
same page with the service's one-line message and the user's typed values, so nothing typed
is lost.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, can, require
from esgledger.catalog import metric
from esgledger.catalog.messages import N_
from esgledger.errors import NotFound
from esgledger.ledger.entities import get_entity
from esgledger.ledger.workflow_models import DataRequest
from esgledger.web.deps import database
from esgledger.web.language import page_gettext
from esgledger.web.templating import render
from esgledger.workflow.evidence import evidence_dict, list_evidence
from esgledger.workflow.requests import get_request, request_dict, request_history
from esgledger.workflow.review import comments
from esgledger.workflow.states import EDITABLE
from esgledger.workflow.templates import units_for

# ?done=… after a redirect: a fixed message per step (nothing from the URL is echoed back).
DONE = {
    "entered": N_("Value saved."),
    "unchanged": N_("The value was already recorded as given; nothing changed."),
    "submitted": N_("Submitted for review."),
    "approved": N_("Approved."),
    "returned": N_("Returned to the owner with your comment."),
    "locked": N_("Locked: from now on a change is a restatement."),
    "restated": N_("Restated; the request is back in review."),
    "commented": N_("Comment added."),
    "evidence": N_("Evidence file attached."),
}


def parse_id(text: str, what: str = "data request") -> int:
    """A path id; anything but digits is simply not found (never a 422 JSON body)."""
    if not text.isdigit():
        raise NotFound(f"no {what} {text!r}")
    return int(text)


def done_message(request: Request, done: str | None) -> str:
    """The flash after a step (``?done=``), in the page's language."""
    message = DONE.get(done or "", "")
    return page_gettext(request, message) if message else ""


def assigned_ok(user: Principal, req: DataRequest) -> bool:
    """The service's four-eyes-by-name rule, to hide buttons it would refuse anyway."""
    return req.reviewer_id is None or user.role == "admin" or req.reviewer_id == user.user_id


def forms_for(user: Principal, req: DataRequest, has_value: bool) -> dict[str, bool]:
    """Which forms the page shows: the permission (``can``) and the state both allow it."""
    entity, state = req.entity_id, req.state
    review_ok = assigned_ok(user, req)
    return {
        "enter": can(user, "request.enter", entity=entity) and state in EDITABLE,
        "submit": can(user, "request.submit", entity=entity) and state in EDITABLE and has_value,
        "evidence": can(user, "evidence.add", entity=entity) and state in EDITABLE,
        "approve": can(user, "request.approve", entity=entity)
        and state == "submitted"
        and review_ok
        and req.submitted_by != user.username,
        "return": can(user, "request.return", entity=entity)
        and state in ("submitted", "approved")
        and review_ok,
        "lock": can(user, "request.lock", entity=entity) and state == "approved",
        "restate": can(user, "request.restate", entity=entity) and state == "locked",
        "comment": can(user, "request.comment", entity=entity),
    }


def _change(event: dict[str, Any]) -> tuple[str, str] | None:
    """The state change of one history line, if it changed the state (the page words it)."""
    p = event["payload"]
    if p.get("from") and p.get("to") and p["from"] != p["to"]:
        return (str(p["from"]), str(p["to"]))
    return None


def _step(event: dict[str, Any]) -> str:
    """One history line's detail besides the state change: what came with the step."""
    p = event["payload"]
    parts = []
    if "value" in p and p.get("unit"):
        parts.append(f"{p['value']} {p['unit']}")
    for key in ("comment", "reason", "name", "note"):
        if p.get(key):
            parts.append(str(p[key]))
    return "; ".join(parts)


def request_context(session: Session, user: Principal, request_id: int) -> dict[str, Any]:
    """Everything the request page shows; refuses readers without a grant on its entity."""
    req = get_request(session, request_id)
    require(user, "requests.read", entity=req.entity_id)
    info = request_dict(session, req)
    m = metric(req.metric_id)
    history = [
        {
            **e,
            "step": e["action"].removeprefix("request."),
            "change": _change(e),
            "detail": _step(e),
        }
        for e in request_history(session, request_id)
    ]
    return {
        "req": info,
        "metric": m,
        "entity": get_entity(session, req.entity_id),
        "units": units_for(req.metric_id),
        "forms": forms_for(user, req, info["value_id"] is not None),
        "history": history,
        "comments": comments(session, request_id),
        "evidence": [evidence_dict(f) for f in list_evidence(session, user, request_id)],
    }


def request_page(
    request: Request,
    user: Principal,
    request_id: int,
    *,
    flash: str = "",
    error: str = "",
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The request page; ``error`` and ``typed`` come from a refused post."""
    with database(request).read() as session:
        context = request_context(session, user, request_id)
    context.update(
        flash=error or flash,
        flash_kind="error" if error else "ok",
        typed=typed or {},
        failed=(typed or {}).get("form", ""),
    )
    return render(request, "requests_detail.html", context, status=status)
