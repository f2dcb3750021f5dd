"""Page: the giving register — the year's donations (entity and programme filters, pages)
in the currency they were given in, the volunteer hours by programme and the imported rates
with their sources, for KPI readers (the rows behind the giving figures); ``format=csv``
exports every donation under the filters, read and sent a page at a time."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import url_for_page
from esgledger.ledger.listing import ListParams, Page, parse_list
from esgledger.registers.giving import (
    DONATION_SORT,
    list_donations,
    list_rates,
    list_volunteering,
    page_donations,
)
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import csv_export, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=128)]
PAGE_SIZE = 50
EXPORT_ORDER = parse_list(keys=tuple(DONATION_SORT), default_sort="-date")  # as the page
CSV_COLUMNS = [
    ("ref", "ref"), ("entity", "entity"), ("date", "date"), ("programme", "programme"),
    ("recipient_type", "recipient_type"), ("form", "form"), ("amount", "amount"),
    ("currency", "currency"),
]  # fmt: skip


def _fetch(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    return page_donations(session, params, **filters)


@router.get("/registers/giving")
def giving(
    request: Request,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    entity: Text = None,
    programme: Text = None,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> Response:
    require(user, "kpis.read")
    entity, programme = (entity or "").strip() or None, (programme or "").strip() or None
    if wants_csv(request.url):
        fetch = partial(_fetch, year=year, entity=entity, programme=programme)
        return csv_export(database(request), EXPORT_ORDER, fetch, CSV_COLUMNS, "donations.csv")
    with database(request).read() as session:
        found = list_donations(
            session, year=year, entity=entity, programme=programme, limit=PAGE_SIZE, offset=offset
        )
        volunteering = list_volunteering(session, year=year)
        rates = list_rates(session)
    context = {
        "donations": found["rows"],
        "total": found["total"],
        "offset": offset,
        "page_size": PAGE_SIZE,
        "volunteering": volunteering,
        "rates": rates,
        "year": year,
        "entity": entity,
        "programme": programme,
        "csv_href": url_for_page(request.url, format="csv", offset=None),
    }
    return render(request, "registers_giving.html", context)
