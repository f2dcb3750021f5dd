"""Live instrument rows and the certificate ids they hold, wherever they are kept, and the
holders no claim names: rows stored before ``certificate_claims`` existed.

Why an import needs them: migration ``0026_scope3b`` claimed the ids of the live ledger rows
but could not read the activity store, and left unclaimed a later ledger row sharing an id
with an earlier one; ``esg db claims --backfill`` claims what is left, but until someone runs
it the table does not know those ids. Checked against the table alone, an import would take
such an id a second time (GHG Protocol Scope 2 Guidance, 2015, ch. 7, Table 7.1, criterion
2: the only instrument claiming that generation). So the import, and un-voiding, also look
for unclaimed holders of the ids they claim (:func:`unclaimed_holders`) and refuse, naming
the older row. This rather than claiming at upgrade time: an upgrade cannot settle an id two
old rows share (only voiding one can), and refusing every later import until then would
block certificates that clash with nothing; refusing the clashing rows alone, naming their
older holder, is right before and after the backfill, with no state to keep.

Cost: the ledger's live instrument rows are read (few, as for ``esg db check``); of the
store, only the files of batches that hold instrument rows (the activity types each import's
audit event lists) and have no claim yet — a batch stored since 0026 claimed all its ids at
import, and the backfill claims all of an old batch's at once — so once the backfill has run,
or in a workspace created since, no store file is read.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.instruments import INSTRUMENTS, certificate_ids
from esgledger.ledger import activity_store
from esgledger.ledger.claim_models import CertificateClaim
from esgledger.ledger.import_steps import IDS_PER_SELECT
from esgledger.ledger.models import ActivityRecord, AuditEvent
from esgledger.ledger.store_models import ActivityFile

COLUMN = "certificate_ids"
IMPORT_ACTION = "import.activities"  # the audit action of an activity import (its batch kind)


@dataclass(frozen=True)
class Holder:
    """A live instrument row holding a certificate id: its activity id, batch and where it
    is kept (``ledger`` or ``store``)."""

    activity_id: int
    batch_id: int
    kept: str

    def label(self) -> str:
        """The row as a refusal names it."""
        return f"{self.kept} activity row {self.activity_id} of batch {self.batch_id}"


def live_instruments(
    session: Session, store_batches: Collection[int] | None = None
) -> Iterator[tuple[Holder, str | None]]:
    """Every live instrument row with its attributes text: ledger rows, then the store's
    files (of ``store_batches`` when given), in id order, one file in memory at a time."""
    stmt = (
        select(ActivityRecord.id, ActivityRecord.batch_id, ActivityRecord.attributes)
        .where(ActivityRecord.voided_at.is_(None), ActivityRecord.activity.in_(INSTRUMENTS))
        .order_by(ActivityRecord.id)
        .execution_options(yield_per=10_000)
    )
    for row_id, batch_id, attributes in session.execute(stmt):
        yield Holder(int(row_id), int(batch_id), "ledger"), attributes
    if not activity_store.has_files(session) or (store_batches is not None and not store_batches):
        return
    root = activity_store.required_root(session)
    files = session.scalars(select(ActivityFile).order_by(ActivityFile.first_id)).all()
    for file in files:
        if store_batches is not None and file.batch_id not in store_batches:
            continue
        rows = activity_store.read_file(root, file)
        rows = rows.filter(pl.col("activity").is_in(INSTRUMENTS)).select("id", "attributes")
        for row_id, attributes in rows.iter_rows():
            yield Holder(int(row_id), file.batch_id, "store"), attributes


def held_ids(attributes: str | None) -> list[str]:
    """The row's certificate ids; none from a text that is not a JSON object (only the
    import writes attributes, as one, but a check reads whatever is there)."""
    try:
        parsed = json.loads(attributes) if attributes else {}
    except ValueError:
        return []
    return certificate_ids(str(parsed.get(COLUMN) or "")) if isinstance(parsed, dict) else []


OLDER = "stored before certificate claims were recorded; `esg db claims` lists such ids"


def unclaimed_holders(session: Session, ids: Iterable[str]) -> dict[str, list[Holder]]:
    """The live instrument rows holding one of ``ids`` that no claim names (data stored
    before ``certificate_claims``), per id, in row order."""
    wanted = set(ids)
    if not wanted:
        return {}
    claimant = _claimants(session, wanted)
    found: dict[str, list[Holder]] = {}
    for holder, attributes in live_instruments(session, _unsettled_store_batches(session)):
        for cert in dict.fromkeys(held_ids(attributes)):
            if cert in wanted and claimant.get(cert) != holder.activity_id:
                found.setdefault(cert, []).append(holder)
    return found


def _claimants(session: Session, ids: set[str]) -> dict[str, int]:
    """The activity row each of ``ids`` is claimed by, for those claimed."""
    wanted = sorted(ids)
    out: dict[str, int] = {}
    for start in range(0, len(wanted), IDS_PER_SELECT):
        chunk = wanted[start : start + IDS_PER_SELECT]
        out.update(
            (cert, int(row))
            for cert, row in session.execute(
                select(CertificateClaim.certificate_id, CertificateClaim.activity_id).where(
                    CertificateClaim.certificate_id.in_(chunk)
                )
            )
        )
    return out


def _unsettled_store_batches(session: Session) -> set[int]:
    """Store batches that may hold unclaimed ids: no claim names them and their import's
    audit event lists an instrument activity (or cannot be read: then it is read, to be
    safe)."""
    stored = set(session.scalars(select(ActivityFile.batch_id).distinct()))
    if not stored:
        return set()
    claimed = set(session.scalars(select(CertificateClaim.batch_id).distinct()))
    return instrument_batches(session, stored - claimed)


def instrument_batches(session: Session, batches: Collection[int]) -> set[int]:
    """The import batches among ``batches`` whose audit event lists an instrument activity
    (or cannot be read: then the batch counts, to be safe): the chain vouches for the list,
    so the others' rows need not be read for instruments."""
    candidates = sorted(batches)
    listed: dict[int, list[str] | None] = {}
    for start in range(0, len(candidates), IDS_PER_SELECT):
        subjects = [f"batch:{b}" for b in candidates[start : start + IDS_PER_SELECT]]
        events = session.execute(
            select(AuditEvent.subject, AuditEvent.payload).where(
                AuditEvent.action == IMPORT_ACTION, AuditEvent.subject.in_(subjects)
            )
        )
        for subject, payload in events:
            listed[int(subject.removeprefix("batch:"))] = _activities(payload)
    return {
        b for b in candidates if listed.get(b) is None or set(listed[b] or ()) & set(INSTRUMENTS)
    }


def _activities(payload: str) -> list[str] | None:
    """The activity types an import's audit event lists, None when it lists none."""
    try:
        found = json.loads(payload).get("activities")
    except (ValueError, AttributeError):
        return None
    return [str(a) for a in found] if isinstance(found, list) else None
