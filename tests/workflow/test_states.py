"""The request state machine: every legal step, every illegal one refused in one line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from esgledger.auth.permissions import PermissionDenied
from esgledger.errors import Conflict, InvalidInput
from esgledger.ledger import audit
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.workflow_models import RequestComment
from esgledger.workflow import review
from esgledger.workflow.requests import get_request
from esgledger.workflow.states import EDITABLE, STATES, TRANSITIONS, next_state
from esgledger.workflow.values import enter_value
from tests.workflow.conftest import Org, issue

LEGAL = [
    ("draft", "enter", "draft"),
    ("returned", "enter", "returned"),
    ("draft", "submit", "submitted"),
    ("returned", "submit", "submitted"),
    ("submitted", "approve", "approved"),
    ("submitted", "return", "returned"),
    ("approved", "return", "returned"),
    ("approved", "lock", "locked"),
    ("locked", "restate", "submitted"),
]
STEPS = ["enter", *TRANSITIONS]
ILLEGAL = [
    (state, step)
    for state in STATES
    for step in STEPS
    if not any(s == state and t == step for s, t, _ in LEGAL)
]


@pytest.mark.parametrize(("state", "step", "target"), LEGAL)
def test_legal_steps(state: str, step: str, target: str) -> None:
    assert next_state(7, state, step) == target


@pytest.mark.parametrize(("state", "step"), ILLEGAL)
def test_illegal_steps_are_refused_in_one_line(state: str, step: str) -> None:
    with pytest.raises(Conflict) as err:
        next_state(7, state, step)
    message = str(err.value)
    assert message.startswith(f"cannot {step} request 7: it is {state}; ")
    assert "\n" not in message and len(message) < 200


def test_the_tables_agree() -> None:
    assert len(LEGAL) + len(ILLEGAL) == len(STATES) * len(STEPS)
    assert {"draft", "returned"} == EDITABLE
    with pytest.raises(Conflict, match="locked values cannot be edited; a change after lock is a"):
        next_state(1, "locked", "enter")


def _version(org: Org, request_id: int) -> int:
    with org.db.read() as session:
        return get_request(session, request_id).version


def test_the_whole_cycle_with_return_four_eyes_and_audit(org: Org) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    db = org.db
    with pytest.raises(Conflict, match="it has no value yet; enter one first"), db.write() as s:
        review.submit(s, org.olga, rid, version=1)
    with db.write() as s:
        enter_value(s, org.olga, rid, version=1, value=12.5, unit="t")
    with pytest.raises(Conflict, match="cannot approve request 1: it is draft"), db.write() as s:
        review.approve(s, org.rita, rid, version=2)
    with db.write() as s:
        assert review.submit(s, org.olga, rid, version=2).state == "submitted"
    with pytest.raises(Conflict, match="it awaits review; a reviewer must"), db.write() as s:
        enter_value(s, org.olga, rid, version=3, value=13, unit="t")
    with pytest.raises(InvalidInput, match="a comment is required"), db.write() as s:
        review.return_request(s, org.rita, rid, version=3, comment="  ")
    with db.write() as s:
        review.return_request(s, org.rita, rid, version=3, comment="Missing March invoices")
    with db.write() as s:
        enter_value(s, org.olga, rid, version=4, value=13.25, unit="t")
        review.submit(s, org.olga, rid, version=5)
    with pytest.raises(PermissionDenied, match="may not approve requests"), db.write() as s:
        review.approve(s, org.olga, rid, version=6)
    with pytest.raises(PermissionDenied, match="may not lock requests"), db.write() as s:
        review.lock(s, org.rita, rid, version=6)
    with db.write() as s:
        assert review.approve(s, org.rita, rid, version=6).state == "approved"
    with pytest.raises(Conflict, match="approved values cannot be edited"), db.write() as s:
        enter_value(s, org.olga, rid, version=7, value=14, unit="t")
    with db.write() as s:
        assert review.lock(s, org.manager, rid, version=7).state == "locked"
    with db.read() as s:
        assert [c.body for c in s.scalars(select(RequestComment))] == ["Missing March invoices"]
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.subject == f"request:{rid}")))
        steps = [(e.actor, e.action, json.loads(e.payload)["to"]) for e in events]
        assert audit.verify(s).ok
    assert steps == [
        ("olga", "request.enter", "draft"),
        ("olga", "request.submit", "submitted"),
        ("rita", "request.return", "returned"),
        ("olga", "request.enter", "returned"),
        ("olga", "request.submit", "submitted"),
        ("rita", "request.approve", "approved"),
        ("mia", "request.lock", "locked"),
    ]
    assert _version(org, rid) == 8, "one version per step"


def test_whoever_submitted_cannot_approve(org: Org) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["WH1"], owner="ada", reviewer="rex")
    with org.db.write() as s:
        enter_value(s, org.admin, rid, version=1, value=1, unit="t")
        review.submit(s, org.admin, rid, version=2)
    with pytest.raises(PermissionDenied, match="cannot also approve it"), org.db.write() as s:
        review.approve(s, org.admin, rid, version=3)
    with org.db.write() as s:
        assert review.approve(s, org.rex, rid, version=3).state == "approved"
