"""Issue #14 (lower): refusals leave a trace. Failed logins, throttled logins and 403s (API
and pages) are events in the audit log, with who, what and from where."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.auth.sessions import SessionPolicy
from esgledger.auth.tokens import issue_token
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from tests.web.conftest import csrf_of, log_in, make_user


def _events(db: Database, action: str) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    with db.read() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return [(e.actor, e.subject, json.loads(e.payload)) for e in rows]


def _login(web: TestClient, username: str, password: str) -> int:
    token = csrf_of(web.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    return web.post("/login", data=data).status_code


def test_failed_and_throttled_logins_are_audited(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    limit = SessionPolicy.from_settings().max_failures
    assert [_login(web, "mia", "guess") for _ in range(limit)] == [401] * limit
    assert _login(web, "mia", "guess") == 429
    failed = _events(db, "user.login_failed")
    assert len(failed) == limit and failed[0][1] == "user:mia" and "client" in failed[0][2]
    [throttled] = _events(db, "user.login_throttled")
    assert throttled[1] == "user:mia" and throttled[2]["retry_after"] > 0


def test_403s_are_audited_on_pages_and_api(db: Database, web: TestClient) -> None:
    make_user(db, "aldo", "auditor")
    with db.write() as session:
        token, _ = issue_token(session, "aldo", actor="setup")
    headers = {"Authorization": f"Bearer {token}"}
    denied = web.post("/api/v1/requests/lock-year", json={"year": 2025}, headers=headers)
    assert denied.status_code == 403
    log_in(web, "aldo")
    assert web.get("/requests/issue").status_code == 403
    events = _events(db, "access.denied")
    assert [(actor, subject) for actor, subject, _ in events] == [
        ("aldo", "POST /api/v1/requests/lock-year"),
        ("aldo", "GET /requests/issue"),
    ]
    assert all(payload["reason"] for _, _, payload in events)
