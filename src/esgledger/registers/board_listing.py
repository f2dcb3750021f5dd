"""Reading the board register for the interfaces: members with their seats, meetings with
their attendance, filtered and paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.register_models import BoardAttendance, BoardMember
from esgledger.registers.board import member_dict
from esgledger.registers.listing import MAX_LIMIT


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
    stmt = select(BoardMember)
    if entity:
        stmt = stmt.where(BoardMember.entity_id == entity)
    if search:
        like = f"%{search.lower()}%"
        stmt = stmt.where(
            or_(func.lower(BoardMember.name).like(like), func.lower(BoardMember.ref).like(like))
        )
    if committee:
        stmt = stmt.where(BoardMember.committees.contains(committee.lower()))
    day = dt.date(year, 12, 31) if year else dt.date.today()
    members = [
        m
        for m in session.scalars(stmt.order_by(BoardMember.entity_id, BoardMember.name))
        if year is None or m.serves_on(day)
    ]
    limit = max(1, min(limit, MAX_LIMIT))
    rows = [member_dict(m, day) for m in members[max(0, offset) : max(0, offset) + limit]]
    return {"total": len(members), "rows": rows}


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
