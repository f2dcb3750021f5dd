"""Reading the board register for the interfaces: members with their seats, meetings with
their attendance, filtered and paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.register_models import BoardAttendance, BoardMember
from esgledger.registers.board import member_dict
from esgledger.registers.listing import MAX_LIMIT

SORT_KEYS: dict[str, Any] = {  # column attributes, as paginate sorts by them
    "name": BoardMember.name,
    "entity": BoardMember.entity_id,
    "role": BoardMember.role,
    "appointed": BoardMember.appointed_on,
    "born": BoardMember.birth_year,
}


def _members(
    *,
    year: int | None,
    entity: str | None,
    search: str | None,
    committee: str | None,
) -> Select[BoardMember]:
    stmt = select(BoardMember)
    if year:
        end = dt.date(year, 12, 31)
        stmt = stmt.where(
            BoardMember.appointed_on <= end,
            or_(BoardMember.left_on.is_(None), BoardMember.left_on > end),
        )
    if entity:
        stmt = stmt.where(BoardMember.entity_id == entity)
    if search:
        text = search.lower()
        stmt = stmt.where(
            or_(
                func.lower(BoardMember.name).contains(text, autoescape=True),
                func.lower(BoardMember.ref).contains(text, autoescape=True),
            )
        )
    if committee:
        stmt = stmt.where(BoardMember.committees.contains(committee.lower(), autoescape=True))
    return stmt


def _day(year: int | None) -> dt.date:
    """The day ``serving`` is judged on: the year's end, or today."""
    return dt.date(year, 12, 31) if year else dt.date.today()


def list_members(
    session: Session,
    *,
    year: int | None = None,
    entity: str | None = None,
    search: str | None = None,
    committee: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """``{"total", "rows"}``: members (serving at the end of ``year`` if given), by name."""
    stmt = _members(year=year, entity=entity, search=search, committee=committee)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ordered = stmt.order_by(BoardMember.entity_id, BoardMember.name, BoardMember.id)
    limit = max(1, min(limit, MAX_LIMIT))
    members = session.scalars(ordered.offset(max(0, offset)).limit(limit))
    return {"total": total, "rows": [member_dict(m, _day(year)) for m in members]}


def page_members(
    session: Session,
    params: ListParams,
    *,
    year: int | None = None,
    entity: str | None = None,
    committee: str | None = None,
) -> Page[dict[str, Any]]:
    """One page of members for the board page: filters, search over name and ref, sort."""
    stmt = _members(year=year, entity=entity, search=params.search, committee=committee)
    found = paginate(session, stmt, params, SORT_KEYS, (BoardMember.id.asc(),), reverse_ties=True)
    return found.with_rows([member_dict(m, _day(year)) for m in found.rows])


def list_meetings(
    session: Session, *, year: int | None = None, entity: str | None = None
) -> list[dict[str, Any]]:
    """Each meeting with its attendance counted (present, proxy, absent), oldest first."""
    stmt = select(
        BoardAttendance.entity_id,
        BoardAttendance.meeting_ref,
        BoardAttendance.body,
        BoardAttendance.held_on,
        BoardAttendance.attendance,
        func.count(),
    ).group_by(
        BoardAttendance.entity_id,
        BoardAttendance.meeting_ref,
        BoardAttendance.body,
        BoardAttendance.held_on,
        BoardAttendance.attendance,
    )
    if entity:
        stmt = stmt.where(BoardAttendance.entity_id == entity)
    if year:
        stmt = stmt.where(
            BoardAttendance.held_on >= dt.date(year, 1, 1),
            BoardAttendance.held_on <= dt.date(year, 12, 31),
        )
    meetings: dict[tuple[str, str], dict[str, Any]] = {}
    for entity_id, ref, body, held_on, attendance, count in session.execute(stmt):
        meeting = meetings.setdefault(
            (entity_id, ref),
            {
                "entity": entity_id,
                "meeting": ref,
                "body": body,
                "date": held_on.isoformat(),
                "present": 0,
                "proxy": 0,
                "absent": 0,
            },
        )
        meeting[attendance] = count
    return sorted(meetings.values(), key=lambda m: (m["date"], m["entity"], m["meeting"]))
