"""Issue #14, the write mix's server CPU: an audit event is written with one ``INSERT`` in
the writer's transaction, without the ORM's unit of work (its flush was a sixth of a value
entry's CPU). The event is still what the chain holds, field for field, commits or rolls
back with the write, and the chain verifies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from esgledger.ledger import audit
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent

FIELDS = ("id", "ts", "actor", "action", "subject", "payload", "prev_hash", "hash")


def test_an_event_is_inserted_as_recorded_and_chained(db: Database) -> None:
    with db.write() as session:
        first = audit.record(session, actor="t", action="x.one", subject="s:1", payload={"a": 1})
        second = audit.record(session, actor="t", action="x.two", subject="s:2", payload={})
        assert not any(isinstance(o, AuditEvent) for o in session)  # no unit of work
        recorded = [tuple(getattr(e, f) for f in FIELDS) for e in (first, second)]
    assert second.prev_hash == first.hash and second.id == first.id + 1
    with db.read() as session:
        columns = select(*(getattr(AuditEvent, f) for f in FIELDS))
        stored = session.execute(columns.where(AuditEvent.id >= first.id)).all()
        assert [tuple(r) for r in stored] == recorded
        assert audit.verify(session).ok


def test_an_event_rolls_back_with_its_write(db: Database) -> None:
    with db.read() as session:
        before = session.scalars(select(AuditEvent.hash)).all()
    with pytest.raises(RuntimeError), db.write() as session:
        audit.record(session, actor="t", action="x.one", subject="s:1", payload={})
        raise RuntimeError("the write fails after its event")
    with db.read() as session:
        assert session.scalars(select(AuditEvent.hash)).all() == before
        assert audit.verify(session).ok
