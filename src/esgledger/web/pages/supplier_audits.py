"""Page: supplier audits, each with its findings (grade, plan due date, state, overdue
marked) — filters (supplier, state, mode, with an overdue finding), search in supplier and
auditor, sort, pages and CSV. Needs ``suppliers.read``; the rows are ``esg suppliers audit
list``'s and ``esg suppliers finding list``'s, overdue by the rule of the check
``suppliers.action_overdue`` (as of today).
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import csv_response, params_from
from esgledger.ledger.listing import ListParams, Page, page_of_list
from esgledger.ledger.models import utcnow
from esgledger.suppliers.audits import CLOSED, GRADES, MODES, list_audits, list_findings
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, all_pages, wants_csv
from esgledger.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
STATES = ("planned", "done")
Text = Annotated[str | None, Query(max_length=64)]
KEYS = {
    "id": lambda a: a["id"],
    "supplier": lambda a: a["supplier"],
    "state": lambda a: a["state"],
    "planned_on": lambda a: a["planned_on"],
    "report_on": lambda a: a["report_on"],
    "open": lambda a: a["open"],
}
CSV_COLUMNS = [
    ("id", "id"), ("supplier", "supplier"), ("mode", "mode"), ("state", "state"),
    ("planned_on", "planned_on"), ("done_on", "done_on"), ("report_on", "report_on"),
    ("auditor", "auditor"), ("findings", "findings"), ("priority", "priority"),
    ("major", "major"), ("minor", "minor"), ("open", "open"), ("overdue", "overdue"),
]  # fmt: skip


def _matches(audit: dict[str, Any], text: str) -> bool:
    return text in audit["supplier"].lower() or text in audit["auditor"].lower()


def audit_rows(request: Request, supplier: str | None) -> list[dict[str, Any]]:
    """Every audit (of ``supplier``) with its findings and their counts, overdue as of today,
    read in one snapshot so that the findings belong to the audits read."""
    today = utcnow().date()
    with database(request).snapshot() as session:
        audits = list_audits(session, supplier=supplier)
        found = list_findings(session, supplier=supplier)
        late = {f["id"]: f for f in list_findings(session, supplier=supplier,
                                                  overdue_on=today, missed_parts=True)}  # fmt: skip
    by_audit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in found:
        missed = late.get(f["id"], {})
        by_audit[f["audit"]].append(
            f | {"overdue": missed.get("overdue"), "missed": missed.get("missed")}
        )
    out = []
    for a in audits:
        findings = by_audit.get(a["id"], [])
        counts = {g.lower(): sum(f["grade"] == g for f in findings) for g in GRADES}
        out.append(a | counts | {
            "findings": len(findings),
            "finding_rows": findings,
            "open": sum(f["state"] != CLOSED for f in findings),
            "overdue": sum(bool(f["overdue"]) for f in findings),
        })  # fmt: skip
    return out


def _fetch(rows: list[dict[str, Any]], params: ListParams) -> Page[dict[str, Any]]:
    return page_of_list(rows, params, KEYS, _matches)


@router.get("/suppliers/audits")
def audits(
    request: Request,
    user: UserDep,
    supplier: Text = None,
    state: Text = None,
    mode: Text = None,
    overdue: Text = None,
) -> Response:
    require(user, "suppliers.read")
    params = params_from(request, tuple(KEYS), "id", default_limit=PAGE_SIZE)
    supplier, state, mode = (
        v.strip() if v and v.strip() else None for v in (supplier, state, mode)
    )
    rows = [
        r
        for r in audit_rows(request, supplier)
        if (state is None or r["state"] == state)
        and (mode is None or r["mode"] == mode)
        and (not overdue or r["overdue"])
    ]
    fetch = partial(_fetch, rows)
    if wants_csv(request.url):
        return csv_response(all_pages(params, fetch), CSV_COLUMNS, "supplier-audits.csv")
    page = fetch(params)
    context = {
        "audits": page.rows,
        "listing": ListView(request.url, page),
        "supplier": supplier,
        "state": state,
        "mode": mode,
        "overdue": bool(overdue),
        "states": STATES,
        "modes": MODES,
    }
    return render(request, "supplier_audits.html", context)
