"""Corrections name rows of the Parquet activity store: refused, out loud.

Store files are never changed after their import (their SHA-256 is registered and chained
in the audit log), so a store row cannot carry a void. Without this refusal, voiding a store
batch said "no live activity rows" and a store row's id "no activity row": both false, and a
user could take the row for corrected. The refusal names the store and changes nothing.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.ledger.activity_store import has_files, rows_by_id
from esgledger.ledger.models import ActivityRecord
from esgledger.ledger.store_models import ActivityFile

NEVER = "rows kept in the activity store are never voided or changed (their files are sealed)"


class Named(Protocol):
    """What a correction names: some ids, or one import batch (``voiding.Selection``)."""

    @property
    def ids(self) -> tuple[int, ...]: ...

    @property
    def batch(self) -> int | None: ...


def refuse_store_rows(session: Session, selection: Named) -> None:
    """Raise a one-line :class:`InvalidInput` when the selection names a store batch or a
    store row; a workspace without store files asks one count."""
    if not has_files(session):
        return
    if selection.batch is not None:
        stored = select(ActivityFile.id).where(ActivityFile.batch_id == selection.batch)
        if session.scalar(stored.limit(1)) is not None:
            raise InvalidInput(f"batch {selection.batch} wrote the activity store: {NEVER}")
        return
    wanted = set(selection.ids)
    in_ledger = set(session.scalars(select(ActivityRecord.id).where(ActivityRecord.id.in_(wanted))))
    stored_rows = rows_by_id(session, wanted - in_ledger)
    if stored_rows:
        raise InvalidInput(f"activity row {min(stored_rows)} is in the activity store: {NEVER}")
