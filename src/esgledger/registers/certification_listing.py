"""Reading the certification register for the interfaces: certificates filtered by entity,
standard, status at a day and a search, sorted and paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.regcert_models import Certificate
from esgledger.registers.certifications import certificate_dict
from esgledger.registers.listing import MAX_LIMIT

STATUSES = ("valid", "expired", "withdrawn", "not_yet_valid")
SORT_KEYS: dict[str, Any] = {  # column attributes, as paginate sorts by them
    "entity": Certificate.entity_id,
    "standard": Certificate.standard,
    "body": Certificate.body,
    "issued": Certificate.issued_on,
    "expires": Certificate.expires_on,
}


def _status(status: str, day: dt.date) -> Any:
    withdrawn = and_(Certificate.withdrawn_on.is_not(None), Certificate.withdrawn_on <= day)
    started = Certificate.issued_on <= day
    return {
        "not_yet_valid": ~started,
        "withdrawn": and_(started, withdrawn),
        "expired": and_(started, ~withdrawn, Certificate.expires_on < day),
        "valid": and_(started, ~withdrawn, Certificate.expires_on >= day),
    }[status]


def _certificates(
    *,
    entity: str | None,
    standard: str | None,
    status: str | None,
    day: dt.date,
    search: str | None,
) -> Select[Certificate]:
    stmt = select(Certificate)
    if entity:
        stmt = stmt.where(Certificate.entity_id == entity)
    if standard:
        stmt = stmt.where(func.lower(Certificate.standard) == standard.strip().lower())
    if status in STATUSES:
        stmt = stmt.where(_status(status, day))
    if search:
        text = search.lower()
        stmt = stmt.where(
            or_(
                *(
                    func.lower(column).contains(text, autoescape=True)
                    for column in (
                        Certificate.number,
                        Certificate.body,
                        Certificate.scope,
                        Certificate.product_model,
                    )
                )
            )
        )
    return stmt


def day_of(year: int | None) -> dt.date:
    """The day a status is judged on: the year's end, or today."""
    return dt.date(year, 12, 31) if year else dt.date.today()


def list_certificates(
    session: Session,
    *,
    year: int | None = None,
    entity: str | None = None,
    standard: str | None = None,
    status: str | None = None,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """``{"total", "rows"}``: certificates with their status at the end of ``year`` (or
    today), by entity, standard and expiry."""
    day = day_of(year)
    stmt = _certificates(entity=entity, standard=standard, status=status, day=day, search=search)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ordered = stmt.order_by(
        Certificate.entity_id, Certificate.standard, Certificate.expires_on, Certificate.id
    )
    limit = max(1, min(limit, MAX_LIMIT))
    found = session.scalars(ordered.offset(max(0, offset)).limit(limit))
    return {"total": total, "rows": [certificate_dict(c, day) for c in found]}


def page_certificates(
    session: Session,
    params: ListParams,
    *,
    year: int | None = None,
    entity: str | None = None,
    standard: str | None = None,
    status: str | None = None,
) -> Page[dict[str, Any]]:
    """One page of certificates for the certifications page."""
    day = day_of(year)
    stmt = _certificates(
        entity=entity, standard=standard, status=status, day=day, search=params.search
    )
    found = paginate(session, stmt, params, SORT_KEYS, (Certificate.id.asc(),), reverse_ties=True)
    return found.with_rows([certificate_dict(c, day) for c in found.rows])


def standards(session: Session) -> list[str]:
    """The standards in the register, for a filter's choices."""
    return list(
        session.scalars(select(Certificate.standard).distinct().order_by(Certificate.standard))
    )
