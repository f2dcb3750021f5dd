"""Page: the OHS register — incidents with their state's SLA clock (year, entity, state,
kind and overdue filters, search, sort, pages) and hours worked per entity, year and worker
type — for KPI readers (the rows behind the injury figures and rates); ``format=csv``
exports every incident under the filters and search (on the hours view, every row shown)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import csv_response, params_from, url_for_page
from esgledger.ledger.listing import ListParams, Page
from esgledger.registers.ohs import INCIDENTS
from esgledger.registers.ohs_import import KINDS
from esgledger.registers.ohs_listing import INCIDENT_SORT, hours_table, page_incidents
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, csv_export, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=64)]
PAGE_SIZE = 50
CSV_COLUMNS = [
    ("ref", "ref"), ("entity", "entity"), ("date", "date"), ("worker_type", "worker_type"),
    ("kind", "kind"), ("high_consequence", "high_consequence"), ("lost_days", "lost_days"),
    ("state", "state"), ("clock_due", "due"), ("clock_overdue", "overdue"),
]  # fmt: skip

HOURS_COLUMNS = [("entity", "entity"), ("year", "year"), ("worker_type", "worker_type"),
                 ("hours", "hours")]  # fmt: skip


def _fetch(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    return page_incidents(session, params, **filters)


@router.get("/registers/ohs")
def ohs(
    request: Request,
    user: UserDep,
    view: Annotated[str, Query(max_length=16)] = "incidents",
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    entity: Text = None,
    state: Text = None,
    kind: Text = None,
    overdue: Text = None,
) -> Response:
    require(user, "kpis.read")
    view = "hours" if view == "hours" else "incidents"
    entity = (entity or "").strip() or None
    state = state if state in INCIDENTS.states else None
    kind = kind if kind in KINDS else None
    late = overdue == "yes"
    context: dict[str, object] = {"view": view, "year": year, "entity": entity, "state": state,
                                  "kind": kind, "overdue": late, "states": INCIDENTS.states,
                                  "kinds": KINDS}  # fmt: skip
    if view == "incidents" and wants_csv(request.url):
        params = params_from(request, tuple(INCIDENT_SORT), "-date", default_limit=PAGE_SIZE)
        fetch = partial(_fetch, year=year, entity=entity, state=state, kind=kind, overdue=late)
        return csv_export(database(request), params, fetch, CSV_COLUMNS, "ohs-incidents.csv")
    with database(request).read() as session:
        if view == "hours":
            hours = hours_table(session, year=year, entity=entity)
            if wants_csv(request.url):
                return csv_response(hours["rows"], HOURS_COLUMNS, "ohs-hours.csv")
            context |= {"rows": hours["rows"], "total": hours["total"], "listing": None,
                        "filtered": bool(year or entity),
                        "csv_href": url_for_page(request.url, format="csv")}  # fmt: skip
        else:
            params = params_from(request, tuple(INCIDENT_SORT), "-date", default_limit=PAGE_SIZE)
            page = page_incidents(session, params, year=year, entity=entity, state=state,
                                  kind=kind, overdue=late)  # fmt: skip
            context |= {"rows": page.rows, "listing": ListView(request.url, page),
                        "filtered": bool(year or entity or state or kind or late
                                         or params.search)}  # fmt: skip
    return render(request, "registers_ohs.html", context)
