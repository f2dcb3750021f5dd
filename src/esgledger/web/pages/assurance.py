"""Page: the assurance register — the engagements of a year (provider, standard, level,
metrics and entities in scope, statement and its digest), for KPI readers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.registers.assurance import year_engagements
from esgledger.web.deps import UserDep, database
from esgledger.web.templating import render

router = APIRouter()


@router.get("/registers/assurance")
def assurance(
    request: Request, user: UserDep, year: Annotated[int | None, Query(ge=1900, le=2100)] = None
) -> Response:
    require(user, "kpis.read")
    with database(request).read() as session:
        engagements = year_engagements(session, year)
    return render(request, "registers_assurance.html", {"engagements": engagements, "year": year})
