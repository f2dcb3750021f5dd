"""Page: the suppliers' risk-tier history — every tier decision (a row is stored only when a
tier changes) with its score and dimensions, filters (tier, supplier), sort and pages; a
supplier whose cooperation ended by today is marked so (it gets no new tier).
Needs ``suppliers.read``; the rows are ``esg suppliers history``'s for all suppliers.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import ColumnElement, select

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import Page, paginate
from esgledger.ledger.supplier_models import SupplierTier
from esgledger.suppliers.register import ended_before
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView
from esgledger.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
_COLUMNS = SupplierTier.__table__.c
SORT: dict[str, ColumnElement[Any]] = {
    "decided_on": _COLUMNS.decided_on,
    "supplier": _COLUMNS.supplier_id,
    "tier": _COLUMNS.tier,
    "score": _COLUMNS.score,
}
Text = Annotated[str | None, Query(max_length=64)]


def _row(t: SupplierTier, ended: dict[str, dt.date]) -> dict[str, Any]:
    return {
        "ended_on": ended.get(t.supplier_id),
        "supplier": t.supplier_id,
        "decided_on": t.decided_on.isoformat(),
        "tier": t.tier,
        "score": round(t.score, 2),
        "dimensions": json.loads(t.dimensions),
        "actor": t.actor,
    }


@router.get("/suppliers/tiers")
def tiers(request: Request, user: UserDep, tier: Text = None, supplier: Text = None) -> Response:
    require(user, "suppliers.read")
    params = params_from(request, tuple(SORT), "-decided_on", default_limit=PAGE_SIZE)
    tier, supplier = (tier or "").strip() or None, (supplier or "").strip() or None
    stmt = select(SupplierTier)
    if tier:
        stmt = stmt.where(SupplierTier.tier == tier)
    if supplier:
        stmt = stmt.where(SupplierTier.supplier_id == supplier)
    if params.search:
        stmt = stmt.where(SupplierTier.supplier_id.contains(params.search, autoescape=True))
    with database(request).read() as session:
        found = paginate(session, stmt, params, SORT, (_COLUMNS.id,))
        names = sorted(set(session.scalars(select(SupplierTier.tier).distinct())))
        shown = sorted({t.supplier_id for t in found.rows})
        ended = ended_before(session, shown, dt.date.today() + dt.timedelta(days=1))
        page = Page([_row(t, ended) for t in found.rows], found.total, found.params)
    context = {
        "decisions": page.rows,
        "listing": ListView(request.url, page),
        "tier": tier,
        "supplier": supplier,
        "tiers": names,
    }
    return render(request, "supplier_tiers.html", context)
