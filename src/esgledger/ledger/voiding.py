"""Voiding activity rows, and reversing it: corrections that keep history.

A voided row stays stored with when, by whom and why, so the audit log, ``esg activities
list --history`` and the lineage of past calculation runs still show it; it no longer counts
in calculations, KPIs or checks, and no longer holds its natural key, so a corrected row may
take its place. Un-voiding is refused while a live row holds the key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ledger import audit, digests
from esgledger.ledger.certificate_claims import reclaim, release
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord, ImportBatch, utcnow
from esgledger.ledger.store_voids import refuse_store_rows

CHUNK = 1000  # ids per UPDATE: well under every database's limit of bound parameters


@dataclass(frozen=True)
class Selection:
    """Which rows a correction names: some ids, or one import batch."""

    ids: tuple[int, ...] = ()
    batch: int | None = None

    def __post_init__(self) -> None:
        if bool(self.ids) == (self.batch is not None):
            raise InvalidInput("name the rows to correct: --id (repeatable) or --batch, not both")

    @property
    def subject(self) -> str:
        return f"batch:{self.batch}" if self.batch is not None else "activities"


def void_rows(session: Session, ids: Sequence[int], *, reason: str, actor: str) -> int:
    """Void the live rows among ``ids`` in the caller's transaction, giving back the
    certificate ids they claim; returns how many."""
    done = _update(
        session, ids, voided=False, voided_at=utcnow(), voided_by=actor, void_reason=reason
    )
    release(session, ids)
    return done


def void_activities(
    db: Database, selection: Selection, *, reason: str, actor: str
) -> dict[str, Any]:
    """Void the named live rows with a reason, audit-logged; refuses ids already voided."""
    reason = _required(reason)
    with db.write() as session:
        ids = _chosen(session, selection, voided=False)
        _all_changed(void_rows(session, ids, reason=reason, actor=actor), ids)
        return _logged(session, "activities.void", selection, ids, reason=reason, actor=actor)


def unvoid_activities(
    db: Database, selection: Selection, *, reason: str, actor: str
) -> dict[str, Any]:
    """Make voided rows count again; refused while a live row holds one of their keys."""
    reason = _required(reason)
    with db.write() as session:
        ids = _chosen(session, selection, voided=True)
        _refuse_taken_keys(session, ids)
        try:
            changed = _update(
                session, ids, voided=True, voided_at=None, voided_by=None, void_reason=None
            )
        except IntegrityError:
            raise Conflict(
                "these rows share a key with each other or with a row stored meanwhile; "
                "un-void them one at a time (--id)"
            ) from None
        _all_changed(changed, ids)
        reclaim(session, ids)  # refused while another live row claims one of their ids
        return _logged(session, "activities.unvoid", selection, ids, reason=reason, actor=actor)


def _update(session: Session, ids: Sequence[int], *, voided: bool, **values: Any) -> int:
    """Set ``values`` on the rows among ``ids`` still voided (or live); returns how many."""
    state = ActivityRecord.voided_at.is_not(None) if voided else ActivityRecord.voided_at.is_(None)
    done = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        result = session.execute(
            update(ActivityRecord).where(ActivityRecord.id.in_(chunk), state).values(**values),
            execution_options={"synchronize_session": False},
        )
        done += result.rowcount or 0  # type: ignore[attr-defined]
        batches = select(ActivityRecord.batch_id).where(ActivityRecord.id.in_(chunk)).distinct()
        for batch_id in session.scalars(batches):
            digests.touch(session, digests.voids_scope(batch_id))  # the event digests the state
    return done


def _all_changed(changed: int, ids: Sequence[int]) -> None:
    """On PostgreSQL another user may have corrected the same rows since we read them."""
    if changed != len(ids):
        raise Conflict("another user corrected some of these rows meanwhile; nothing was changed")


def _required(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput("a correction needs a reason (--reason)")
    return reason.strip()


def _chosen(session: Session, selection: Selection, *, voided: bool) -> list[int]:
    """Ids of the selected rows in the wanted state, or a one-line refusal naming why."""
    refuse_store_rows(session, selection)
    state = ActivityRecord.voided_at.is_not(None) if voided else ActivityRecord.voided_at.is_(None)
    if selection.batch is not None:
        batch = session.get(ImportBatch, selection.batch)
        if batch is None or batch.kind != "activities":
            raise NotFound(f"no activity import batch {selection.batch}; `esg activities list`")
        ids = list(
            session.scalars(
                select(ActivityRecord.id)
                .where(ActivityRecord.batch_id == batch.id, state)
                .order_by(ActivityRecord.id)
            )
        )
        if not ids:
            shown = "voided" if voided else "live"
            raise Conflict(f"batch {batch.id} has no {shown} activity rows")
        return ids
    wanted = sorted(set(selection.ids))
    found = dict(
        session.execute(
            select(ActivityRecord.id, ActivityRecord.voided_at).where(ActivityRecord.id.in_(wanted))
        ).all()
    )
    for ident in wanted:
        if ident not in found:
            raise NotFound(f"no activity row {ident}; `esg activities list` shows the ids")
        if (found[ident] is not None) != voided:
            shown = "live" if voided else "already voided"
            raise Conflict(f"activity row {ident} is {shown}")
    return wanted


def _refuse_taken_keys(session: Session, ids: list[int]) -> None:
    """Name the first row whose key a live row now holds (say, the one that replaced it)."""
    target, holder = aliased(ActivityRecord), aliased(ActivityRecord)
    same_key = and_(
        holder.entity_id == target.entity_id,
        holder.start == target.start,
        holder.end == target.end,
        holder.activity == target.activity,
        holder.attributes == target.attributes,
        holder.voided_at.is_(None),
    )
    for start in range(0, len(ids), CHUNK):
        clash = session.execute(
            select(target.id, holder.id, holder.batch_id)
            .join(holder, same_key)
            .where(target.id.in_(ids[start : start + CHUNK]))
            .order_by(target.id)
            .limit(1)
        ).first()
        if clash is not None:
            raise Conflict(
                f"activity row {clash[0]} cannot count again: live row {clash[1]} "
                f"(batch {clash[2]}) holds its key; void that one first"
            )


def _logged(
    session: Session,
    action: str,
    selection: Selection,
    ids: list[int],
    *,
    reason: str,
    actor: str,
) -> dict[str, Any]:
    """One audit event per correction; a batch's ids are summed up by a digest."""
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()
    summary: dict[str, Any] = {"rows": len(ids), "reason": reason, "ids_sha256": digest}
    if selection.batch is not None:
        summary["batch"] = selection.batch
    else:
        summary["ids"] = ids
    audit.record(session, actor=actor, action=action, subject=selection.subject, payload=summary)
    return summary
