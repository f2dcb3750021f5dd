"""The board register: directors and their attendance at board and committee meetings.

Imports follow the house rule (:func:`esgledger.ledger.import_steps.validate_then_write`):
validated against a read, then written in one short transaction as one import batch and one
audit event whose digest covers the rows. A member already stored (same entity and ref) is
restated by a new file — a director who left gets a ``left_on`` — and the batch that held
the old row is digested again; an attendance row already stored is refused.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from esgledger.errors import Conflict
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Entity
from esgledger.ledger.register_models import BoardAttendance, BoardMember
from esgledger.registers.board_import import validate_attendance, validate_members
from esgledger.registers.ohs import Imported

MEMBER_FIELDS = (
    "name",
    "role",
    "executive",
    "independent",
    "gender",
    "birth_year",
    "appointed_on",
    "left_on",
    "committees",
)


def _entity_ids(session: Session) -> set[str]:
    return set(session.scalars(select(Entity.id)))


def import_members(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Board members from CSV or XLSX, all or nothing; a stored member is restated."""
    table = read_table(path, sheet=sheet, kind="members")

    def validate(session: Session) -> pl.DataFrame:
        return validate_members(table, entities=_entity_ids(session))

    return validate_then_write(db, validate, partial(_store_members, table=table, actor=actor))


def _store_members(session: Session, rows: pl.DataFrame, *, table: Table, actor: str) -> Imported:
    keys = list(zip(rows["entity"].to_list(), rows["ref"].to_list(), strict=True))
    stored = {
        (m.entity_id, m.ref): m
        for m in session.scalars(
            select(BoardMember).where(tuple_(BoardMember.entity_id, BoardMember.ref).in_(keys))
        )
    }
    batch = open_batch(
        session, kind="register.board_members", table=table, rows=rows.height, actor=actor
    )
    replaced, moved_from = 0, set()
    for row in rows.iter_rows(named=True):
        values = {field: row[field] for field in MEMBER_FIELDS}
        member = stored.get((row["entity"], row["ref"]))
        if member is None:
            session.add(
                BoardMember(batch_id=batch.id, entity_id=row["entity"], ref=row["ref"], **values)
            )
            continue
        moved_from.add(member.batch_id)  # that batch's digest changes too
        for field, value in values.items():
            setattr(member, field, value)
        member.batch_id = batch.id
        replaced += 1
    session.flush()
    digests.touch_batches(session, *sorted(moved_from, key=lambda b: b or 0))
    result = Imported(batch.id, rows.height - replaced, replaced)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result


def import_attendance(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Meeting attendance from CSV or XLSX, all or nothing; members must be stored first."""
    table = read_table(path, sheet=sheet, kind="attendance")

    def validate(session: Session) -> pl.DataFrame:
        members = session.execute(select(BoardMember.entity_id, BoardMember.ref)).all()
        stored = session.execute(
            select(
                BoardAttendance.entity_id, BoardAttendance.meeting_ref, BoardAttendance.member_ref
            )
        ).all()
        return validate_attendance(
            table,
            entities=_entity_ids(session),
            members={(entity, ref) for entity, ref in members},
            stored={(entity, meeting, ref) for entity, meeting, ref in stored},
        )

    return validate_then_write(db, validate, partial(_store_attendance, table=table, actor=actor))


def _store_attendance(
    session: Session, rows: pl.DataFrame, *, table: Table, actor: str
) -> Imported:
    keys = set(rows.select("entity", "meeting_ref", "member_ref").iter_rows())
    meetings = {(entity, meeting) for entity, meeting, _ in keys}
    stored = session.execute(
        select(
            BoardAttendance.entity_id, BoardAttendance.meeting_ref, BoardAttendance.member_ref
        ).where(tuple_(BoardAttendance.entity_id, BoardAttendance.meeting_ref).in_(meetings))
    ).all()
    taken = sorted(keys & {(e, meeting, ref) for e, meeting, ref in stored})
    if taken:
        raise Conflict(
            f"{table.source}: attendance at meeting {taken[0][1]!r} was added by another "
            "writer meanwhile; nothing was written, import the file again"
        )
    batch = open_batch(
        session, kind="register.board_attendance", table=table, rows=rows.height, actor=actor
    )
    session.add_all(
        BoardAttendance(
            batch_id=batch.id,
            entity_id=row["entity"],
            meeting_ref=row["meeting_ref"],
            body=row["body"],
            held_on=row["held_on"],
            member_ref=row["member_ref"],
            attendance=row["attendance"],
        )
        for row in rows.iter_rows(named=True)
    )
    session.flush()
    result = Imported(batch.id, rows.height, 0)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result


def member_dict(member: BoardMember, on: dt.date) -> dict[str, Any]:
    """A member as the interfaces show them, with age and tenure on ``on``."""
    return {
        "ref": member.ref,
        "entity": member.entity_id,
        "name": member.name,
        "role": member.role,
        "executive": member.executive,
        "independent": member.independent,
        "gender": member.gender,
        "birth_year": member.birth_year,
        "appointed_on": member.appointed_on.isoformat(),
        "left_on": member.left_on.isoformat() if member.left_on else None,
        "committees": [c for c in member.committees.split("; ") if c],
        "serving": member.serves_on(on),
    }
