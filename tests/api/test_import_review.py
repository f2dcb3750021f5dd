"""Issue #14 H1: a KPI import over the API goes through the request workflow like every other
write of a figure. A data owner's file enters values into their own open requests (then
reviewed); it cannot restate locked, approved or published figures, nor add figures nobody
requested. A manager's direct import leaves requested figures to the request workflow."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from esgledger.disclose.archive import archive_files
from esgledger.ledger.kpis import approved_or_direct
from esgledger.ledger.models import KpiValue
from tests.api.conftest import YEAR, Api, problem
from tests.factories import write_csv

METRIC = "packaging.plastics"
HEADER = ["entity", "year", "metric", "value", "unit", "restatement_reason"]


def _file(tmp_path: Path, name: str, *rows: list[object]) -> dict[str, tuple[str, bytes]]:
    path = write_csv(tmp_path / name, HEADER, [list(r) for r in rows])
    return {"file": (path.name, path.read_bytes())}


def _issue(api: Api, entity: str) -> int:
    body = {"year": YEAR, "metrics": [METRIC], "owner": "olga", "due": "2099-03-31",
            "entities": [entity], "reviewer": "rita"}  # fmt: skip
    (rid,) = api.ok("mia", "POST", "/requests", 201, json=body)["ids"]
    return rid


def _values(api: Api) -> list[tuple[str, float | None, bool]]:
    with api.db.read() as session:
        rows = session.scalars(select(KpiValue).order_by(KpiValue.id))
        return [(v.entity_id, v.value, v.is_current) for v in rows]


def _approve(api: Api, rid: int) -> None:
    version = api.ok("olga", "GET", f"/requests/{rid}")["version"]
    api.ok("olga", "POST", f"/requests/{rid}/submit", json={"version": version})
    api.ok("rita", "POST", f"/requests/{rid}/approve", json={"version": version + 1})


def _lock(api: Api, rid: int) -> None:
    version = api.ok("mia", "GET", f"/requests/{rid}")["version"]
    api.ok("mia", "POST", f"/requests/{rid}/lock", json={"version": version})


def test_a_data_owner_cannot_add_a_figure_nobody_requested(api: Api, tmp_path: Path) -> None:
    body = problem(
        api.call("olga", "POST", "/imports/kpis", files=_file(tmp_path, "k.csv",
                 ["SZ1", YEAR, METRIC, "4", "t", ""])), 422)  # fmt: skip
    assert "no data request for SZ1 packaging.plastics 2025" in body["detail"]
    assert _values(api) == []


def test_a_data_owners_import_enters_their_open_request_for_review(
    api: Api, tmp_path: Path
) -> None:
    rid = _issue(api, "SZ1")
    got = api.ok("olga", "POST", "/imports/kpis",
                 files=_file(tmp_path, "k.csv", ["SZ1", YEAR, METRIC, "4", "t", ""]))  # fmt: skip
    assert got["added"] == 1
    req = api.ok("olga", "GET", f"/requests/{rid}")
    assert (req["state"], req["value"], req["entered_value_id"]) == ("draft", 4, req["value_id"])
    with api.db.read() as session:
        counted = session.scalars(select(KpiValue).where(approved_or_direct())).all()
    assert counted == [], "an entered value counts only once a reviewer approves it"


def test_a_data_owner_cannot_restate_approved_or_locked_values(api: Api, tmp_path: Path) -> None:
    locked, approved = _issue(api, "SZ1"), _issue(api, "HQ")
    api.ok("olga", "POST", "/imports/kpis", files=_file(
        tmp_path, "k.csv", ["SZ1", YEAR, METRIC, "4", "t", ""], ["HQ", YEAR, METRIC, "9", "t", ""]))  # fmt: skip
    _approve(api, locked)
    _approve(api, approved)
    _lock(api, locked)
    before = _values(api)
    body = problem(api.call("olga", "POST", "/imports/kpis", files=_file(
        tmp_path, "r.csv", ["SZ1", YEAR, METRIC, "5", "t", "typo"],
        ["HQ", YEAR, METRIC, "8", "t", "typo"])), 422)  # fmt: skip
    reasons = {p["row"]: p["reason"] for p in body["problems"]}
    assert "it is locked" in reasons[2] and "it is approved" in reasons[3], reasons
    assert _values(api) == before
    assert api.ok("mia", "GET", f"/requests/{locked}")["state"] == "locked"
    assert api.ok("mia", "GET", f"/requests/{approved}")["state"] == "approved"


def test_a_managers_import_leaves_requested_figures_to_the_request(
    api: Api, tmp_path: Path
) -> None:
    rid = _issue(api, "SZ1")
    api.ok("olga", "POST", "/imports/kpis",
           files=_file(tmp_path, "k.csv", ["SZ1", YEAR, METRIC, "4", "t", ""]))  # fmt: skip
    _approve(api, rid)
    _lock(api, rid)
    before = _values(api)
    body = problem(api.call("mia", "POST", "/imports/kpis", files=_file(
        tmp_path, "m.csv", ["SZ1", YEAR, METRIC, "5", "t", "late invoice"])), 422)  # fmt: skip
    assert f"data request {rid} (locked)" in body["problems"][0]["reason"]
    assert "restate" in body["problems"][0]["reason"]
    assert _values(api) == before
    assert api.ok("mia", "GET", f"/requests/{rid}")["state"] == "locked"
    # A figure nobody requested is the manager's to import and, with a reason, to restate.
    api.ok("mia", "POST", "/imports/kpis",
           files=_file(tmp_path, "h.csv", ["HQ", YEAR, METRIC, "7", "t", ""]))  # fmt: skip
    got = api.ok("mia", "POST", "/imports/kpis",
                 files=_file(tmp_path, "h2.csv", ["HQ", YEAR, METRIC, "8", "t", "audit"]))  # fmt: skip
    assert got["restated"] == 1


def test_a_figure_of_a_published_report_is_restated_only_by_a_manager(
    api: Api, tmp_path: Path
) -> None:
    api.ok("mia", "POST", "/imports/kpis",
           files=_file(tmp_path, "h.csv", ["SZ1", YEAR, METRIC, "7", "t", ""]))  # fmt: skip
    report = tmp_path / "report.html"
    report.write_text("<p>7 t</p>")
    with api.db.write() as session:
        archive_files(session, YEAR, {"html": report}, actor="mia")
    rid = _issue(api, "SZ1")
    before = _values(api)
    body = problem(api.call("olga", "POST", "/imports/kpis", files=_file(
        tmp_path, "r.csv", ["SZ1", YEAR, METRIC, "8", "t", "meter recalibrated"])), 422)  # fmt: skip
    assert "published 2025 report" in body["problems"][0]["reason"]
    entered = api.call("olga", "POST", f"/requests/{rid}/value",
                       json={"version": 1, "value": 8, "unit": "t", "reason": "recalibrated"})  # fmt: skip
    assert "published 2025 report" in problem(entered, 409)["detail"]
    assert _values(api) == before


def test_the_owner_filter_tells_no_one_which_users_exist(api: Api) -> None:
    """Issue #14: `?owner=X` answered "unknown user" to any API user, so names could be
    probed. Someone who may not list users gets the same empty list for any name."""
    _issue(api, "SZ1")
    for name in ("nobody", "mia", "dora"):
        assert api.ok("olga", "GET", "/requests", params={"owner": name}) == []
    assert len(api.ok("olga", "GET", "/requests", params={"owner": "olga"})) == 1
    problem(api.call("mia", "GET", "/requests", params={"owner": "nobody"}), 404)


def test_an_open_request_without_a_value_holds_back_no_other_figure(
    api: Api, tmp_path: Path
) -> None:
    # the pending requests' values are one list the counted values are not in: a request
    # that entered nothing yet (no value) must not hold back every other figure
    rid = _issue(api, "SZ1")
    api.ok("mia", "POST", "/imports/kpis",
           files=_file(tmp_path, "h.csv", ["HQ", YEAR, METRIC, "7", "t", ""]))  # fmt: skip
    assert _counted(api) == ["HQ"]
    api.ok("olga", "POST", "/imports/kpis",
           files=_file(tmp_path, "k.csv", ["SZ1", YEAR, METRIC, "4", "t", ""]))  # fmt: skip
    assert _counted(api) == ["HQ"]
    _approve(api, rid)
    assert _counted(api) == ["HQ", "SZ1"]


def _counted(api: Api) -> list[str]:
    with api.db.read() as session:
        query = select(KpiValue.entity_id).where(approved_or_direct()).order_by(KpiValue.id)
        return list(session.scalars(query))
