"""Page: the assurance register — engagements (provider, standard, level, metrics and
entities in scope, statement and its digest) with year, standard and level filters, search,
sort and pages, for KPI readers; ``format=csv`` exports every engagement under the filters
and search."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import ListParams, Page
from esgledger.registers.assurance import STANDARD_NAMES
from esgledger.registers.assurance_listing import LEVELS, SORT_KEYS, STANDARDS, page_engagements
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, csv_export, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Choice = Annotated[str | None, Query(max_length=24)]
PAGE_SIZE = 50
CSV_COLUMNS = [
    ("ref", "ref"), ("year", "year"), ("provider", "provider"), ("standard", "standard"),
    ("standard_name", "standard_name"), ("level", "level"), ("metrics", "metrics"),
    ("entities", "entities"), ("signed_on", "signed_on"), ("statement", "statement"),
    ("statement_sha256", "statement_sha256"),
]  # fmt: skip


def _fetch(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    return page_engagements(session, params, **filters)


@router.get("/registers/assurance")
def assurance(
    request: Request,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    standard: Choice = None,
    level: Choice = None,
) -> Response:
    require(user, "kpis.read")
    params = params_from(request, tuple(SORT_KEYS), "-year", default_limit=PAGE_SIZE)
    standard = standard if standard in STANDARDS else None
    level = level if level in LEVELS else None
    fetch = partial(_fetch, year=year, standard=standard, level=level)
    if wants_csv(request.url):
        name = "assurance-engagements.csv"
        return csv_export(database(request), params, fetch, CSV_COLUMNS, name)
    with database(request).read() as session:
        page = fetch(session, params)
    context = {
        "engagements": page.rows,
        "listing": ListView(request.url, page),
        "year": year,
        "standard": standard,
        "level": level,
        "standards": [(key, STANDARD_NAMES.get(key, key)) for key in STANDARDS],
        "levels": LEVELS,
    }
    return render(request, "registers_assurance.html", context)
