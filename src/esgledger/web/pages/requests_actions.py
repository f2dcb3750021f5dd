"""The form posts on one request: enter, submit, evidence, approve, return, lock, restate, comment.

Each post carries the session's CSRF token (:data:`FormDep`) and, for a step that changes the
request, the ``version`` the user saw; the service checks permission, state and version. On
success the browser is redirected (303) back with ``?done=<step>``; a refused step
re-renders the request page with the service's one-line message and what the user typed.
A denied step is the 403 page; nothing is written in either case (the write rolls back).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from esgledger.auth.permissions import Principal
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput, worded
from esgledger.web.deps import FormDep, UserDep, database
from esgledger.web.language import chosen
from esgledger.web.page_messages import page_error
from esgledger.web.pages.requests_view import parse_id, request_page
from esgledger.workflow import review
from esgledger.workflow.evidence import add_evidence
from esgledger.workflow.values import enter_value

router = APIRouter()


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _version(form: FormData) -> int:
    text = _text(form, "version")
    if not text.isdigit():
        raise InvalidInput("the form carries no version of the request; reload the page")
    return int(text)


def _back(form: FormData, request_id: int, done: str) -> str:
    """Where to go after a step: the review queue when it was done there, else the request."""
    if _text(form, "back") == "review":
        return f"/review?done={done}&request={request_id}"
    return f"/requests/{request_id}?done={done}"


def _act(
    request: Request,
    user: Principal,
    request_id: int,
    form: FormData,
    name: str,
    step: Callable[[Session], str],
    typed: tuple[str, ...] = (),
) -> Response:
    """Run ``step`` in one transaction; a conflict or bad input re-renders the page."""
    try:
        with database(request).write() as session:
            done = step(session)
    except (Conflict, InvalidInput) as exc:
        kept = {"form": name, **{k: _text(form, k) for k in typed}}
        status = 409 if isinstance(exc, Conflict) else 422
        error = page_error(exc, chosen(request))
        return request_page(request, user, request_id, error=error, typed=kept, status=status)
    return RedirectResponse(_back(form, request_id, done), status_code=303)


@router.post("/requests/{request_id}/enter")
def enter(request: Request, request_id: str, user: UserDep, form: FormDep) -> Response:
    rid = parse_id(request_id)

    def step(session: Session) -> str:
        seen = _version(form)
        req = enter_value(
            session, user, rid, version=seen, value=_text(form, "value"),
            unit=_text(form, "unit"), note=_text(form, "note"), reason=_text(form, "reason"),
        )  # fmt: skip
        return "entered" if req.version != seen else "unchanged"

    return _act(request, user, rid, form, "enter", step, ("value", "unit", "note", "reason"))


@router.post("/requests/{request_id}/submit")
def submit(request: Request, request_id: str, user: UserDep, form: FormDep) -> Response:
    rid = parse_id(request_id)

    def step(session: Session) -> str:
        review.submit(session, user, rid, version=_version(form))
        return "submitted"

    return _act(request, user, rid, form, "submit", step)


@router.post("/requests/{request_id}/evidence")
def evidence(request: Request, request_id: str, user: UserDep, form: FormDep) -> Response:
    rid = parse_id(request_id)

    def step(session: Session) -> str:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise worded(InvalidInput("choose a file to attach"), N_("choose a file to attach"), {})
        content = upload.file.read()
        add_evidence(
            session, user, rid, name=upload.filename, content=content,
            media_type=upload.content_type or "",
        )  # fmt: skip
        return "evidence"

    return _act(request, user, rid, form, "evidence", step)


@router.post("/requests/{request_id}/approve")
def approve(request: Request, request_id: str, user: UserDep, form: FormDep) -> Response:
    rid = parse_id(request_id)

    def step(session: Session) -> str:
        review.approve(session, user, rid, version=_version(form))
        return "approved"

    return _act(request, user, rid, form, "approve", step)


@router.post("/requests/{request_id}/return")
def return_(request: Request, request_id: str, user: UserDep, form: FormDep) -> Response:
    rid = parse_id(request_id)

    def step(session: Session) -> str:
        review.return_request(
            session, user, rid, version=_version(form), comment=_text(form, "comment")
        )
        return "returned"

    return _act(request, user, rid, form, "return", step, ("comment",))


@router.post("/requests/{request_id}/lock")
def lock(request: Request, request_id: str, user: UserDep, form: FormDep) -> Response:
    rid = parse_id(request_id)

    def step(session: Session) -> str:
        review.lock(session, user, rid, version=_version(form))
        return "locked"

    return _act(request, user, rid, form, "lock", step)


@router.post("/requests/{request_id}/restate")
def restate(request: Request, request_id: str, user: UserDep, form: FormDep) -> Response:
    rid = parse_id(request_id)

    def step(session: Session) -> str:
        review.restate(
            session, user, rid, version=_version(form), value=_text(form, "value"),
            unit=_text(form, "unit"), reason=_text(form, "reason"), note=_text(form, "note"),
        )  # fmt: skip
        return "restated"

    return _act(request, user, rid, form, "restate", step, ("value", "unit", "reason", "note"))


@router.post("/requests/{request_id}/comment")
def comment(request: Request, request_id: str, user: UserDep, form: FormDep) -> Response:
    rid = parse_id(request_id)

    def step(session: Session) -> str:
        review.comment(session, user, rid, _text(form, "body"))
        return "commented"

    return _act(request, user, rid, form, "comment", step, ("body",))
