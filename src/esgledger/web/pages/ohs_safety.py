"""Page: the OHS safety registers — hazards with their risk level and correction, emergency
drills, special-operation workers with their certificates — one register at a time (year,
entity and state filters, search, sort, pages), for KPI readers (the rows behind the
hazard, drill and certified-operator figures); ``format=csv`` exports every row of the
register shown under the filters and search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import ListParams, Page
from esgledger.registers.ohs_safety_listing import (
    DRILL_SORT,
    HAZARD_SORT,
    HAZARD_STATES,
    OPERATOR_SORT,
    page_drills,
    page_hazards,
    page_operators,
)
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, csv_export, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=64)]
PAGE_SIZE = 50
VIEWS = {  # view → (sort keys, default sort)
    "hazards": (tuple(HAZARD_SORT), "-identified"),
    "drills": (tuple(DRILL_SORT), "-held"),
    "operators": (tuple(OPERATOR_SORT), "entity"),
}
CERTIFIED = {"yes": True, "no": False}
CSV_COLUMNS = {  # view → the export's (key, heading) columns
    "hazards": [("ref", "ref"), ("entity", "entity"), ("identified_on", "identified_on"),
                ("category", "category"), ("risk_level", "risk_level"),
                ("description", "description"), ("corrected_on", "corrected_on"),
                ("state", "state")],
    "drills": [("ref", "ref"), ("entity", "entity"), ("held_on", "held_on"),
               ("scenario", "scenario"), ("participants", "participants"), ("notes", "notes")],
    "operators": [("entity", "entity"), ("person", "person"), ("operation", "operation"),
                  ("assigned_on", "assigned_on"), ("left_on", "left_on"),
                  ("certificate", "certificate"), ("issued_on", "issued_on"),
                  ("expires_on", "expires_on"), ("certificate_status", "certificate_status")],
}  # fmt: skip


def _fetcher(
    view: str,
    year: int | None,
    entity: str | None,
    state: str | None,
    certified: str | None,
) -> Callable[[Session, ListParams], Page[dict[str, Any]]]:
    """One page of the register ``view`` under the filters, in the session given."""

    def fetch(session: Session, params: ListParams) -> Page[dict[str, Any]]:
        if view == "hazards":
            return page_hazards(session, params, year=year, entity=entity, state=state)
        if view == "drills":
            return page_drills(session, params, year=year, entity=entity)
        return page_operators(
            session, params, year=year, entity=entity, certified=CERTIFIED.get(certified or "")
        )

    return fetch


@router.get("/registers/ohs-safety")
def ohs_safety(
    request: Request,
    user: UserDep,
    view: Annotated[str, Query(max_length=16)] = "hazards",
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    entity: Text = None,
    state: Text = None,
    certified: Text = None,
) -> Response:
    require(user, "kpis.read")
    view = view if view in VIEWS else "hazards"
    keys, default_sort = VIEWS[view]
    params = params_from(request, keys, default_sort, default_limit=PAGE_SIZE)
    entity = (entity or "").strip() or None
    state = state if state in HAZARD_STATES else None
    certified = certified if certified in CERTIFIED else None
    fetch = _fetcher(view, year, entity, state, certified)
    if wants_csv(request.url):
        return csv_export(database(request), params, fetch, CSV_COLUMNS[view], f"ohs-{view}.csv")
    with database(request).read() as session:
        page = fetch(session, params)
    context = {
        "view": view,
        "rows": page.rows,
        "listing": ListView(request.url, page),
        "year": year,
        "entity": entity,
        "state": state,
        "certified": certified,
        "states": HAZARD_STATES,
        "filtered": bool(year or entity or state or certified or params.search),
    }
    return render(request, "registers_ohs_safety.html", context)
