"""Entering values: grants, the import's own validation, restatements, locked values."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from esgledger.auth.permissions import PermissionDenied
from esgledger.errors import Conflict, ImportRejected, InvalidInput
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.models import KpiValue
from esgledger.workflow import review
from esgledger.workflow.requests import get_request, request_dict
from esgledger.workflow.values import enter_value
from tests.factories import write_csv
from tests.workflow.conftest import YEAR, Org, issue


def _values(org: Org) -> list[tuple[str, float | None, str, bool, int | None, str]]:
    with org.db.read() as s:
        rows = s.scalars(select(KpiValue).order_by(KpiValue.id))
        return [(v.entity_id, v.value, v.unit, v.is_current, v.restates_id, v.restatement_reason)
                for v in rows]  # fmt: skip


def test_an_owner_enters_only_for_granted_entities(org: Org) -> None:
    sz1, wh1 = issue(org, ["packaging.plastics"], ["SZ1", "WH1"], owner="mia")
    with org.db.write() as s:  # olga's grant on HQ covers SZ1, below it
        enter_value(s, org.olga, sz1, version=1, value=4.5, unit="t")
    with pytest.raises(PermissionDenied) as err, org.db.write() as s:
        enter_value(s, org.olga, wh1, version=1, value=9, unit="t")
    assert str(err.value) == (
        "olga (data_owner) has no grant on entity 'WH1'; an admin can grant it with "
        "`esg user grant olga ENTITY`"
    )
    for who in (org.rita, org.aldo):  # reviewers and auditors never enter values
        with pytest.raises(PermissionDenied, match="may not enter requests"), org.db.write() as s:
            enter_value(s, who, sz1, version=2, value=5, unit="t")
    with org.db.write() as s:
        enter_value(s, org.otto, wh1, version=1, value=9, unit="t")
    assert [(e, v) for e, v, *_ in _values(org)] == [("SZ1", 4.5), ("WH1", 9.0)]


def test_values_pass_the_kpi_imports_validation(org: Org, tmp_path: Path) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    cases = [
        ({"value": 3, "unit": "person"},
         "request 1: unit: unit 'person' does not fit metric 'packaging.plastics' (measured in t)"),
        ({"value": 3, "unit": "tonnage"}, "request 1: unit: unknown unit 'tonnage'"),
        ({"value": "lots", "unit": "t"}, "request 1: value: 'lots' is not a number"),
        ({"value": -1.0, "unit": "t"}, "request 1: value: value is negative"),
    ]  # fmt: skip
    for given, message in cases:
        with pytest.raises(InvalidInput) as err, org.db.write() as s:
            enter_value(s, org.olga, rid, version=1, **given)
        assert str(err.value) == message
    # the same row in a KPI file is refused by `esg import kpis` with the same reason
    bad = write_csv(tmp_path / "bad.csv", ["entity", "year", "metric", "value", "unit"],
                    [["SZ1", YEAR, "packaging.plastics", "3", "person"]])  # fmt: skip
    with pytest.raises(ImportRejected) as rejected:
        import_kpis(org.db, bad, actor="t")
    assert rejected.value.problems[0].reason == cases[0][1].split("unit: ", 1)[1]
    with org.db.write() as s:  # status words and unit spellings work as in files
        enter_value(s, org.olga, rid, version=1, value="/", unit="t")
    with org.db.write() as s:
        enter_value(s, org.olga, rid, version=2, value="1,250.5", unit="kg")
    assert [(v, u) for _, v, u, *_ in _values(org)] == [(1250.5, "kg")], "own draft: in place"


def test_replacing_a_recorded_value_needs_a_reason(org: Org, tmp_path: Path) -> None:
    header = ["entity", "year", "metric", "value", "unit"]
    import_kpis(org.db, write_csv(tmp_path / "k.csv", header,
                                  [["SZ1", YEAR, "packaging.plastics", "7", "t"]]), actor="t")  # fmt: skip
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    with pytest.raises(Conflict) as err, org.db.write() as s:
        enter_value(s, org.olga, rid, version=1, value=8, unit="t")
    assert str(err.value) == (
        "request 1: SZ1 packaging.plastics 2025 is already recorded as 7.0 t; "
        "give a restatement reason to restate it"
    )
    with org.db.write() as s:  # the same figure again is no change and needs no reason
        enter_value(s, org.olga, rid, version=1, value=7, unit="t")
        assert get_request(s, rid).version == 1
    with org.db.write() as s:
        enter_value(s, org.olga, rid, version=1, value=8, unit="t", reason="meter recalibrated")
    with org.db.write() as s:  # now it is the request's own value: corrected in place
        enter_value(s, org.olga, rid, version=2, value=8.5, unit="t")
    assert _values(org) == [
        ("SZ1", 7.0, "t", False, None, ""),
        ("SZ1", 8.5, "t", True, 1, "meter recalibrated"),
    ]


def _locked(org: Org, value: float = 10.0) -> int:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    with org.db.write() as s:
        enter_value(s, org.olga, rid, version=1, value=value, unit="t")
        review.submit(s, org.olga, rid, version=2)
    with org.db.write() as s:
        review.approve(s, org.rita, rid, version=3)
        review.lock(s, org.manager, rid, version=4)
    return rid


def test_locked_values_refuse_edits_and_change_only_by_restatement(org: Org) -> None:
    rid = _locked(org)
    with pytest.raises(Conflict) as err, org.db.write() as s:
        enter_value(s, org.olga, rid, version=5, value=11, unit="t", reason="typo")
    assert str(err.value) == (
        "cannot enter request 1: it is locked; locked values cannot be edited; a change after "
        "lock is a restatement (`esg request restate` with a reason)"
    )
    with pytest.raises(InvalidInput, match="a restatement needs a reason"), org.db.write() as s:
        review.restate(s, org.manager, rid, version=5, value=11, unit="t", reason=" ")
    with pytest.raises(PermissionDenied, match="may not restate requests"), org.db.write() as s:
        review.restate(s, org.olga, rid, version=5, value=11, unit="t", reason="typo")
    with org.db.write() as s:
        req = review.restate(s, org.manager, rid, version=5, value=11, unit="t",
                             reason="invoice found late")  # fmt: skip
        assert (req.state, req.version) == ("submitted", 6)
    assert _values(org) == [
        ("SZ1", 10.0, "t", False, None, ""),
        ("SZ1", 11.0, "t", True, 1, "invoice found late"),
    ], "the locked value stays as history"
    with org.db.write() as s:  # the restated figure is reviewed and locked again
        review.approve(s, org.rita, rid, version=6)
        assert review.lock(s, org.manager, rid, version=7).state == "locked"


def test_approval_refuses_a_value_changed_after_submission(org: Org, tmp_path: Path) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    with org.db.write() as s:
        enter_value(s, org.olga, rid, version=1, value=5, unit="t")
        review.submit(s, org.olga, rid, version=2)
    header = ["entity", "year", "metric", "value", "unit", "restatement_reason"]
    rows = [["SZ1", YEAR, "packaging.plastics", "6", "t", "late import"]]
    import_kpis(org.db, write_csv(tmp_path / "late.csv", header, rows), actor="bob")
    with pytest.raises(Conflict) as err, org.db.write() as s:
        review.approve(s, org.rita, rid, version=3)
    assert str(err.value) == (
        "cannot approve request 1: its value changed after submission (now 6.0 t); "
        "return it so the owner submits the current value"
    )
    with org.db.read() as s:
        assert request_dict(s, get_request(s, rid))["value_as_submitted"] is False
