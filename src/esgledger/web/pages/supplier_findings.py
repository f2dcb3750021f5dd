"""Page: supplier audit findings and their corrective actions — filters (supplier, grade,
state, overdue today), search in the text, sort and pages. Needs ``suppliers.read``; the
rows are ``esg suppliers finding list``'s, with the same overdue rule as the check
``suppliers.action_overdue``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import page_of_list
from esgledger.ledger.models import utcnow
from esgledger.suppliers.audits import GRADES, TRANSITIONS, list_findings
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView
from esgledger.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
Text = Annotated[str | None, Query(max_length=64)]
KEYS = {
    "id": lambda f: f["id"],
    "supplier": lambda f: f["supplier"],
    "grade": lambda f: GRADES.index(f["grade"]),
    "state": lambda f: f["state"],
    "plan_due": lambda f: f["plan_due"],
}


def _given(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _matches(finding: dict[str, Any], text: str) -> bool:
    return text in finding["text"].lower() or text in finding["supplier"].lower()


@router.get("/suppliers/findings")
def findings(
    request: Request,
    user: UserDep,
    supplier: Text = None,
    grade: Text = None,
    state: Text = None,
    overdue: Text = None,
) -> Response:
    require(user, "suppliers.read")
    params = params_from(request, tuple(KEYS), "id", default_limit=PAGE_SIZE)
    supplier, grade, state = (
        v.strip() if v and v.strip() else None for v in (supplier, grade, state)
    )
    today = utcnow().date()
    with database(request).read() as session:
        rows = list_findings(
            session, supplier=supplier, overdue_on=today if overdue else None, missed_parts=True
        )
    rows = [r for r in rows if (grade is None or r["grade"] == grade)]
    rows = [r for r in rows if (state is None or r["state"] == state)]
    page = page_of_list(rows, params, KEYS, _matches)
    context = {
        "findings": page.rows,
        "listing": ListView(request.url, page),
        "supplier": supplier,
        "grade": grade,
        "state": state,
        "overdue": bool(overdue),
        "grades": GRADES,
        "states": sorted({*TRANSITIONS, *(s for to in TRANSITIONS.values() for s in to)}),
    }
    return render(request, "supplier_findings.html", context)
