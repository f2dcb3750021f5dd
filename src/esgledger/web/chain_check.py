"""The audit page's chain verification, walked in full once and then only over new events.

Walking the whole hash chain on every view costs hundreds of milliseconds on a year of
team work. A verification is kept per database with the head it reached and a fingerprint
of the stored events (their number, the highest id and the total length of the hashed
text), all read in one statement at each view:

- the same fingerprint, and the kept head event still hashes to its hash: the kept result;
- only new events after the kept head (the fingerprint grew by exactly their length):
  walks those alone, linked from the kept head's hash;
- anything else (a deleted, inserted or edited event, an earlier failure): the whole chain.

An edit that keeps every length (one letter for another) is caught by the full walk, which
runs again whenever the kept one is older than :data:`FULL_EVERY_SECONDS`; the page says
when every event was last re-checked.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.ledger import audit
from esgledger.ledger.audit import Head, VerifyResult, event_hash
from esgledger.ledger.models import AuditEvent

FULL_EVERY_SECONDS = 60.0
TAIL_BATCH = 5000
HASHED_TEXT = (AuditEvent.actor, AuditEvent.action, AuditEvent.subject, AuditEvent.payload,
               AuditEvent.prev_hash, AuditEvent.hash)  # fmt: skip

Fingerprint = tuple[int, int, int]  # events, highest id, total length of their text


@dataclass(frozen=True)
class ChainCheck:
    """A verification, the fingerprint it holds for, and when every event was last walked."""

    result: VerifyResult
    fingerprint: Fingerprint
    full_walk_at: dt.datetime  # UTC, shown on the page
    full_walk_clock: float  # time.monotonic() of that walk


_kept: dict[str, ChainCheck] = {}
_lock = threading.Lock()


def _length(event: AuditEvent) -> int:
    return sum(len(getattr(event, column.key)) for column in HASHED_TEXT)


def fingerprint(session: Session) -> Fingerprint:
    """(events, highest id, total length of their hashed text), in one statement."""
    text_length = func.length(AuditEvent.actor) + func.length(AuditEvent.action)
    for column in HASHED_TEXT[2:]:
        text_length = text_length + func.length(column)
    size = func.coalesce(func.sum(text_length), 0)
    count, top, total = session.execute(
        select(func.count(), func.coalesce(func.max(AuditEvent.id), 0), size)
    ).one()
    return int(count), int(top), int(total)


def chain_check(session: Session) -> ChainCheck:
    """The chain's verification as of now, reusing the last one where it still holds."""
    bind = session.get_bind()
    where = str(bind.engine.url)
    now = fingerprint(session)
    with _lock:
        last = _kept.get(where)
    if (
        last is not None
        and last.result.ok
        and last.result.head is not None
        and time.monotonic() - last.full_walk_clock < FULL_EVERY_SECONDS
        and _still_there(session, last.result.head)
    ):
        if now == last.fingerprint:
            return last
        head, (count, top, size) = last.result.head, now
        if top == count and count > head.seq:
            tail, tail_size = _walk_tail(session, head)
            if not tail.ok or last.fingerprint[2] + tail_size == size:
                check = ChainCheck(tail, now, last.full_walk_at, last.full_walk_clock)
                return _keep(where, check)
    walked = audit.verify(session)
    return _keep(where, ChainCheck(walked, now, dt.datetime.now(dt.UTC), time.monotonic()))


def _keep(where: str, check: ChainCheck) -> ChainCheck:
    with _lock:
        _kept[where] = check
    return check


def _still_there(session: Session, head: Head) -> bool:
    """The kept head event is stored unchanged (its hash recomputed from its content)."""
    event = session.get(AuditEvent, head.seq)
    return event is not None and event.hash == head.hash and event_hash(event) == head.hash


def _walk_tail(session: Session, head: Head) -> tuple[VerifyResult, int]:
    """Verify the events after ``head``, linked from it, as :func:`audit.verify` would;
    with the total length of their hashed text."""
    prev_hash, expected, count, size = head.hash, head.seq + 1, head.seq, 0
    while True:
        rows = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.id >= expected)
            .order_by(AuditEvent.id)
            .limit(TAIL_BATCH)
        ).all()
        if not rows:
            return VerifyResult(events=count, ok=True, head=Head(count, prev_hash)), size
        for event in rows:
            if event.id != expected:
                return VerifyResult(count, False, event.id, f"event {expected} is missing"), size
            if event.prev_hash != prev_hash:
                broken = VerifyResult(count, False, event.id, "its previous-hash does not match")
                return broken, size
            if event_hash(event) != event.hash:
                broken = VerifyResult(count, False, event.id, "its content does not match its hash")
                return broken, size
            prev_hash, expected, count = event.hash, expected + 1, count + 1
            size += _length(event)
