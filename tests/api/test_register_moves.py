"""#17 complaints and vulnerabilities moved over the API under the permissions and review
states of every other write path: KPI writers (data owners on their granted entities only)
move rows along their flow with the version they saw; a reader, an entity outside the
grant, a stale version, a move off the flow or a year whose figures are locked is refused
and nothing is written (row, version and audit log unchanged)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select

from esgledger.ledger.models import AuditEvent
from esgledger.ledger.register_models import Complaint, Vulnerability
from tests.api.conftest import Api, problem
from tests.factories import write_csv
from tests.registers import complaint_files, vulnerability_files

OPEN = ["C-6", "SZ1", "phone", "AC", "low", "2025-11-02 09:00", "", "", "", "", ""]


def _load(api: Api, tmp_path: Path) -> None:
    ws: Any = SimpleNamespace(db=api.db, tmp=tmp_path)  # the api's tree is already there
    complaint_files.load(ws, [*complaint_files.COMPLAINTS, OPEN])
    vulnerability_files.load(ws)


def _state(api: Api) -> tuple[object, ...]:
    with api.db.read() as session:
        rows = tuple(
            session.execute(select(m.ref, m.state, m.version).order_by(m.ref)).all()
            for m in (Complaint, Vulnerability)
        )
        moves = select(func.count()).where(AuditEvent.action.like("register.%"))
        return (*rows, session.scalar(moves))  # refusals are logged as access.denied


def _version(api: Api, model: type[Complaint] | type[Vulnerability], ref: str) -> int:
    with api.db.read() as session:
        return int(session.scalars(select(model.version).where(model.ref == ref)).one())


def test_writers_move_complaints_and_vulnerabilities(api: Api, tmp_path: Path) -> None:
    _load(api, tmp_path)
    v = _version(api, Complaint, "C-6")
    moved = api.ok("olga", "POST", "/registers/complaints/C-6/move",
                   json={"state": "assigned", "version": v, "note": "to the AC team"})  # fmt: skip
    assert (moved["ref"], moved["state"], moved["version"]) == ("C-6", "assigned", v + 1)
    got = api.ok("mia", "GET", "/registers/complaints", params={"search": "C-6"})["rows"][0]
    assert got["state"] == "assigned"
    v = _version(api, Vulnerability, "V-3")
    fixed = api.ok("mia", "POST", "/registers/vulnerabilities/V-3/move",
                   json={"state": "fixed", "version": v})  # fmt: skip
    assert fixed["state"] == "fixed"
    published = api.ok("mia", "POST", "/registers/vulnerabilities/V-3/move",
                       json={"state": "advisory_published", "version": v + 1,
                             "cve_id": "cve-2025-20002"})  # fmt: skip
    assert (published["state"], published["cve_id"]) == ("advisory_published", "CVE-2025-20002")
    with api.db.read() as session:
        actors = set(
            session.scalars(
                select(AuditEvent.actor).where(AuditEvent.action.like("register.%.move"))
            )
        )
    assert actors == {"olga", "mia"}


def test_unauthorised_stale_and_off_flow_moves_write_nothing(api: Api, tmp_path: Path) -> None:
    _load(api, tmp_path)
    before = _state(api)
    v = _version(api, Complaint, "C-6")
    body = {"state": "assigned", "version": v}
    problem(api.call("aldo", "POST", "/registers/complaints/C-6/move", json=body), 403)
    problem(api.call("rita", "POST", "/registers/complaints/C-6/move", json=body), 403)
    problem(api.call(None, "POST", "/registers/complaints/C-6/move", json=body), 401)
    wh1 = {"state": "return_visit", "version": _version(api, Complaint, "C-4")}
    problem(api.call("olga", "POST", "/registers/complaints/C-4/move", json=wh1), 403)
    v3 = {"state": "fixed", "version": _version(api, Vulnerability, "V-3")}
    problem(api.call("olga", "POST", "/registers/vulnerabilities/V-3/move", json=v3), 403)
    problem(api.call("mia", "POST", "/registers/complaints/C-6/move",
                     json={"state": "assigned", "version": v + 5}), 409)  # fmt: skip
    problem(api.call("mia", "POST", "/registers/complaints/C-6/move",
                     json={"state": "closed", "version": v}), 422)  # fmt: skip
    problem(api.call("mia", "POST", "/registers/complaints/C-9/move", json=body), 404)
    problem(api.call("mia", "POST", "/registers/vulnerabilities/V-3/move",
                     json={**v3, "cve_id": "CVE-1"}), 422)  # fmt: skip
    assert _state(api) == before


def test_a_locked_year_refuses_moves_of_its_rows(api: Api, tmp_path: Path) -> None:
    _load(api, tmp_path)
    body = {"year": 2025, "metrics": ["customer.complaints.closed"], "owner": "olga",
            "due": "2099-03-31", "entities": ["SZ1"], "reviewer": "rita"}  # fmt: skip
    (rid,) = api.ok("mia", "POST", "/requests", 201, json=body)["ids"]
    path = write_csv(tmp_path / "k.csv", ["entity", "year", "metric", "value", "unit"],
                     [["SZ1", 2025, "customer.complaints.closed", "3", "case"]])  # fmt: skip
    api.ok("olga", "POST", "/imports/kpis", files={"file": (path.name, path.read_bytes())})
    version = api.ok("olga", "GET", f"/requests/{rid}")["version"]
    api.ok("olga", "POST", f"/requests/{rid}/submit", json={"version": version})
    api.ok("rita", "POST", f"/requests/{rid}/approve", json={"version": version + 1})
    api.ok("mia", "POST", f"/requests/{rid}/lock", json={"version": version + 2})
    before = _state(api)
    found = problem(api.call("mia", "POST", "/registers/complaints/C-6/move",
                             json={"state": "assigned",
                                   "version": _version(api, Complaint, "C-6")}), 409)  # fmt: skip
    assert "locked" in found["detail"] and "2025" in found["detail"]
    assert _state(api) == before
    # another entity's figures are not locked
    wh1 = {"state": "return_visit", "version": _version(api, Complaint, "C-4")}
    assert api.ok("mia", "POST", "/registers/complaints/C-4/move", json=wh1)["state"] == (
        "return_visit"
    )
