"""Page: the board register — the directors (search, filters, sort, pages) and the year's
meetings with their attendance, for KPI readers (the rows behind the board figures);
``format=csv`` exports every member under the filters and search."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import ListParams, Page
from esgledger.registers.board_import import COMMITTEES
from esgledger.registers.board_listing import SORT_KEYS, list_meetings, page_members
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, csv_export, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=64)]
PAGE_SIZE = 50
CSV_COLUMNS = [
    ("ref", "ref"), ("entity", "entity"), ("name", "name"), ("role", "role"),
    ("executive", "executive"), ("independent", "independent"), ("gender", "gender"),
    ("birth_year", "birth_year"), ("appointed_on", "appointed_on"), ("left_on", "left_on"),
    ("committees", "committees"), ("serving", "serving"),
]  # fmt: skip


def _fetch(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    return page_members(session, params, **filters)


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
    if wants_csv(request.url):
        fetch = partial(_fetch, year=year, entity=entity, committee=committee)
        return csv_export(database(request), params, fetch, CSV_COLUMNS, "board-members.csv")
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
