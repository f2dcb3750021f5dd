"""Reading the whistleblowing register: counts for everyone who reads KPIs, cases for
compliance officers only.

Counts (by type, channel, state, outcome) carry no content and no case code, so they can be
shown on the dashboard and in the report; the list of cases needs ``cases.read``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, require
from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_models import WhistleCase
from esgledger.registers.whistle import CASES, closed_within_sla

MAX_LIMIT = 1000


def _in_year(year: int | None) -> Select[WhistleCase]:
    stmt = select(WhistleCase)
    if year:
        stmt = stmt.where(
            WhistleCase.received_at >= dt.datetime(year, 1, 1),
            WhistleCase.received_at < dt.datetime(year + 1, 1, 1),
        )
    return stmt


def case_counts(session: Session, user: Principal, *, year: int | None = None) -> dict[str, Any]:
    """Cases received (in ``year``) by type, channel, state and outcome; no content."""
    require(user, "kpis.read")
    cases = list(session.scalars(_in_year(year)))
    return {
        "year": year,
        "received": len(cases),
        "by_type": dict(sorted(Counter(c.case_type for c in cases).items())),
        "by_channel": dict(sorted(Counter(c.channel for c in cases).items())),
        "by_state": dict(sorted(Counter(c.state for c in cases).items())),
        "substantiated": sum(c.outcome == "substantiated" for c in cases),
        "closed": sum(c.closed_at is not None for c in cases),
        "closed_within_sla": sum(closed_within_sla(c) for c in cases),
    }


def case_dict(case: WhistleCase, now: dt.datetime) -> dict[str, Any]:
    return {
        "code": case.ref,
        "entity": case.entity_id,
        "channel": case.channel,
        "type": case.case_type,
        "received": case.received_at.isoformat(timespec="seconds"),
        "description": case.description,
        "state": case.state,
        "investigator": case.investigator,
        "outcome": case.outcome,
        "corrective_action": case.corrective_action,
        "closed": case.closed_at.isoformat(timespec="seconds") if case.closed_at else None,
        "retaliation_note": case.retaliation_note,
        "clock": CASES.clock(case.state, case.state_changed_at, now).as_dict(),
        "version": case.version,
    }


def list_cases(
    session: Session,
    user: Principal,
    *,
    year: int | None = None,
    state: str | None = None,
    case_type: str | None = None,
    overdue: bool = False,
    limit: int = 100,
) -> dict[str, Any]:
    """``{"total", "rows"}``: cases with their content, newest first; compliance only."""
    require(user, "cases.read")
    stmt = _in_year(year)
    if state:
        stmt = stmt.where(WhistleCase.state == state)
    if case_type:
        stmt = stmt.where(WhistleCase.case_type == case_type)
    now = utcnow()
    rows = [
        case_dict(c, now)
        for c in session.scalars(stmt.order_by(WhistleCase.received_at.desc(), WhistleCase.id))
    ]
    if overdue:
        rows = [r for r in rows if r["clock"]["overdue"]]
    return {"total": len(rows), "rows": rows[: max(1, min(limit, MAX_LIMIT))]}


SORT_KEYS: dict[str, Any] = {  # column attributes, as paginate sorts by them
    "received": WhistleCase.received_at,
    "code": WhistleCase.ref,
    "type": WhistleCase.case_type,
    "state": WhistleCase.state,
    "entity": WhistleCase.entity_id,
}


def page_cases(
    session: Session,
    user: Principal,
    params: ListParams,
    *,
    state: str | None = None,
    case_type: str | None = None,
) -> Page[dict[str, Any]]:
    """One page of cases for the compliance page: filters, search over code and text, sort."""
    require(user, "cases.read")
    stmt = select(WhistleCase)
    if state:
        stmt = stmt.where(WhistleCase.state == state)
    if case_type:
        stmt = stmt.where(WhistleCase.case_type == case_type)
    if params.search:
        text = params.search.lower()
        stmt = stmt.where(
            or_(
                func.lower(WhistleCase.ref).contains(text, autoescape=True),
                func.lower(WhistleCase.description).contains(text, autoescape=True),
            )
        )
    found = paginate(session, stmt, params, SORT_KEYS, (WhistleCase.id.asc(),), reverse_ties=True)
    now = utcnow()
    return found.with_rows([case_dict(c, now) for c in found.rows])
