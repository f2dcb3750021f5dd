"""Only the request's named reviewer (or an admin) approves or returns it."""

from __future__ import annotations

import pytest

from esgledger.auth.permissions import PermissionDenied
from esgledger.workflow import review
from esgledger.workflow.requests import get_request
from esgledger.workflow.values import enter_value
from tests.workflow.conftest import Org, issue


def _submitted(org: Org, reviewer: str | None) -> int:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"], reviewer=reviewer)
    with org.db.write() as s:
        enter_value(s, org.olga, rid, version=1, value=2, unit="t")
        review.submit(s, org.olga, rid, version=2)
    return rid


def test_another_reviewer_or_the_manager_is_refused_and_nothing_changes(org: Org) -> None:
    rid = _submitted(org, "rita")
    steps = {
        "approve": lambda s, who: review.approve(s, who, rid, version=3),
        "return": lambda s, who: review.return_request(s, who, rid, version=3, comment="why"),
    }
    for verb, step in steps.items():
        for who in (org.rex, org.manager):
            with pytest.raises(PermissionDenied) as err, org.db.write() as s:
                step(s, who)
            assert "\n" not in str(err.value)
            if who is org.rex:
                assert str(err.value) == (
                    f"rex may not {verb} request {rid}: its reviewer is rita; "
                    f"only rita or an admin may {verb} it"
                )
    with org.db.read() as s:
        assert (get_request(s, rid).state, get_request(s, rid).version) == ("submitted", 3)
    with org.db.write() as s:
        assert review.approve(s, org.rita, rid, version=3).state == "approved"


def test_an_admin_may_step_in_and_unassigned_requests_are_open_to_reviewers(org: Org) -> None:
    rid = _submitted(org, "rita")
    with org.db.write() as s:
        assert review.return_request(s, org.admin, rid, version=3, comment="x").state == "returned"
    (free,) = issue(org, ["workforce.headcount"], ["SZ1"], reviewer=None)
    with org.db.write() as s:
        enter_value(s, org.olga, free, version=1, value=20, unit="person")
        review.submit(s, org.olga, free, version=2)
        assert review.approve(s, org.rex, free, version=3).state == "approved"
        assert review.return_request(s, org.manager, free, version=4, comment="y").state == (
            "returned"
        )
