"""Reading the OHS safety registers for the interfaces: hazards, drills and special-operation
posts filtered by year, entity, state and a search, sorted and paged.

A year means: hazards identified in it (open or corrected at its end), drills held in it,
posts held on its last day (certificate status on that day). Without a year, states are
judged today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.ohs_models import Drill, Hazard, SpecialOperator
from esgledger.registers.certification_listing import day_of
from esgledger.registers.listing import MAX_LIMIT
from esgledger.registers.ohs_safety import drill_dict, hazard_dict, operator_dict

HAZARD_STATES = ("open", "corrected")
HAZARD_SORT: dict[str, Any] = {
    "identified": Hazard.identified_on,
    "entity": Hazard.entity_id,
    "risk": Hazard.risk_level,
    "corrected": Hazard.corrected_on,
}
DRILL_SORT: dict[str, Any] = {
    "held": Drill.held_on,
    "entity": Drill.entity_id,
    "participants": Drill.participants,
}
OPERATOR_SORT: dict[str, Any] = {
    "entity": SpecialOperator.entity_id,
    "person": SpecialOperator.person,
    "operation": SpecialOperator.operation,
    "expires": SpecialOperator.expires_on,
}


def _contains(text: str | None, *columns: Any) -> ColumnElement[bool] | None:
    if not text:
        return None
    needle = text.strip().lower()
    return or_(*(func.lower(c).contains(needle, autoescape=True) for c in columns))


def _in_year(column: Any, year: int | None) -> ColumnElement[bool] | None:
    if not year:
        return None
    within: ColumnElement[bool] = column.between(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return within


def _where(stmt: Select[Any], *conditions: ColumnElement[bool] | None) -> Select[Any]:
    for condition in conditions:
        if condition is not None:
            stmt = stmt.where(condition)
    return stmt


def _count(session: Session, stmt: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _hazards(
    year: int | None, entity: str | None, state: str | None, search: str | None
) -> Select[Any]:
    day = day_of(year)
    open_ = and_(
        Hazard.identified_on <= day,
        or_(Hazard.corrected_on.is_(None), Hazard.corrected_on > day),
    )
    states = {"open": open_, "corrected": ~open_}
    return _where(
        select(Hazard),
        _in_year(Hazard.identified_on, year),
        Hazard.entity_id == entity if entity else None,
        states.get(state or ""),
        _contains(search, Hazard.ref, Hazard.description),
    )


def list_hazards(
    session: Session,
    *,
    year: int | None = None,
    entity: str | None = None,
    state: str | None = None,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """``{"total", "rows"}``: hazards, newest first, open or corrected at the year's end."""
    stmt = _hazards(year, entity, state, search)
    rows = session.scalars(
        stmt.order_by(Hazard.identified_on.desc(), Hazard.id)
        .offset(max(0, offset))
        .limit(_limit(limit))
    )
    day = day_of(year)
    return {"total": _count(session, stmt), "rows": [hazard_dict(h, day) for h in rows]}


def page_hazards(
    session: Session,
    params: ListParams,
    *,
    year: int | None = None,
    entity: str | None = None,
    state: str | None = None,
) -> Page[dict[str, Any]]:
    found = paginate(
        session,
        _hazards(year, entity, state, params.search),
        params,
        HAZARD_SORT,
        (Hazard.id.asc(),),
        reverse_ties=True,
    )
    day = day_of(year)
    return found.with_rows([hazard_dict(h, day) for h in found.rows])


def _drills(year: int | None, entity: str | None, search: str | None) -> Select[Any]:
    return _where(
        select(Drill),
        _in_year(Drill.held_on, year),
        Drill.entity_id == entity if entity else None,
        _contains(search, Drill.ref, Drill.notes),
    )


def list_drills(
    session: Session,
    *,
    year: int | None = None,
    entity: str | None = None,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """``{"total", "rows"}``: emergency drills, newest first."""
    stmt = _drills(year, entity, search)
    rows = session.scalars(
        stmt.order_by(Drill.held_on.desc(), Drill.id).offset(max(0, offset)).limit(_limit(limit))
    )
    return {"total": _count(session, stmt), "rows": [drill_dict(d) for d in rows]}


def page_drills(
    session: Session, params: ListParams, *, year: int | None = None, entity: str | None = None
) -> Page[dict[str, Any]]:
    found = paginate(
        session,
        _drills(year, entity, params.search),
        params,
        DRILL_SORT,
        (Drill.id.asc(),),
        reverse_ties=True,
    )
    return found.with_rows([drill_dict(d) for d in found.rows])


def _operators(
    year: int | None, entity: str | None, certified: bool | None, search: str | None
) -> Select[Any]:
    day = day_of(year)
    post = SpecialOperator
    in_post = and_(post.assigned_on <= day, or_(post.left_on.is_(None), post.left_on > day))
    valid = and_(post.certificate != "", post.issued_on <= day, post.expires_on >= day)
    return _where(
        select(post),
        in_post if year else None,
        post.entity_id == entity if entity else None,
        None if certified is None else (valid if certified else ~valid),
        _contains(search, post.person, post.certificate),
    )


def list_operators(
    session: Session,
    *,
    year: int | None = None,
    entity: str | None = None,
    certified: bool | None = None,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """``{"total", "rows"}``: special-operation posts (those held at the year's end when a
    year is given) with their certificate's status on that day."""
    stmt = _operators(year, entity, certified, search)
    ordered = stmt.order_by(
        SpecialOperator.entity_id, SpecialOperator.person, SpecialOperator.operation
    )
    rows = session.scalars(ordered.offset(max(0, offset)).limit(_limit(limit)))
    day = day_of(year)
    return {"total": _count(session, stmt), "rows": [operator_dict(p, day) for p in rows]}


def page_operators(
    session: Session,
    params: ListParams,
    *,
    year: int | None = None,
    entity: str | None = None,
    certified: bool | None = None,
) -> Page[dict[str, Any]]:
    found = paginate(
        session,
        _operators(year, entity, certified, params.search),
        params,
        OPERATOR_SORT,
        (SpecialOperator.id.asc(),),
        reverse_ties=True,
    )
    day = day_of(year)
    return found.with_rows([operator_dict(p, day) for p in found.rows])
