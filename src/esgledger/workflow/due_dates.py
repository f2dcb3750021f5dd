"""The due-date rule of a data request, one place for the CLI, the API and the pages.

A request issued with a due date already behind it is overdue the moment it exists; the
owner could never meet it. Every interface therefore gets the same one-line refusal from
:func:`require_due_not_past`, called by :func:`~esgledger.workflow.requests.issue_requests`.
``issued_on`` is today, except when seeding history (the demo's past years), which names
the day the requests were issued instead.
"""

from __future__ import annotations

import datetime as dt

from esgledger.catalog.messages import N_
from esgledger.errors import InvalidInput, worded


def require_due_not_past(due: dt.date, issued_on: dt.date | None = None) -> None:
    """Refuse a due date before the issue date (today unless given)."""
    today = issued_on or dt.date.today()
    if due < today:
        raise worded(
            InvalidInput(f"due date {due} is in the past; choose today or a later date"),
            N_("due date %(due)s is in the past; choose today or a later date"),
            {"due": due.isoformat()},
        )
