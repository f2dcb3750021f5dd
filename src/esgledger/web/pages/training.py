"""Page: the training register — each campaign's coverage by entity and worker type
(search, filters, sort, pages), for KPI readers (the rows behind the training figures);
``format=csv`` exports every row under the filters and search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import ListParams, Page, page_of_list
from esgledger.registers.training_listing import campaign_coverage
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, csv_export, wants_csv
from esgledger.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
SORT_KEYS: dict[str, Callable[[dict[str, Any]], Any]] = {
    key: (lambda k: lambda row: row[k])(key)
    for key in ("campaign", "entity", "worker_type", "required", "share")
}

CSV_COLUMNS = [
    ("campaign", "campaign"), ("kind", "kind"), ("year", "year"), ("entity", "entity"),
    ("worker_type", "worker_type"), ("required", "required"), ("completed", "completed"),
    ("share", "share_percent"),
]  # fmt: skip


def _matches(row: dict[str, Any], text: str) -> bool:
    return text in row["campaign"].lower() or text in row["entity"].lower()


@router.get("/registers/training")
def training(
    request: Request,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    entity: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    require(user, "kpis.read")
    params = params_from(request, tuple(SORT_KEYS), "campaign", default_limit=PAGE_SIZE)
    entity = (entity or "").strip() or None
    with database(request).read() as session:
        rows = campaign_coverage(session, year=year, entity=entity)

    def fetch(_: Session | None, wanted: ListParams) -> Page[dict[str, Any]]:
        return page_of_list(rows, wanted, SORT_KEYS, _matches)  # read whole, above

    if wants_csv(request.url):
        return csv_export(database(request), params, fetch, CSV_COLUMNS, "training-coverage.csv")
    page = fetch(None, params)
    context = {
        "rows": page.rows,
        "listing": ListView(request.url, page),
        "year": year,
        "entity": entity,
    }
    return render(request, "registers_training.html", context)
