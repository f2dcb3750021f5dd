"""Page: the board register — the directors (search, filters, sort, pages) and the year's
meetings with their attendance, for KPI readers (the rows behind the board figures)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.registers.board_import import COMMITTEES
from esgledger.registers.board_listing import SORT_KEYS, list_meetings, page_members
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=64)]
PAGE_SIZE = 50


@router.get("/registers/board")
def board(
    request: Request,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    entity: Text = None,
    committee: Text = None,
) -> Response:
    require(user, "kpis.read")
    params = params_from(request, tuple(SORT_KEYS), "entity", default_limit=PAGE_SIZE)
    entity, committee = (entity or "").strip() or None, (committee or "").strip() or None
    with database(request).read() as session:
        page = page_members(session, params, year=year, entity=entity, committee=committee)
        meetings = list_meetings(session, year=year, entity=entity)
    context = {
        "members": page.rows,
        "listing": ListView(request.url, page),
        "meetings": meetings,
        "year": year,
        "entity": entity,
        "committee": committee,
        "committees": COMMITTEES,
    }
    return render(request, "registers_board.html", context)
