"""Page: the giving register — the year's donations (entity and programme filters, pages)
in the currency they were given in, the volunteer hours by programme and the imported rates
with their sources, for KPI readers (the rows behind the giving figures); ``format=csv``
exports every donation under the filters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import csv_response, url_for_page
from esgledger.registers.giving import list_donations, list_rates, list_volunteering
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import check_export_size, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=128)]
PAGE_SIZE = 50
EXPORT_PAGE = 1000  # donations read per step of an export
CSV_COLUMNS = [
    ("ref", "ref"), ("entity", "entity"), ("date", "date"), ("programme", "programme"),
    ("recipient_type", "recipient_type"), ("form", "form"), ("amount", "amount"),
    ("currency", "currency"),
]  # fmt: skip


def _every_donation(session: Session, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every donation under the filters, in the page's order; refused whole over the
    export limit before any row is read."""
    offset = 0
    while True:
        found = list_donations(session, limit=EXPORT_PAGE, offset=offset, **filters)
        check_export_size(found["total"])
        yield from found["rows"]
        offset += EXPORT_PAGE
        if offset >= found["total"]:
            return


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
        with database(request).read() as session:
            rows = list(_every_donation(session, year=year, entity=entity, programme=programme))
        return csv_response(rows, CSV_COLUMNS, "donations.csv")
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
