"""Issuing requests in bulk, who may see them, and the overdue list."""

from __future__ import annotations

import datetime as dt

import pytest

from esgledger.auth.permissions import PermissionDenied
from esgledger.errors import InvalidInput, NotFound
from esgledger.ledger.boundaries import create_boundary
from esgledger.workflow import review
from esgledger.workflow.requests import issue_requests, list_requests, overdue
from esgledger.workflow.values import enter_value
from tests.workflow.conftest import ISSUED, YEAR, Org, issue


def _keys(rows) -> list[tuple[str, str, str]]:
    return [(r.entity_id, r.metric_id, r.dims) for r in rows]


def test_issue_for_a_subtree_a_boundary_and_with_breakdowns(org: Org) -> None:
    with org.db.write() as s:
        first = issue_requests(s, org.manager, year=YEAR, metrics=["packaging.plastics"],
                               owner="olga", due=dt.date(2026, 3, 1), issued_on=ISSUED, subtree_of="HQ")  # fmt: skip
        create_boundary(s, code="B", year=YEAR, family="environment", include=["WH1"],
                        members={"VN1": 0.5}, actor="t")  # fmt: skip
        second = issue_requests(s, org.manager, year=YEAR, metrics=["packaging.cartons"],
                                owner="mia", due=dt.date(2026, 3, 1), issued_on=ISSUED, boundary="B")  # fmt: skip
        gender = issue_requests(s, org.manager, year=YEAR, metrics=["workforce.headcount"],
                                owner="olga", due=dt.date(2026, 3, 1), issued_on=ISSUED, entities=["HQ"],
                                breakdowns=True)  # fmt: skip
        again = issue_requests(s, org.manager, year=YEAR, metrics=["packaging.plastics"],
                               owner="olga", due=dt.date(2026, 4, 1), issued_on=ISSUED, subtree_of="HQ")  # fmt: skip
    assert (first["created"], second["created"], again) == (
        2, 2, {"created": 0, "existing": 2, "ids": []}
    )  # fmt: skip
    with org.db.read() as s:
        rows = list_requests(s, org.aldo, year=YEAR)
        headcount = [d for e, m, d in _keys(rows) if m == "workforce.headcount"]
    assert ("SZ1", "packaging.plastics", "") in _keys(rows)
    assert ("VN1", "packaging.cartons", "") in _keys(rows)
    assert "" in headcount and "gender=female" in headcount and "age_band=18-30" in headcount
    assert gender["created"] == len(headcount) == 1 + 5 + 3 + 4 + 3


def test_issuing_refuses_what_cannot_be_filled(org: Org) -> None:
    cases = [
        (dict(metrics=["packaging.total"]), InvalidInput,
         "'packaging.total' is derived from other metrics; request its inputs instead"),
        (dict(metrics=["packaging.nope"]), NotFound, "unknown metric 'packaging.nope'"),
        (dict(entities=["WH1"]), InvalidInput,
         "olga has no grant on WH1; grant it with `esg user grant olga ENTITY` first"),
        (dict(owner="rita"), InvalidInput, "rita (reviewer) cannot own requests"),
        (dict(reviewer="otto"), InvalidInput, "otto (data_owner) cannot review"),
        (dict(entities=[]), InvalidInput, "no entities: give entities, a boundary or a subtree"),
    ]  # fmt: skip
    for change, error, message in cases:
        args = dict(year=YEAR, metrics=["packaging.plastics"], owner="olga",
                    due=dt.date(2026, 3, 1), issued_on=ISSUED, entities=["SZ1"]) | change  # fmt: skip
        with pytest.raises(error) as err, org.db.write() as s:
            issue_requests(s, org.manager, **args)
        assert message in str(err.value)
    with pytest.raises(PermissionDenied, match="may not issue requests"), org.db.write() as s:
        issue_requests(s, org.olga, year=YEAR, metrics=["packaging.plastics"], owner="olga",
                       due=dt.date(2026, 3, 1), issued_on=ISSUED, entities=["SZ1"])  # fmt: skip


def test_overdue_lists_late_requests_not_yet_approved(org: Org) -> None:
    late = issue(
        org, ["packaging.plastics", "packaging.cartons"], ["SZ1"], due=dt.date(2026, 1, 31)
    )
    wuhan = issue(org, ["packaging.plastics"], ["WH1"], owner="otto", due=dt.date(2026, 1, 31))
    issue(org, ["packaging.wood"], ["SZ1"], due=dt.date(2026, 6, 30))  # not due yet
    with org.db.write() as s:  # one of the late ones gets approved: no longer overdue
        enter_value(s, org.olga, late[0], version=1, value=1, unit="t")
        review.submit(s, org.olga, late[0], version=2)
        review.approve(s, org.rita, late[0], version=3)
        enter_value(s, org.olga, late[1], version=1, value=1, unit="t")
        review.submit(s, org.olga, late[1], version=2)  # submitted but not approved: overdue
    today = dt.date(2026, 2, 15)
    with org.db.read() as s:
        everyone = overdue(s, org.manager, today=today)
        olgas = overdue(s, org.olga, today=today)
        on_the_day = overdue(s, org.manager, today=dt.date(2026, 1, 31))
    assert [r.id for r in everyone] == [late[1], wuhan[0]]
    assert [r.id for r in olgas] == [late[1]], "owners see only their entities"
    assert on_the_day == [], "due today is not overdue"
