"""Page: the certification register — certificates with their status at a year's end
(search, entity, standard and status filters, sort, pages), for KPI readers (the rows
behind the certified-site figures); ``format=csv`` exports every certificate under the
filters and search."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import ListParams, Page
from esgledger.registers.certification_listing import (
    SORT_KEYS,
    STATUSES,
    page_certificates,
    standards,
)
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, csv_export, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=64)]
PAGE_SIZE = 50
CSV_COLUMNS = [
    ("entity", "entity"), ("standard", "standard"), ("number", "number"), ("body", "body"),
    ("product_model", "product_model"), ("scope", "scope"), ("issued_on", "issued_on"),
    ("expires_on", "expires_on"), ("withdrawn_on", "withdrawn_on"),
    ("surveillance", "surveillance"), ("status", "status"),
]  # fmt: skip


def _fetch(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    return page_certificates(session, params, **filters)


@router.get("/registers/certifications")
def certifications(
    request: Request,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    entity: Text = None,
    standard: Text = None,
    status: Text = None,
) -> Response:
    require(user, "kpis.read")
    params = params_from(request, tuple(SORT_KEYS), "entity", default_limit=PAGE_SIZE)
    entity, standard = (entity or "").strip() or None, (standard or "").strip() or None
    status = status if status in STATUSES else None
    if wants_csv(request.url):
        fetch = partial(_fetch, year=year, entity=entity, standard=standard, status=status)
        return csv_export(database(request), params, fetch, CSV_COLUMNS, "certificates.csv")
    with database(request).read() as session:
        page = page_certificates(
            session, params, year=year, entity=entity, standard=standard, status=status
        )
        choices = standards(session)
    context = {
        "certificates": page.rows,
        "listing": ListView(request.url, page),
        "year": year,
        "entity": entity,
        "standard": standard,
        "status": status,
        "standards": choices,
        "statuses": STATUSES,
    }
    return render(request, "registers_certifications.html", context)
