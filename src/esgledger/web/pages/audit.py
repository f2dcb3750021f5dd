"""The audit log, newest first, and whether its hash chain still verifies.

The same events as ``esg audit log`` and the same check as ``esg audit verify``: an auditor
sees at a glance whether any stored event was edited, inserted or deleted. The chain is
walked in full at most once a minute and otherwise over new events only
(:mod:`esgledger.web.chain_check`).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import csv_response, params_from
from esgledger.ledger import audit
from esgledger.ledger.audit_list import DEFAULT_SORT, SORT_KEYS, page_events
from esgledger.ledger.listing import ListParams, Page
from esgledger.ledger.models import AuditEvent
from esgledger.web.chain_check import chain_check
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, snapshot_rows, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query()]
PAGE_SIZE = 50
CSV_COLUMNS = (("id", "id"), ("ts", "time (UTC)"), ("actor", "actor"), ("action", "action"),
               ("subject", "subject"), ("payload", "payload"), ("hash", "hash"))  # fmt: skip


@router.get("/audit")
def audit_log(
    request: Request, user: UserDep, action: Text = None, subject: Text = None
) -> Response:
    """One page of events (filter by action and subject, search, sort) and the chain's
    verification; ``format=csv`` exports every matching event."""
    require(user, "audit.read")
    params = params_from(request, tuple(SORT_KEYS), DEFAULT_SORT, default_limit=PAGE_SIZE)
    action, subject = (action or "").strip() or None, (subject or "").strip() or None
    fetch = partial(_fetch, action=action, subject=subject)
    if wants_csv(request.url):
        rows = [_csv_row(e) for e in snapshot_rows(database(request), params, fetch)]
        return csv_response(rows, CSV_COLUMNS, "audit-log.csv")
    with database(request).read() as session:
        checked = chain_check(session)
        actions = list(session.scalars(select(AuditEvent.action).distinct()))
        page = fetch(session, params)
    context = {
        "chain": checked.result,
        "full_walk_at": checked.full_walk_at,
        "events": page.rows,
        "listing": ListView(request.url, page),
        "action": action,
        "subject": subject,
        "actions": sorted(actions),
    }
    return render(request, "audit.html", context)


def _fetch(session: Session, params: ListParams, **filters: str | None) -> Page[dict[str, Any]]:
    found = page_events(session, params, **filters)
    return found.with_rows([audit.event_dict(e) for e in found.rows])


def _csv_row(event: dict[str, Any]) -> dict[str, Any]:
    return {**event, "payload": json.dumps(event["payload"], ensure_ascii=False, sort_keys=True)}
