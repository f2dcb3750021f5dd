"""Issue #14 (pages): the audit page keeps its chain verification and walks only new events,
yet flags a tampered chain at the next view even after a cached verification."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update

from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.web import chain_check
from tests.web.conftest import log_in, make_user


def _chain(web: TestClient) -> str:
    page = web.get("/audit").text
    return page.split('data-testid="chain"')[1].split("</p>")[0]


def _events(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_new_events_are_verified_and_tampering_is_flagged_after_a_cached_check(
    db: Database, web: TestClient
) -> None:
    for name in ("ann", "bob", "cyd"):
        make_user(db, name, "auditor")
    log_in(web, "ann")
    assert 'data-ok="true"' in _chain(web)
    make_user(db, "dan", "auditor")  # new events: only the tail is walked, and it verifies
    grown = _chain(web)
    assert 'data-ok="true"' in grown and f"{_events(db)} events" in grown
    with db.write() as session:  # a forged event appended with a wrong link
        top = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert top is not None
        session.add(AuditEvent(id=top.id + 1, ts=top.ts, actor="mallory", action="user.add",
                               subject="user:eve", payload="{}", prev_hash="0" * 64,
                               hash="f" * 64))  # fmt: skip
    assert f"broken at event {top.id + 1}" in _chain(web)
    with db.write() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == top.id + 1))
    assert 'data-ok="true"' in _chain(web)
    with db.write() as session:  # an old event deleted: fewer events than the cached check
        session.execute(delete(AuditEvent).where(AuditEvent.id == 2))
    assert "broken at event 3" in _chain(web)


def test_an_edit_keeping_every_length_is_caught_by_the_next_full_walk(
    db: Database, web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(db, "ann", "auditor")
    log_in(web, "ann")
    assert 'data-ok="true"' in _chain(web)
    with db.write() as session:  # the same length: the fingerprint cannot see it
        first = session.get(AuditEvent, 1)
        assert first is not None
        forged = first.actor[:-1] + ("x" if first.actor[-1] != "x" else "y")
        session.execute(update(AuditEvent).where(AuditEvent.id == 1).values(actor=forged))
    monkeypatch.setattr(chain_check, "FULL_EVERY_SECONDS", 0.0)  # the kept walk is now old
    assert "broken at event 1" in _chain(web)
