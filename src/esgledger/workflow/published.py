"""Figures readers already have: a value shown in a published report is restated by a manager.

A report shows each KPI for its year and the two years before (``esg report`` publishes a
three-year series), so a value of year Y is in print once a report of Y, Y+1 or Y+2 was
published. Replacing such a value is a restatement of a published figure: an ESG manager's
decision, not a data owner's correction.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, can
from esgledger.errors import Conflict
from esgledger.ledger.report_models import PublishedReport
from esgledger.ledger.workflow_models import DataRequest

SERIES_YEARS = 3  # years a published report shows for each KPI, its own year included


def published_in(session: Session, year: int) -> int | None:
    """The latest published report year that shows figures of ``year``, if any."""
    return session.scalar(
        select(func.max(PublishedReport.year)).where(
            PublishedReport.year.between(year, year + SERIES_YEARS - 1)
        )
    )


def require_restate_right(session: Session, user: Principal, req: DataRequest) -> None:
    """Refuse to replace a published figure unless ``user`` may restate values."""
    if can(user, "request.restate"):
        return
    shown = published_in(session, req.year)
    if shown is not None:
        raise Conflict(
            f"request {req.id}: {req.entity_id} {req.metric_id} {req.year} is a figure of the "
            f"published {shown} report; only an ESG manager may restate it"
        )
