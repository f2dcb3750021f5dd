"""Claiming certificate ids in the write transaction, so that no id is claimed twice.

Every path that stores or revives an instrument row goes through here: the ledger and store
imports (after a replacing import voided what it replaces), voiding (which gives the ids
back) and un-voiding (which takes them again). :func:`refuse_held` names, per file row, the
ids another live row holds; :func:`record_claims` inserts the claims, and when the key is
taken meanwhile (on PostgreSQL, by a writer that committed while we wrote) refuses with the
rows whose ids the other writer took. See :mod:`esgledger.ledger.claim_models` for why a
table and not a check.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from esgledger.catalog.instruments import INSTRUMENTS, certificate_ids
from esgledger.catalog.messages import N_
from esgledger.catalog.phrases import Listed, Phrase
from esgledger.errors import ConcurrentChange, Conflict, ImportRejected, Problem
from esgledger.ingest.checker import ROW
from esgledger.ingest.instrument_columns import HELD_BY
from esgledger.ledger.claim_holders import OLDER, Holder, unclaimed_holders
from esgledger.ledger.claim_models import CertificateClaim
from esgledger.ledger.import_steps import IDS_PER_SELECT
from esgledger.ledger.models import ActivityRecord

COLUMN = "certificate_ids"
HELD_BY_ROW = N_("activity row %(row)s")
OLDER_HOLDERS = {
    "ledger": N_(
        "ledger activity row %(row)s of batch %(batch)s, stored before certificate claims were "
        "recorded; `esg db claims` lists such ids"
    ),
    "store": N_(
        "store activity row %(row)s of batch %(batch)s, stored before certificate claims were "
        "recorded; `esg db claims` lists such ids"
    ),
}
CLAIMED = N_("certificate id already claimed by a stored instrument: %(ids)s")
CLAIMED_MORE = N_(
    "certificate id already claimed by a stored instrument: %(ids)s and %(more)s more"
)


@dataclass(frozen=True)
class Claim:
    """One certificate id of one row: the row's activity id (0 before it has one), its
    batch, and the file row it came from (None for a stored row revived)."""

    certificate_id: str
    activity_id: int = 0
    batch_id: int = 0
    row: int | None = None


def file_claims(rows: pl.DataFrame) -> list[Claim]:
    """The claims of validated rows (``ROW``, ``activity``, ``attributes``), in file order."""
    instruments = rows.filter(pl.col("activity").is_in(INSTRUMENTS))
    return [
        Claim(cert, row=row)
        for row, attributes in instruments.select(ROW, "attributes").iter_rows()
        for cert in _ids(attributes)
    ]


def held_by(session: Session, ids: Iterable[str]) -> dict[str, int]:
    """Which of ``ids`` live rows claim now, and the activity id of each claimant."""
    wanted = sorted(set(ids))
    held: dict[str, int] = {}
    for start in range(0, len(wanted), IDS_PER_SELECT):
        chunk = wanted[start : start + IDS_PER_SELECT]
        found = session.execute(
            select(CertificateClaim.certificate_id, CertificateClaim.activity_id).where(
                CertificateClaim.certificate_id.in_(chunk)
            )
        )
        held.update((cert, int(row_id)) for cert, row_id in found)
    return held


def holders(session: Session, ids: Iterable[str]) -> dict[str, Phrase]:
    """Who holds each of ``ids`` held now, as a refusal names it: the row claiming it, else
    a live row stored before the claims table that no claim names (see
    :mod:`esgledger.ledger.claim_holders` for why both)."""
    wanted = set(ids)
    held = held_by(session, wanted)
    return {
        **_older(session, wanted - set(held)),
        **{cert: Phrase(HELD_BY_ROW, {"row": row}) for cert, row in held.items()},
    }


def _older(session: Session, ids: set[str]) -> dict[str, Phrase]:
    """Each of ``ids`` a live row holds unclaimed, with that row as a refusal names it (its
    English ``label(), OLDER``)."""
    return {
        cert: _older_holder(found[0]) for cert, found in unclaimed_holders(session, ids).items()
    }


def _older_holder(holder: Holder) -> Phrase:
    """The row as a refusal names it: in English, ``holder.label()``, then :data:`OLDER`."""
    return Phrase(OLDER_HOLDERS[holder.kept], {"row": holder.activity_id, "batch": holder.batch_id})


def refuse_held(session: Session, source: str, claims: Sequence[Claim]) -> None:
    """Refuse the file whole (nothing written) when a live row holds one of its ids — by
    its claim, or unclaimed since before the claims table: one problem per file row, naming
    its ids and the rows holding them."""
    ids = {c.certificate_id for c in claims}
    held = held_by(session, ids)
    problems = _problems(claims, held, _older(session, ids - set(held)))
    if problems:
        raise ImportRejected(source, problems)


def record_claims(session: Session, source: str, claims: Sequence[Claim]) -> None:
    """Insert ``claims`` in the caller's transaction. The key refuses an id another writer
    claimed since the check (it waits for that writer's commit on PostgreSQL): then the
    whole write is refused in one line naming the first such row and the column."""
    if not claims:
        return
    values = [
        {"certificate_id": c.certificate_id, "activity_id": c.activity_id, "batch_id": c.batch_id}
        for c in claims
    ]
    try:
        with session.begin_nested():
            for start in range(0, len(values), IDS_PER_SELECT):
                session.execute(insert(CertificateClaim), values[start : start + IDS_PER_SELECT])
    except IntegrityError:
        problems = _problems(claims, held_by(session, (c.certificate_id for c in claims)))
        first = problems[0].format(source) if problems else f"{source}: a certificate id"
        raise ConcurrentChange(
            f"{first}; another user claimed it while this was being written; nothing was "
            "written (run it again to compare with what is stored now)"
        ) from None


def release(session: Session, activity_ids: Collection[int]) -> None:
    """Give back the ids of rows being voided (in the caller's transaction)."""
    wanted = sorted(activity_ids)
    for start in range(0, len(wanted), IDS_PER_SELECT):
        chunk = wanted[start : start + IDS_PER_SELECT]
        session.execute(delete(CertificateClaim).where(CertificateClaim.activity_id.in_(chunk)))


def reclaim(session: Session, activity_ids: Collection[int]) -> None:
    """Take again the ids of voided rows made to count again; refused (a :class:`Conflict`
    naming the row, the id and its holder) while another live row claims one of them."""
    claims: list[Claim] = []
    wanted = sorted(activity_ids)
    for start in range(0, len(wanted), IDS_PER_SELECT):
        stored = session.execute(
            select(ActivityRecord.id, ActivityRecord.batch_id, ActivityRecord.attributes)
            .where(
                ActivityRecord.id.in_(wanted[start : start + IDS_PER_SELECT]),
                ActivityRecord.activity.in_(INSTRUMENTS),
            )
            .order_by(ActivityRecord.id)
        )
        claims.extend(
            Claim(cert, activity_id=row_id, batch_id=batch)
            for row_id, batch, attributes in stored
            for cert in _ids(attributes)
        )
    held = held_by(session, (c.certificate_id for c in claims))
    for claim in claims:
        if claim.certificate_id in held:
            raise Conflict(
                f"activity row {claim.activity_id} cannot count again: its certificate id "
                f"{claim.certificate_id} is claimed by live row {held[claim.certificate_id]}; "
                "void that one first"
            )
    older = unclaimed_holders(session, (c.certificate_id for c in claims))
    for claim in claims:
        others = [
            h for h in older.get(claim.certificate_id, []) if h.activity_id != claim.activity_id
        ]
        if others:
            raise Conflict(
                f"activity row {claim.activity_id} cannot count again: its certificate id "
                f"{claim.certificate_id} is held by live {others[0].label()}, {OLDER}; "
                "void that one first"
            )
    record_claims(session, "activities", claims)


def _problems(
    claims: Sequence[Claim], held: dict[str, int], older: dict[str, Phrase] | None = None
) -> list[Problem]:
    """One problem per file row with ids held by another row (at most five named): claimed
    (``held``: the claiming row) or held unclaimed by older data (``older``: its holder)."""
    named = {cert: Phrase(HELD_BY_ROW, {"row": row}) for cert, row in held.items()}
    for cert, holder in (older or {}).items():
        named.setdefault(cert, holder)
    by_row: dict[int | None, list[str]] = {}
    for claim in claims:
        cert = claim.certificate_id
        if cert in named and (cert not in held or held[cert] != claim.activity_id):
            by_row.setdefault(claim.row, []).append(cert)
    problems = []
    for row, ids in sorted(by_row.items(), key=lambda item: item[0] or 0):
        listed = Listed([Phrase(HELD_BY, {"id": i, "holder": named[i]}) for i in ids[:5]])
        values = {"ids": listed, "more": len(ids) - 5}
        message = CLAIMED_MORE if len(ids) > 5 else CLAIMED
        problems.append(Problem(row, COLUMN, str(Phrase(message, values)), message, values))
    return problems


def _ids(attributes: str | None) -> list[str]:
    if not attributes:
        return []
    return certificate_ids(json.loads(attributes).get(COLUMN))
