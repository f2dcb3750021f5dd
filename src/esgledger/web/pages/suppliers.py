"""Page: the supplier register — search, filters (country, commodity), sort and pages, with
each supplier's current risk tier and last questionnaire score; ``format=csv`` exports every
matching supplier. Needs ``suppliers.read``; the rows come from the same query as
``esg suppliers list`` and ``GET /api/v1/suppliers``.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import csv_response, params_from
from esgledger.ledger.listing import ListParams, Page
from esgledger.suppliers.register import DEFAULT_SORT, SORT, page_suppliers, supplier_dict
from esgledger.suppliers.saq import latest_scores
from esgledger.suppliers.tiering import current_tiers, ended_by
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, snapshot_rows, wants_csv
from esgledger.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
CSV_COLUMNS = [
    ("id", "id"), ("name", "name"), ("parent_group", "parent_group"), ("country", "country"),
    ("commodities", "commodities"), ("spend", "spend"), ("spend_unit", "spend_unit"),
    ("tier", "tier"), ("score", "questionnaire_score"),
]  # fmt: skip


def _fetch(
    session: Session, params: ListParams, *, country: str | None, commodity: str | None
) -> Page[dict[str, Any]]:
    page = page_suppliers(session, params, country=country, commodity=commodity)
    today = dt.date.today()
    tiers, scores = current_tiers(session, on=today), latest_scores(session)
    rows = [
        supplier_dict(s)
        | {"tier": tiers.get(s.id), "score": scores.get(s.id), "ended": ended_by(s, today)}
        for s in page.rows
    ]
    return Page(rows, page.total, page.params)


@router.get("/suppliers")
def suppliers(
    request: Request,
    user: UserDep,
    country: Annotated[str | None, Query(max_length=2)] = None,
    commodity: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    require(user, "suppliers.read")
    params = params_from(request, tuple(SORT), DEFAULT_SORT, default_limit=PAGE_SIZE)
    country, commodity = (country or "").strip() or None, (commodity or "").strip() or None
    fetch = partial(_fetch, country=country, commodity=commodity)
    if wants_csv(request.url):
        found = snapshot_rows(database(request), params, fetch)
        rows = [r | {"commodities": "; ".join(r["commodities"])} for r in found]
        return csv_response(rows, CSV_COLUMNS, "suppliers.csv")
    with database(request).read() as session:
        page = fetch(session, params)
    context = {
        "suppliers": page.rows,
        "listing": ListView(request.url, page),
        "country": country,
        "commodity": commodity,
    }
    return render(request, "suppliers.html", context)
