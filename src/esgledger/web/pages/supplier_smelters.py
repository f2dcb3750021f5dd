"""Page: the conflict-minerals roll-up — smelters across suppliers' latest CMRT (or EMRT) by
metal and smelter id, with status from the imported conformant-smelter list, the
conformant share (or why it is not available), and filters (metal, status), search, sort
and pages. Needs ``suppliers.read``; the figures are ``esg suppliers cmrt rollup``'s.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.kpi.register_figures.suppliers_minerals import conformant_why
from esgledger.ledger.listing import page_of_list
from esgledger.ledger.smelter_rollup import rollup
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView
from esgledger.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
KEYS = {
    "metal": lambda s: (s["metal"], s["smelter_id"]),
    "smelter_id": lambda s: s["smelter_id"],
    "name": lambda s: s["name"].lower(),
    "country": lambda s: s["country"],
    "suppliers": lambda s: s["suppliers"],
    "status": lambda s: s["status"],
}


def _matches(smelter: dict[str, Any], text: str) -> bool:
    return text in smelter["name"].lower() or text in smelter["smelter_id"].lower()


@router.get("/suppliers/smelters")
def smelters(
    request: Request,
    user: UserDep,
    template: Annotated[str, Query(pattern="^(CMRT|EMRT)$")] = "CMRT",
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    metal: Annotated[str | None, Query(max_length=32)] = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    require(user, "suppliers.read")
    params = params_from(request, tuple(KEYS), "metal", default_limit=PAGE_SIZE)
    metal, status = (metal or "").strip() or None, (status or "").strip() or None
    with database(request).read() as session:
        result = rollup(session, template=template, year=year)
    share, note = result.conformant_share()
    rows = [s.as_dict() for s in result.smelters]
    metals = sorted({str(r["metal"]) for r in rows})
    statuses = sorted({str(r["status"]) for r in rows})
    rows = [r for r in rows if metal is None or r["metal"] == metal]
    rows = [r for r in rows if status is None or r["status"] == status]
    page = page_of_list(rows, params, KEYS, _matches)
    context = {
        "smelters": page.rows,
        "listing": ListView(request.url, page),
        "template": template,
        "year": year,
        "metal": metal,
        "status": status,
        "metals": metals,
        "statuses": statuses,
        "suppliers": len(result.declarations),
        "unidentified": result.unidentified,
        "share": share,
        "note": note,
        "note_why": conformant_why(result),  # the note's codes, worded in the page's language
    }
    return render(request, "supplier_smelters.html", context)
