"""Page: one supplier audit finding and the form that moves it to its next state.

The form posts to the same service as ``POST /supplier-findings/{id}/move``
(:func:`esgledger.suppliers.audits.move_finding`): ``suppliers.write``, the allowed next
states only, the plan fields and the step's day (required for verified closure; empty
stores no day), from the version the user saw. A refused move re-shows the page with the
service's one-line error and what was typed; the write rolls back, so nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from esgledger.auth.permissions import Principal, can, require
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput, NotFound, worded
from esgledger.ledger.supplier_models import SupplierFinding
from esgledger.suppliers import audits
from esgledger.web.deps import FormDep, UserDep, database
from esgledger.web.language import chosen
from esgledger.web.page_messages import page_error
from esgledger.web.pages.requests_view import parse_id
from esgledger.web.templating import render

router = APIRouter()
FIELDS = ("state", "root_cause", "corrective", "preventive", "planned_completion", "on")
MAX_TEXT = 10_000  # as the API's text fields


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip()[:MAX_TEXT] if isinstance(value, str) else ""


DAYS = {"on": N_("Day of the step"), "planned_completion": N_("Planned completion")}


def _day(form: FormData, name: str) -> dt.date | None:
    """An ISO day, or None when the field is empty; anything else is refused, naming the
    field by the label the form shows."""
    text = _text(form, name)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = N_("%(field)s %(value)s is not a date (YYYY-MM-DD)")
        values = {"value": repr(text[:40])}
        english = message % {**values, "field": DAYS[name]}
        raise worded(InvalidInput(english), message, values, {"field": DAYS[name]}) from None


def _version(form: FormData) -> int:
    text = _text(form, "version")
    if not text.isdigit():
        message = N_("the form carries no version of the finding; reload the page")
        raise worded(InvalidInput(message), message, {})
    return int(text)


def _page(
    request: Request,
    user: Principal,
    finding_id: int,
    *,
    error: str = "",
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    with database(request).read() as session:
        finding = session.get(SupplierFinding, finding_id)
        if finding is None:
            message, values = N_("unknown audit finding %(finding)s"), {"finding": finding_id}
            raise worded(NotFound(message % values), message, values)
        row = audits.finding_dict(finding, audits.get_audit(session, finding.audit_id))
        row |= {f: getattr(finding, f) for f in ("root_cause", "corrective", "preventive")}
    context: dict[str, Any] = {
        "finding": row,
        "next_states": audits.TRANSITIONS.get(row["state"], ()),
        "can_move": can(user, "suppliers.write"),
        "typed": typed or {},
        "flash": error,
        "flash_kind": "error",
    }
    return render(request, "supplier_finding.html", context, status=status)


@router.get("/suppliers/findings/{finding_id}")
def finding_page(request: Request, finding_id: str, user: UserDep) -> Response:
    require(user, "suppliers.read")
    return _page(request, user, parse_id(finding_id, "audit finding"))


@router.post("/suppliers/findings/{finding_id}/move")
def move(request: Request, finding_id: str, user: UserDep, form: FormDep) -> Response:
    require(user, "suppliers.write")
    fid = parse_id(finding_id, "audit finding")
    try:
        with database(request).write() as session:
            audits.move_finding(
                session, fid, _text(form, "state"), actor=user.username, version=_version(form),
                on=_day(form, "on"), root_cause=_text(form, "root_cause") or None,
                corrective=_text(form, "corrective") or None,
                preventive=_text(form, "preventive") or None,
                planned_completion=_day(form, "planned_completion"),
            )  # fmt: skip
    except (Conflict, InvalidInput) as exc:
        typed = {k: _text(form, k) for k in FIELDS}
        status = 409 if isinstance(exc, Conflict) else 422
        error = page_error(exc, chosen(request))
        return _page(request, user, fid, error=error, typed=typed, status=status)
    return RedirectResponse(f"/suppliers/findings/{fid}", status_code=303)
