"""Pages: the data-request list (with the overdue view), one request, issuing, evidence files.

The form posts on a request live in :mod:`requests_actions`, the template download and the
workbook upload in :mod:`requests_upload`; their routers are included here so the app
mounts them with this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, can, require
from esgledger.auth.users import list_users
from esgledger.catalog import metrics
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.http_shared.downloads import attachment
from esgledger.http_shared.paging import csv_stream, params_from
from esgledger.ledger.entities import list_entities
from esgledger.ledger.listing import ListParams
from esgledger.ledger.workflow_models import DataRequest, User
from esgledger.web.deps import FormDep, UserDep, database
from esgledger.web.language import chosen, page_gettext
from esgledger.web.listing import ListView, check_export_size, wants_csv
from esgledger.web.page_messages import page_error
from esgledger.web.pages import requests_actions, requests_upload
from esgledger.web.pages.requests_view import done_message, parse_id, request_page
from esgledger.web.templating import render
from esgledger.workflow.evidence import get_evidence
from esgledger.workflow.request_list import (
    DEFAULT_SORT,
    SORT_KEYS,
    RequestFilter,
    export_rows,
    page_requests,
    request_dicts,
)
from esgledger.workflow.requests import (
    OWNER_ROLES,
    REVIEWER_ROLES,
    issue_requests,
    owner_id_for,
)
from esgledger.workflow.states import STATES

router = APIRouter()
FILTERS = ("year", "state", "entity", "owner")


def _year(text: str | None) -> int | None:
    if not text:
        return None
    if not text.strip().isdigit():
        raise InvalidInput(f"year {text!r} is not a number")
    return int(text)


def _choices(session: Session, user: Principal) -> dict[str, list[Any]]:
    """Filter options: the years, entities and owners of the requests this user may read."""
    rows = session.execute(
        select(DataRequest.year, DataRequest.entity_id, User.username)
        .join(User, User.id == DataRequest.owner_id)
        .distinct()
    ).all()
    seen = [r for r in rows if can(user, "requests.read", entity=r[1])]
    return {
        "years": sorted({r[0] for r in seen}, reverse=True),
        "entities": sorted({r[1] for r in seen}),
        "owners": sorted({r[2] for r in seen}),
        "states": list(STATES),
    }


CSV_COLUMNS = (
    ("id", "id"), ("year", "year"), ("entity", "entity"), ("metric", "metric"),
    ("metric_name", "metric name"), ("dims", "breakdown"), ("owner", "owner"),
    ("reviewer", "reviewer"), ("due", "due"), ("overdue", "overdue"), ("state", "state"),
    ("value", "value"), ("unit", "unit"), ("status", "status"),
)  # fmt: skip


def _list_page(request: Request, user: Principal, *, only_overdue: bool) -> Response:
    query = request.query_params
    given = {k: (query.get(k) or "").strip() for k in (*FILTERS, "q")}
    names = {m.id: m.name for m in metrics().values()}
    listing, rows, error = None, [], ""
    with database(request).read() as session:
        choices = _choices(session, user)
        try:
            params = params_from(request, tuple(SORT_KEYS), DEFAULT_SORT)
            wanted = _filter(session, user, given, only_overdue)
            if wants_csv(request.url):
                stream = _csv_rows(request, user, wanted, params, names)
                next(stream)  # the size check: refused whole before any byte is sent
                return csv_stream(stream, CSV_COLUMNS, "requests.csv")
            page = page_requests(session, user, wanted, params)
            listing = ListView(request.url, page)
            rows = request_dicts(session, page.rows)
        except (InvalidInput, NotFound) as exc:
            error = str(exc)
    flash = error or _issued_message(request) or done_message(request, query.get("done"))
    context = {
        "rows": rows, "given": given, "choices": choices, "only_overdue": only_overdue,
        "flash": flash, "flash_kind": "error" if error else "ok", "names": names,
        "listing": listing,
    }  # fmt: skip
    return render(request, "requests_list.html", context, status=422 if error else 200)


def _filter(
    session: Session, user: Principal, given: dict[str, str], only_overdue: bool
) -> RequestFilter:
    owner = given["owner"]
    return RequestFilter(
        year=_year(given["year"]), state=given["state"] or None,
        entity=given["entity"] or None,
        owner_id=owner_id_for(session, user, owner) if owner else None,
        overdue_on=dt.date.today() if only_overdue else None,
    )  # fmt: skip


def _csv_rows(
    request: Request,
    user: Principal,
    wanted: RequestFilter,
    params: ListParams,
    names: dict[str, str],
) -> Iterator[dict[str, Any]]:
    """The export's rows, read in one transaction of its own (the stream outlives the
    request's session); the size check runs before the first row is yielded, so taking one
    step refuses an oversized export whole."""
    with database(request).read() as session:
        total, rows = export_rows(session, user, wanted, params)
        check_export_size(total)
        yield {}  # the size check passed
        for row in rows:
            row["metric_name"] = names.get(row["metric"], "")
            yield row


def _issued_message(request: Request) -> str:
    params = request.query_params
    created, existing = params.get("created", ""), params.get("existing", "")
    if params.get("done") != "issued" or not (created.isdigit() and existing.isdigit()):
        return ""
    return page_gettext(
        request,
        "%(created)s requests issued, %(existing)s existed already.",
        created=int(created),
        existing=int(existing),
    )


@router.get("/requests")
def requests_list(request: Request, user: UserDep) -> Response:
    only = request.query_params.get("overdue", "") in ("1", "yes", "true", "on")
    return _list_page(request, user, only_overdue=only)


@router.get("/requests/overdue")
def requests_overdue(request: Request, user: UserDep) -> Response:
    return _list_page(request, user, only_overdue=True)


# ---------------------------------------------------------------------------------------------
# Issuing


def _issue_page(
    request: Request, values: dict[str, Any], *, error: str = "", status: int = 200
) -> Response:
    with database(request).read() as session:
        users = [u for u in list_users(session) if u.active]
        entities = [(e.id, e.name) for e in list_entities(session)]
    context = {
        "values": values, "entities": entities, "today": dt.date.today().isoformat(),
        "metric_choices": [(m.id, m.name, m.id) for m in metrics().values() if m.kind != "derived"],
        "entity_choices": [(ident, name, ident) for ident, name in entities],
        "owners": [u.username for u in users if u.role in OWNER_ROLES],
        "reviewers": [u.username for u in users if u.role in REVIEWER_ROLES],
        "flash": error, "flash_kind": "error",
    }  # fmt: skip
    return render(request, "requests_issue.html", context, status=status)


@router.get("/requests/issue")
def issue_form(request: Request, user: UserDep) -> Response:
    require(user, "request.issue")
    values = {"year": dt.date.today().year - 1, "metric": [], "entity": [], "due": ""}
    return _issue_page(request, values)


@router.post("/requests/issue")
def issue_submit(request: Request, user: UserDep, form: FormDep) -> Response:
    require(user, "request.issue")
    values: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in (
        "year", "owner", "reviewer", "due", "subtree", "instructions")}  # fmt: skip
    values["metric"] = [str(m) for m in form.getlist("metric") if str(m).strip()]
    values["entity"] = [str(e) for e in form.getlist("entity") if str(e).strip()]
    values["breakdowns"] = bool(form.get("breakdowns"))
    try:
        year = _year(values["year"])
        if year is None:
            raise InvalidInput(page_gettext(request, "give the reporting year"))
        try:
            due = dt.date.fromisoformat(values["due"])
        except ValueError:
            raise InvalidInput(
                page_gettext(
                    request, "due date %(due)s is not a date (YYYY-MM-DD)", due=repr(values["due"])
                )
            ) from None
        if not values["owner"]:
            raise InvalidInput(page_gettext(request, "choose the owner who fills the values"))
        with database(request).write() as session:
            result = issue_requests(
                session, user, year=year, metrics=values["metric"], owner=values["owner"],
                due=due, entities=values["entity"], subtree_of=values["subtree"] or None,
                reviewer=values["reviewer"] or None, breakdowns=values["breakdowns"],
                instructions=values["instructions"],
            )  # fmt: skip
    except (InvalidInput, NotFound, Conflict) as exc:
        status = 409 if isinstance(exc, Conflict) else 422
        return _issue_page(request, values, error=page_error(exc, chosen(request)), status=status)
    target = (
        f"/requests?year={year}&done=issued&created={result['created']}"
        f"&existing={result['existing']}"
    )
    return RedirectResponse(target, status_code=303)


# ---------------------------------------------------------------------------------------------
# One request, and its evidence files


@router.get("/requests/{request_id}")
def request_detail(request: Request, request_id: str, user: UserDep) -> Response:
    done = request.query_params.get("done")
    return request_page(request, user, parse_id(request_id), flash=done_message(request, done))


@router.get("/evidence/{evidence_id}")
def evidence_download(request: Request, evidence_id: str, user: UserDep) -> Response:
    """The file byte for byte, as an attachment (never rendered inline on our origin)."""
    with database(request).read() as session:
        row = get_evidence(session, user, parse_id(evidence_id, "evidence file"))
        content, name, media = bytes(row.content), row.name, row.media_type
    return Response(
        content, media_type=media or "application/octet-stream", headers=attachment(name)
    )


router.include_router(requests_actions.router)
router.include_router(requests_upload.router)
