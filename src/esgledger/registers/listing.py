"""Reading register rows for the interfaces: filtered, newest first, with their SLA clocks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.ledger.models import utcnow
from esgledger.ledger.register_models import OhsHours, OhsIncident
from esgledger.registers.ohs import incident_dict

MAX_LIMIT = 1000


def list_incidents(
    session: Session,
    *,
    state: str | None = None,
    entity: str | None = None,
    year: int | None = None,
    overdue: bool = False,
    limit: int = 100,
) -> dict[str, Any]:
    """``{"total", "rows"}``: incidents matching the filters, at most ``limit`` of them."""
    stmt = select(OhsIncident)
    if state:
        stmt = stmt.where(OhsIncident.state == state)
    if entity:
        stmt = stmt.where(OhsIncident.entity_id == entity)
    if year:
        stmt = stmt.where(func.extract("year", OhsIncident.occurred_on) == year)
    now = utcnow()
    rows = [
        incident_dict(i, now)
        for i in session.scalars(stmt.order_by(OhsIncident.occurred_on.desc(), OhsIncident.id))
    ]
    if overdue:
        rows = [r for r in rows if r["clock"]["overdue"]]
    return {"total": len(rows), "rows": rows[: max(1, min(limit, MAX_LIMIT))]}


def list_hours(session: Session, *, year: int | None = None) -> list[dict[str, Any]]:
    stmt = select(OhsHours).order_by(OhsHours.year, OhsHours.entity_id, OhsHours.worker_type)
    if year:
        stmt = stmt.where(OhsHours.year == year)
    return [
        {"entity": h.entity_id, "year": h.year, "worker_type": h.worker_type, "hours": h.hours}
        for h in session.scalars(stmt)
    ]
