"""Reading the complaints and vulnerability registers for the interfaces: filtered by state,
severity, entity, channel or source and year, searched over ref and product line, sorted
and paged; each row with its SLA clock (:func:`~.complaints.complaint_dict`,
:func:`~.vulnerabilities.vulnerability_dict`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_lines import slas
from esgledger.ledger.register_models import Complaint, Vulnerability
from esgledger.registers.complaints import REGISTER as COMPLAINTS
from esgledger.registers.complaints import complaint_dict
from esgledger.registers.listing import MAX_LIMIT
from esgledger.registers.vulnerabilities import REGISTER as VULNS
from esgledger.registers.vulnerabilities import vulnerability_dict

COMPLAINT_SORTS: dict[str, Any] = {
    "accepted": Complaint.accepted_at,
    "ref": Complaint.ref,
    "entity": Complaint.entity_id,
    "severity": Complaint.severity,
    "state": Complaint.state,
}
VULNERABILITY_SORTS: dict[str, Any] = {
    "intake": Vulnerability.intake_at,
    "ref": Vulnerability.ref,
    "score": Vulnerability.cvss_score,
    "state": Vulnerability.state,
}


def _where(stmt: Select[Any], model: Any, filters: dict[str, str | None]) -> Select[Any]:
    for column, value in filters.items():
        if value:
            stmt = stmt.where(getattr(model, column) == value)
    return stmt


def _year(stmt: Select[Any], column: Any, year: int | None) -> Select[Any]:
    if not year:
        return stmt
    return stmt.where(column >= dt.datetime(year, 1, 1), column < dt.datetime(year + 1, 1, 1))


def _search(stmt: Select[Any], model: Any, text: str | None) -> Select[Any]:
    if not text:
        return stmt
    needle = text.lower()
    return stmt.where(
        or_(
            func.lower(model.ref).contains(needle, autoescape=True),
            func.lower(model.product_line).contains(needle, autoescape=True),
        )
    )


def complaints_query(
    *,
    year: int | None = None,
    state: str | None = None,
    severity: str | None = None,
    entity: str | None = None,
    channel: str | None = None,
    search: str | None = None,
) -> Select[Any]:
    stmt = _where(
        select(Complaint),
        Complaint,
        {"state": state, "severity": severity, "entity_id": entity, "channel": channel},
    )
    return _search(_year(stmt, Complaint.accepted_at, year), Complaint, search)


def vulnerabilities_query(
    *,
    year: int | None = None,
    state: str | None = None,
    severity: str | None = None,
    entity: str | None = None,
    source: str | None = None,
    search: str | None = None,
) -> Select[Any]:
    stmt = _where(
        select(Vulnerability),
        Vulnerability,
        {"state": state, "severity": severity, "entity_id": entity, "source": source},
    )
    return _search(_year(stmt, Vulnerability.intake_at, year), Vulnerability, search)


def page_complaints(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    """One page of complaints for the page: filters, search over ref and product line, sort."""
    found = paginate(
        session, complaints_query(search=params.search, **filters), params, COMPLAINT_SORTS,
        (Complaint.id.asc(),),
    )  # fmt: skip
    table, now = slas(session, COMPLAINTS), utcnow()
    return Page([complaint_dict(c, table, now) for c in found.rows], found.total, params)


def page_vulnerabilities(
    session: Session, params: ListParams, **filters: Any
) -> Page[dict[str, Any]]:
    """One page of vulnerabilities for the page: filters, search, sort."""
    found = paginate(
        session, vulnerabilities_query(search=params.search, **filters), params,
        VULNERABILITY_SORTS, (Vulnerability.id.asc(),),
    )  # fmt: skip
    table, now = slas(session, VULNS), utcnow()
    return Page([vulnerability_dict(v, table, now) for v in found.rows], found.total, params)


def _listed(session: Session, stmt: Select[Any], order: Any, limit: int, offset: int) -> Any:
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    limit = max(1, min(limit, MAX_LIMIT))
    return total, session.scalars(stmt.order_by(*order).offset(max(0, offset)).limit(limit))


def list_complaints(
    session: Session, *, limit: int = 100, offset: int = 0, **filters: Any
) -> dict[str, Any]:
    """``{"total", "rows"}``: complaints matching the filters, newest first."""
    total, rows = _listed(
        session, complaints_query(**filters), (Complaint.accepted_at.desc(), Complaint.id),
        limit, offset,
    )  # fmt: skip
    table, now = slas(session, COMPLAINTS), utcnow()
    return {"total": total, "rows": [complaint_dict(c, table, now) for c in rows]}


def list_vulnerabilities(
    session: Session, *, limit: int = 100, offset: int = 0, **filters: Any
) -> dict[str, Any]:
    """``{"total", "rows"}``: vulnerabilities matching the filters, newest first."""
    total, rows = _listed(
        session, vulnerabilities_query(**filters),
        (Vulnerability.intake_at.desc(), Vulnerability.id), limit, offset,
    )  # fmt: skip
    table, now = slas(session, VULNS), utcnow()
    return {"total": total, "rows": [vulnerability_dict(v, table, now) for v in rows]}
