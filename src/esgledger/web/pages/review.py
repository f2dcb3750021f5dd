"""Page: the reviewer's queue — submitted requests waiting for this reviewer.

A reviewer sees the requests named for them and those with no named reviewer (any reviewer
may take those); an admin sees every submitted request. Approve and return post to the
request's own step endpoints (:mod:`requests_actions`) with ``back=review``, so the checks
are the same wherever the button is pressed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from esgledger.api.paging import params_from
from esgledger.auth.permissions import require
from esgledger.catalog import metric
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView
from esgledger.web.pages.requests_view import done_message
from esgledger.web.templating import render
from esgledger.workflow.request_list import (
    DEFAULT_SORT,
    SORT_KEYS,
    RequestFilter,
    page_requests,
    request_dicts,
)

router = APIRouter()


@router.get("/review")
def review_queue(request: Request, user: UserDep) -> Response:
    require(user, "request.approve")
    rows: list[dict[str, Any]] = []
    params = params_from(request, tuple(SORT_KEYS), DEFAULT_SORT)
    queue = RequestFilter(state="submitted", reviewable_by=user)  # assigned_ok, in SQL
    with database(request).read() as session:
        page = page_requests(session, user, queue, params)
        for req, info in zip(page.rows, request_dicts(session, page.rows), strict=True):
            info["metric_name"] = metric(req.metric_id).name
            info["own"] = req.submitted_by == user.username  # four eyes: not theirs to approve
            info["submitted_by"] = req.submitted_by
            rows.append(info)
    done = request.query_params.get("done")
    rid = request.query_params.get("request", "")
    flash = done_message(done)
    if flash and rid.isdigit():
        flash = f"Request {int(rid)}: {flash}"
    context = {"rows": rows, "flash": flash, "listing": ListView(request.url, page)}
    return render(request, "review_queue.html", context)
