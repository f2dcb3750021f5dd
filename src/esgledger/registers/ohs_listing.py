"""Reading the OHS register for its page: incidents filtered by year, entity, state, kind and
SLA clock, searched over ref and description, sorted and paged in SQL (an incident is
overdue when it has stayed in its state longer than the flow's SLA days); hours worked per
entity, year and worker type with their total."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_models import OhsHours, OhsIncident
from esgledger.registers.ohs import INCIDENTS, incident_dict
from esgledger.registers.ohs_import import KINDS

INCIDENT_SORT: dict[str, Any] = {
    "date": OhsIncident.occurred_on,
    "entity": OhsIncident.entity_id,
    "kind": OhsIncident.kind,
    "lost_days": OhsIncident.lost_days,
    "state": OhsIncident.state,
}


def _overdue(now: dt.datetime) -> Any:
    """In a state with an SLA, entered more than its days before ``now``."""
    late = [
        and_(OhsIncident.state == state, OhsIncident.state_changed_at < now - dt.timedelta(days))
        for state, days in INCIDENTS.sla_days.items()
    ]
    return or_(*late) if late else false()


def incidents_query(
    *,
    year: int | None = None,
    entity: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    overdue: bool = False,
    search: str | None = None,
    now: dt.datetime | None = None,
) -> Select[Any]:
    stmt = select(OhsIncident)
    if year:
        day = OhsIncident.occurred_on
        stmt = stmt.where(day.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    for column, value in ((OhsIncident.entity_id, entity), (OhsIncident.state, state),
                          (OhsIncident.kind, kind if kind in KINDS else None)):  # fmt: skip
        if value:
            stmt = stmt.where(column == value)
    if overdue:
        stmt = stmt.where(_overdue(now or utcnow()))
    if search:
        needle = search.strip().lower()
        stmt = stmt.where(
            or_(
                func.lower(OhsIncident.ref).contains(needle, autoescape=True),
                func.lower(OhsIncident.description).contains(needle, autoescape=True),
            )
        )
    return stmt


def page_incidents(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    """One page of incidents, each with its state's SLA clock."""
    now = utcnow()
    stmt = incidents_query(search=params.search, now=now, **filters)
    found = paginate(
        session, stmt, params, INCIDENT_SORT, (OhsIncident.id.asc(),), reverse_ties=True
    )
    return found.with_rows([incident_dict(i, now) for i in found.rows])


def hours_table(
    session: Session, *, year: int | None = None, entity: str | None = None
) -> dict[str, Any]:
    """``{"rows", "total"}``: hours worked per entity, year and worker type, and their sum
    (None without rows: not available, never 0)."""
    stmt = select(OhsHours).order_by(OhsHours.year.desc(), OhsHours.entity_id,
                                     OhsHours.worker_type)  # fmt: skip
    if year:
        stmt = stmt.where(OhsHours.year == year)
    if entity:
        stmt = stmt.where(OhsHours.entity_id == entity)
    rows = [
        {"entity": h.entity_id, "year": h.year, "worker_type": h.worker_type, "hours": h.hours}
        for h in session.scalars(stmt)
    ]
    return {"rows": rows, "total": sum(r["hours"] for r in rows) if rows else None}
