"""Optimistic locking: two people edit the same value; the second is told, nothing is lost."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from esgledger.errors import Conflict
from esgledger.ledger.workflow_models import DataRequest
from esgledger.workflow import review
from esgledger.workflow.requests import current_value, get_request
from esgledger.workflow.values import enter_value
from tests.workflow.conftest import Org, issue


def test_the_second_of_two_editors_gets_a_conflict_naming_the_first(org: Org) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["HQ"])
    # Two people open the request: both see version 1.
    with org.db.read() as first_view, org.db.read() as second_view:
        seen_by_olga = get_request(first_view, rid).version
        seen_by_mia = get_request(second_view, rid).version
    assert seen_by_olga == seen_by_mia == 1
    with org.db.write() as s:
        enter_value(s, org.olga, rid, version=seen_by_olga, value=42.0, unit="t")
    with pytest.raises(Conflict) as err, org.db.write() as s:
        enter_value(s, org.manager, rid, version=seen_by_mia, value=40.0, unit="t")
    message = str(err.value)
    assert "\n" not in message
    assert re.fullmatch(
        r"request 1 was changed by olga at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(version 2, you "
        r"had version 1\); your value 40\.0 t was not saved: reload it and try again",
        message,
    ), message
    with org.db.read() as s:
        req = get_request(s, rid)
        value = current_value(s, req)
        assert (value.value, req.version, req.updated_by) == (42.0, 2, "olga"), "olga's value kept"
    with org.db.write() as s:  # reloaded, mia's edit goes through
        enter_value(s, org.manager, rid, version=2, value=40.0, unit="t")
        assert current_value(s, get_request(s, rid)).value == 40.0


def test_every_step_checks_the_version(org: Org) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["HQ"])
    with org.db.write() as s:
        enter_value(s, org.olga, rid, version=1, value=1, unit="t")
    steps = [
        lambda s: review.submit(s, org.olga, rid, version=1),
        lambda s: review.approve(s, org.rita, rid, version=1),
        lambda s: review.return_request(s, org.rita, rid, version=1, comment="why"),
        lambda s: review.lock(s, org.manager, rid, version=1),
    ]
    for step in steps:
        with (
            pytest.raises(Conflict, match=r"was changed by olga at .* nothing was saved"),
            org.db.write() as s,
        ):
            step(s)


def test_concurrent_sessions_cannot_both_write_the_same_version(org: Org) -> None:
    """Below the service check, the row's version column refuses a stale UPDATE too."""
    from sqlalchemy.orm.exc import StaleDataError

    (rid,) = issue(org, ["packaging.plastics"], ["HQ"])
    with (
        Session(org.db.engine, expire_on_commit=False) as a,
        Session(org.db.engine, expire_on_commit=False) as b,
    ):
        mine, theirs = a.get(DataRequest, rid), b.get(DataRequest, rid)
        b.commit()  # both hold version 1; b's read transaction ends (SQLite snapshots)
        mine.instructions, mine.version = "from a", 2
        a.commit()
        theirs.instructions, theirs.version = "from b", 2
        with pytest.raises(StaleDataError):
            b.commit()
    with org.db.read() as s:
        assert get_request(s, rid).instructions == "from a"
