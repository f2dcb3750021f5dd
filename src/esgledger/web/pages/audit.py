"""The audit log, newest first, and whether its hash chain still verifies.

The same events as ``esg audit log`` and the same check as ``esg audit verify``: an auditor
sees at a glance whether any stored event was edited, inserted or deleted.
"""

from __future__ import annotations

import math
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from esgledger.auth.permissions import require
from esgledger.ledger import audit
from esgledger.ledger.models import AuditEvent
from esgledger.web import views
from esgledger.web.deps import UserDep, database
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query()]
PAGE_SIZE = 50


@router.get("/audit")
def audit_log(
    request: Request,
    user: UserDep,
    action: Text = None,
    subject: Text = None,
    page: Text = None,
) -> Response:
    """One page of events (filter by action and subject) and the chain's verification."""
    require(user, "audit.read")
    number = views.query_int(page, "page", 1, 10**9) or 1
    action, subject = (action or "").strip() or None, (subject or "").strip() or None
    with database(request).read() as session:
        chain = audit.verify(session)
        events, total = audit.page(
            session,
            action=action,
            subject=subject,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
        rows = [audit.event_dict(e) for e in events]
        actions = list(session.scalars(select(AuditEvent.action).distinct()))
    filters = {k: v for k, v in (("action", action), ("subject", subject)) if v}
    context = {
        "chain": chain,
        "events": rows,
        "total": total,
        "page": number,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
        "action": action,
        "subject": subject,
        "actions": sorted(actions),
        "base": "/audit?" + (urlencode(filters) + "&" if filters else ""),
    }
    return render(request, "audit.html", context)
