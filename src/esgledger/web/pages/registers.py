"""Page: the whistleblowing register for staff — counts for every KPI reader, the cases
themselves (search, filters, sort, pages) for compliance officers only.

A user without ``cases.read`` gets the same page with the counts and no list: no code, no
text, no investigator; the content never reaches their browser, and its CSV export
(``format=csv``, the filtered cases) is refused.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, can, require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import ListParams, Page
from esgledger.registers.whistle import CASE_TYPES, CASES
from esgledger.registers.whistle_listing import SORT_KEYS, case_counts, page_cases
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, csv_export, wants_csv
from esgledger.web.pages.whistle import TYPE_LABELS
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=32)]
PAGE_SIZE = 50
CSV_COLUMNS = [
    ("code", "code"), ("entity", "entity"), ("channel", "channel"), ("type", "type"),
    ("received", "received"), ("state", "state"), ("clock_due", "due"),
    ("clock_overdue", "overdue"), ("investigator", "investigator"), ("outcome", "outcome"),
    ("closed", "closed"), ("description", "description"),
    ("corrective_action", "corrective_action"), ("retaliation_note", "retaliation_note"),
]  # fmt: skip


def _fetch(
    user: Principal, session: Session, params: ListParams, **filters: Any
) -> Page[dict[str, Any]]:
    return page_cases(session, user, params, **filters)


@router.get("/registers/whistleblowing")
def whistleblowing(
    request: Request, user: UserDep, state: Text = None, type: Text = None
) -> Response:
    params = params_from(request, tuple(SORT_KEYS), "-received", default_limit=PAGE_SIZE)
    state, case_type = (state or "").strip() or None, (type or "").strip() or None
    if wants_csv(request.url):
        require(user, "cases.read")  # the content, as the list: compliance officers only
        fetch = partial(_fetch, user, state=state, case_type=case_type)
        return csv_export(database(request), params, fetch, CSV_COLUMNS, "whistleblowing-cases.csv")
    with database(request).read() as session:
        counts = case_counts(session, user)
        page = (
            page_cases(session, user, params, state=state, case_type=case_type)
            if can(user, "cases.read")
            else None
        )
    context = {
        "counts": counts,
        "cases": page.rows if page else None,
        "listing": ListView(request.url, page) if page else None,
        "state": state,
        "case_type": case_type,
        "states": CASES.states,
        "types": CASE_TYPES,
        "type_labels": TYPE_LABELS,  # the intake page's labels, in the page's language
    }
    return render(request, "registers_whistleblowing.html", context)
