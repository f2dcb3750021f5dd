"""Page: the reviewer's queue — submitted requests waiting for this reviewer.

A reviewer sees the requests named for them and those with no named reviewer (any reviewer
may take those); an admin sees every submitted request. Beside each value: last year's
figure and the change, the evidence count, the owner's notes and a marker when the ledger's
value moved after submission (:mod:`esgledger.workflow.review_queue`).

Approve and return post to the request's own step endpoints (:mod:`requests_actions`) with
``back=review``; bulk approve posts the ticked ``id:version`` pairs once, and each item
still goes through :func:`esgledger.workflow.review.approve` in its own transaction (state
machine, version, four eyes), so one refusal never blocks or undoes the others.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from esgledger.auth.permissions import PermissionDenied, Principal, require
from esgledger.catalog import metric
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import Page
from esgledger.web.deps import FormDep, UserDep, database
from esgledger.web.listing import ListView
from esgledger.web.pages.requests_view import done_message
from esgledger.web.templating import render
from esgledger.workflow import review
from esgledger.workflow.denials import record_denial
from esgledger.workflow.request_list import (
    DEFAULT_SORT,
    SORT_KEYS,
    RequestFilter,
    page_requests,
    request_dicts,
)
from esgledger.workflow.review_queue import review_context

router = APIRouter()
BULK_LIMIT = 500  # ticked items handled in one post; the rest are reported as not done


def _rows(request: Request, user: Principal) -> tuple[list[dict[str, Any]], Page[Any]]:
    """One page of the queue (sorted and paged in SQL), each row with its review context."""
    rows: list[dict[str, Any]] = []
    params = params_from(request, tuple(SORT_KEYS), DEFAULT_SORT)
    queue = RequestFilter(state="submitted", reviewable_by=user)  # assigned_ok, in SQL
    with database(request).read() as session:
        page = page_requests(session, user, queue, params)
        extra = review_context(session, page.rows)
        for req, info in zip(page.rows, request_dicts(session, page.rows), strict=True):
            info["metric_name"] = metric(req.metric_id).name
            info["own"] = req.submitted_by == user.username  # four eyes: not theirs to approve
            info["submitted_by"] = req.submitted_by
            rows.append({**info, **extra[req.id]})
    return rows, page


def _page(
    request: Request,
    user: Principal,
    *,
    flash: str = "",
    error: str = "",
    results: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> Response:
    rows, page = _rows(request, user)
    context = {
        "rows": rows,
        "listing": ListView(request.url.replace(path="/review"), page),
        "results": results or [],
        "flash": error or flash,
        "flash_kind": "error" if error else "ok",
    }
    return render(request, "review_queue.html", context, status=status)


@router.get("/review")
def review_queue(request: Request, user: UserDep) -> Response:
    require(user, "request.approve")
    done = request.query_params.get("done")
    rid = request.query_params.get("request", "")
    flash = done_message(request, done)
    if flash and rid.isdigit():
        flash = f"Request {int(rid)}: {flash}"
    return _page(request, user, flash=flash)


def ticked(form: FormData) -> list[tuple[int, int]]:
    """The ticked ``id:version`` pairs, in order, each once; anything else is refused."""
    items: dict[int, int] = {}
    for raw in form.getlist("item"):
        rid, _, version = str(raw).partition(":")
        if not (rid.isdigit() and version.isdigit()):
            raise InvalidInput(f"bulk approve: {str(raw)[:40]!r} is not a request and version")
        items.setdefault(int(rid), int(version))
    return list(items.items())


@router.post("/review/approve")
def bulk_approve(request: Request, user: UserDep, form: FormDep) -> Response:
    """Approve every ticked request, each on its own; one result line per item."""
    require(user, "request.approve")
    try:
        items = ticked(form)
    except InvalidInput as exc:
        return _page(request, user, error=str(exc), status=422)
    if not items:
        return _page(request, user, error="tick at least one request to approve", status=422)
    results = []
    for rid, version in items[:BULK_LIMIT]:
        try:
            with database(request).write() as session:
                review.approve(session, user, rid, version=version)
            results.append({"id": rid, "ok": True, "message": "approved"})
        except PermissionDenied as exc:  # audited as the single Approve button's 403 is
            record_denial(database(request), actor=user.username,
                          subject=f"POST /requests/{rid}/approve", reason=str(exc))  # fmt: skip
            results.append({"id": rid, "ok": False, "message": str(exc)})
        except (Conflict, InvalidInput, NotFound) as exc:
            results.append({"id": rid, "ok": False, "message": str(exc)})
    for rid, _version in items[BULK_LIMIT:]:
        results.append({"id": rid, "ok": False, "message": f"not done: over {BULK_LIMIT} items"})
    approved = sum(r["ok"] for r in results)
    if approved == len(results):
        return _page(request, user, flash=f"{approved} approved.", results=results)
    summary = f"{approved} of {len(results)} approved; the others were not, as listed below"
    return _page(request, user, error=summary, results=results, status=409)
