"""Page: the giving register — the year's donations (entity and programme filters, pages)
in the currency they were given in, the volunteer hours by programme and the imported rates
with their sources, for KPI readers (the rows behind the giving figures)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.registers.giving import list_donations, list_rates, list_volunteering
from esgledger.web.deps import UserDep, database
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=128)]
PAGE_SIZE = 50


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
    }
    return render(request, "registers_giving.html", context)
