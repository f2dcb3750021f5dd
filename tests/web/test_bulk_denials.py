"""Issue #14: a refusal inside bulk approve is an ``access.denied`` event in the audit log,
exactly like the refusal of the single Approve button for the same request."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.workflow import review
from esgledger.workflow.values import enter_value
from tests.web.test_daily_work import issue
from tests.web.test_workflow_pages import login, org, state

__all__ = ["org"]  # the fixture, imported for pytest


def _denials(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(AuditEvent.id)
        )
        return [(e.actor, e.subject, json.loads(e.payload)["reason"]) for e in rows]


def test_a_bulk_refusal_is_audited_like_the_single_buttons(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"], owner="ada", reviewer=None)
    with org.write() as s:
        req = enter_value(s, principal(s, "ada"), rid, version=1, value=3.0, unit="t")
        review.submit(s, principal(s, "ada"), rid, version=req.version)
    token = login(web, org, "ada")
    version = state(org, rid)["version"]
    single = web.post(f"/requests/{rid}/approve", data={"csrf_token": token, "version": version})
    assert single.status_code == 403
    bulk = web.post("/review/approve", data={"csrf_token": token, "item": [f"{rid}:{version}"]})
    assert bulk.status_code == 409 and state(org, rid)["state"] == "submitted"
    first, second = _denials(org)
    assert first == second
    assert first[:2] == ("ada", f"POST /requests/{rid}/approve") and "cannot also" in first[2]
