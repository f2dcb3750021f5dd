"""#16 supplier register writes over the API, as the supplier manager: audits, findings and
their moves from the version seen (409 when stale), screenings, tiers and questionnaire
links — with the CLI's services, and refused (403) to roles without ``suppliers.write``."""

from __future__ import annotations

from pathlib import Path

from esgledger.api.app import PREFIX
from esgledger.suppliers import saq
from esgledger.suppliers.questionnaire import parse_definition
from esgledger.suppliers.register_import import import_register
from tests.api.conftest import Api, problem
from tests.suppliers.factories import register_files

PLAN = {"root_cause": "no overtime control", "corrective": "cap hours",
        "preventive": "monthly review", "planned_completion": "2025-05-01"}  # fmt: skip


def _register(api: Api, tmp_path: Path) -> None:
    for kind, path in register_files(tmp_path).items():
        import_register(api.db, path, kind=kind, actor="setup")


def test_an_audit_from_plan_to_verified_closure(api: Api, tmp_path: Path) -> None:
    _register(api, tmp_path)
    body = {"supplier": "S001", "planned_on": "2025-03-01", "auditor": "Audit Co"}
    audit = api.ok("sam", "POST", "/supplier-audits", 201, json=body)
    assert (audit["supplier"], audit["state"]) == ("S001", "planned")
    finding = api.ok("sam", "POST", f"/supplier-audits/{audit['id']}/findings", 201,
                     json={"grade": "Priority", "family": "social", "text": "overtime"})  # fmt: skip
    done = api.ok("sam", "POST", f"/supplier-audits/{audit['id']}/report",
                  json={"done_on": "2025-03-02", "report_on": "2025-03-10"})  # fmt: skip
    assert done["state"] == "done"
    (listed,) = api.ok("aldo", "GET", "/supplier-findings")
    assert listed["plan_due"] == "2025-03-17"  # Priority: 7 days after the report
    url = f"/supplier-findings/{finding['id']}/move"
    seen = listed["version"]  # the report wrote the plan's due date: a new version
    planned = api.ok("sam", "POST", url, json={"version": seen, "state": "plan_submitted", **PLAN})
    assert planned["state"] == "plan_submitted"
    move = {"version": planned["version"], "state": "verified_closed", "on": "2025-04-20"}
    skipped = problem(api.call("sam", "POST", url, json=move), 409)
    assert skipped["detail"].endswith("it can move to plan_approved, plan_rejected"), skipped
    zh = api.headers("sam") | {"Accept-Language": "zh"}
    chinese = api.client.post(PREFIX + url, json=move, headers=zh)
    assert "整改计划已批准" in problem(chinese, 409)["detail"]
    stale = problem(
        api.call("sam", "POST", url, json={"version": 1, "state": "plan_approved"}), 409
    )
    assert "changed since version 1" in stale["detail"]
    version = planned["version"]
    api.ok("sam", "POST", url, json={"version": version, "state": "plan_approved"})
    closed = api.ok("sam", "POST", url, json={"version": version + 1, "state": "verified_closed",
                                               "on": "2025-04-20"})  # fmt: skip
    assert closed["state"] == "verified_closed"
    again = problem(api.call("sam", "POST", "/supplier-audits/1/report",
                             json={"done_on": "2025-03-02", "report_on": "2025-03-10"}), 409)  # fmt: skip
    assert "already done" in again["detail"]
    problem(api.call("aldo", "POST", "/supplier-audits", json=body), 403)
    problem(api.call("cora", "POST", url, json={"version": 1, "state": "plan_approved"}), 403)


def test_screenings_tiers_and_questionnaire_links(api: Api, tmp_path: Path) -> None:
    _register(api, tmp_path)
    screened = api.ok("sam", "POST", "/supplier-screenings", json={"on": "2025-01-15"})
    assert sorted(r["supplier"] for r in screened) == ["S001", "S002", "S003"]
    tiers = api.ok(
        "sam", "POST", "/supplier-tiers", json={"suppliers": ["S002"], "on": "2025-01-15"}
    )
    assert [(t["supplier"], t["tier"]) for t in tiers] == [("S002", "low")]
    assert [t["tier"] for t in api.ok("sam", "GET", "/suppliers/S002/tiers")] == ["low"]
    questions = {"code": "q1", "text": "A child labour policy?", "weight": 1}
    definition = parse_definition(
        {"name": "SAQ", "sections": [{"code": "s", "title": "S", "questions": [questions]}]}
    )
    with api.db.write() as session:
        saq.define(session, definition, actor="setup")
    sent = api.ok("sam", "POST", "/supplier-questionnaires/SAQ/links", 201,
                  json={"suppliers": ["S001"], "days": 10})  # fmt: skip
    assert sent[0]["supplier"] == "S001" and len(sent[0]["token"]) > 20
    twice = problem(api.call("sam", "POST", "/supplier-questionnaires/SAQ/links",
                             json={"suppliers": ["S001"]}), 409)  # fmt: skip
    assert "--reissue" in twice["detail"]
    problem(api.call("sam", "POST", "/supplier-questionnaires/NOPE/links",
                     json={"suppliers": ["S001"]}), 404)  # fmt: skip
    problem(api.call("sam", "POST", "/supplier-tiers", json={"suppliers": ["NOPE"],
                                                             "on": "2025-01-15"}), 404)  # fmt: skip
    problem(api.call("rita", "POST", "/supplier-screenings", json={"on": "2025-01-15"}), 403)


def test_register_and_cmrt_files_over_the_api(api: Api, tmp_path: Path) -> None:
    from tests.suppliers.cmrt_files import cmrt_file

    files = register_files(tmp_path)
    with files["suppliers"].open("rb") as fh:
        added = api.ok("sam", "POST", "/supplier-imports/suppliers",
                       files={"file": ("suppliers.csv", fh.read())})  # fmt: skip
    assert added["added"] == 3
    bad = b"id,name,country\nS009,,XX\n"
    refused = problem(api.call("sam", "POST", "/supplier-imports/suppliers",
                               files={"file": ("bad.csv", bad)}), 422)  # fmt: skip
    assert "row 2" in str(refused)
    assert api.ok("aldo", "GET", "/suppliers", params={"q": "S009"}) == []
    problem(api.call("sam", "POST", "/supplier-imports/robots",
                     files={"file": ("suppliers.csv", b"id\n")}), 422)  # fmt: skip
    content = cmrt_file(tmp_path / "s001.xlsx").read_bytes()
    stored = api.ok("sam", "POST", "/suppliers/S001/declarations",
                    files={"file": ("s001.xlsx", content)})  # fmt: skip
    assert stored["template"] == "CMRT"
    (declaration,) = api.ok("aldo", "GET", "/supplier-declarations")
    assert declaration["supplier"] == "S001"
    problem(api.call("aldo", "POST", "/suppliers/S001/declarations",
                     files={"file": ("s001.xlsx", content)}), 403)  # fmt: skip
