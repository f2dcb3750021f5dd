"""#17 complaint, vulnerability and OHS incident files imported over the API, and incidents
moved, under the rules of every other write path: ``kpis.write`` on every entity the file
names (data owners on their grants only), a year whose figures are locked refused, a bad
file refused whole with one problem per row and column, and nothing written on any refusal
(rows and audit log unchanged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from esgledger.ledger.models import AuditEvent
from esgledger.ledger.register_models import (
    Complaint,
    NpsAnswer,
    OhsHours,
    OhsIncident,
    Vulnerability,
)
from tests.api.conftest import Api, problem
from tests.factories import write_csv, write_xlsx
from tests.registers import complaint_files, ohs_files, vulnerability_files

SZ1_COMPLAINTS = [r for r in complaint_files.COMPLAINTS if r[1] == "SZ1"]
SZ1_INCIDENTS = [r for r in ohs_files.INCIDENTS if r[1] == "SZ1"]


def _upload(path: Path) -> dict[str, Any]:
    return {"file": (path.name, path.read_bytes())}


def _complaints(tmp: Path, rows: list[list[object]], name: str = "complaints.csv") -> Path:
    return write_csv(tmp / name, complaint_files.HEADER, rows)


def _state(api: Api) -> tuple[object, ...]:
    with api.db.read() as session:
        rows = tuple(
            tuple(session.execute(select(m.ref, m.state, m.version).order_by(m.ref)).all())
            for m in (Complaint, Vulnerability, OhsIncident)
        )
        writes = select(func.count()).where(AuditEvent.action != "access.denied")
        return (*rows, session.scalar(writes))


def _lock(api: Api, tmp: Path, metric: str, unit: str) -> None:
    """Lock the 2025 figure ``metric`` of SZ1 through its data request."""
    body = {"year": 2025, "metrics": [metric], "owner": "olga", "due": "2099-03-31",
            "entities": ["SZ1"], "reviewer": "rita"}  # fmt: skip
    (rid,) = api.ok("mia", "POST", "/requests", 201, json=body)["ids"]
    path = write_csv(tmp / "k.csv", ["entity", "year", "metric", "value", "unit"],
                     [["SZ1", 2025, metric, "3", unit]])  # fmt: skip
    api.ok("olga", "POST", "/imports/kpis", files=_upload(path))
    version = api.ok("olga", "GET", f"/requests/{rid}")["version"]
    api.ok("olga", "POST", f"/requests/{rid}/submit", json={"version": version})
    api.ok("rita", "POST", f"/requests/{rid}/approve", json={"version": version + 1})
    api.ok("mia", "POST", f"/requests/{rid}/lock", json={"version": version + 2})


def test_writers_import_complaints_and_vulnerabilities(api: Api, tmp_path: Path) -> None:
    path = _complaints(tmp_path, complaint_files.COMPLAINTS)
    done = api.ok("mia", "POST", "/registers/complaints/import", files=_upload(path))
    assert done["added"] == len(complaint_files.COMPLAINTS) and done["replaced"] == 0
    listed = api.ok("aldo", "GET", "/registers/complaints", params={"year": 2025})
    assert listed["total"] == 4 and {r["state"] for r in listed["rows"]} >= {"closed"}
    # a data owner imports rows of the entities granted to them, here from a workbook
    book = write_xlsx(tmp_path / "vulns.xlsx", {"vulnerabilities": (
        vulnerability_files.HEADER, [r for r in vulnerability_files.ROWS if r[1] == "SZ1"])})  # fmt: skip
    done = api.ok("olga", "POST", "/registers/vulnerabilities/import", files=_upload(book))
    assert done["added"] == 2
    v1 = api.ok("mia", "GET", "/registers/vulnerabilities", params={"search": "V-1"})["rows"][0]
    assert (v1["severity"], v1["state"], v1["cve_id"]) == (
        "critical", "advisory_published", "CVE-2025-10001")  # fmt: skip
    with api.db.read() as session:
        actors = session.execute(
            select(AuditEvent.action, AuditEvent.actor)
            .where(AuditEvent.action.like("import.register.%"))
            .order_by(AuditEvent.id)
        ).all()
    assert [a for _, a in actors] == ["mia", "olga"], actors


def test_refused_imports_name_row_and_column_and_write_nothing(api: Api, tmp_path: Path) -> None:
    api.ok("mia", "POST", "/registers/complaints/import",
           files=_upload(_complaints(tmp_path, SZ1_COMPLAINTS[:1], "first.csv")))  # fmt: skip
    before = _state(api)
    good = _upload(_complaints(tmp_path, [["C-9", *SZ1_COMPLAINTS[0][1:]]], "good.csv"))
    problem(api.call("aldo", "POST", "/registers/complaints/import", files=good), 403)
    problem(api.call("rita", "POST", "/registers/complaints/import", files=good), 403)
    problem(api.call("dora", "POST", "/registers/complaints/import", files=good), 403)
    problem(api.call(None, "POST", "/registers/complaints/import", files=good), 401)
    # a data owner's file naming an entity outside the grant: refused whole
    mixed = [["C-10", *SZ1_COMPLAINTS[0][1:]], ["C-11", "WH1", *SZ1_COMPLAINTS[0][2:]]]
    found = problem(api.call("olga", "POST", "/registers/complaints/import",
                             files=_upload(_complaints(tmp_path, mixed, "mixed.csv"))), 403)  # fmt: skip
    assert "WH1" in found["detail"]
    # bad cells: each named by row and column; a stored ref is refused
    bad = [["C-12", "SZ1", "pigeon", "AC", "high", "2025-02-01 09:00", "", "", "", "", ""],
           [*SZ1_COMPLAINTS[0]]]  # fmt: skip
    found = problem(api.call("mia", "POST", "/registers/complaints/import",
                             files=_upload(_complaints(tmp_path, bad, "bad.csv"))), 422)  # fmt: skip
    where = {(p["row"], p["column"]) for p in found["problems"]}
    assert where == {(2, "channel"), (3, "ref")}, found["problems"]
    assert "bad.csv" in found["detail"] and "row 2" in found["detail"]
    assert _state(api) == before


def test_a_locked_year_refuses_imports_of_its_rows(api: Api, tmp_path: Path) -> None:
    _lock(api, tmp_path, "customer.complaints.closed", "case")
    before = _state(api)
    found = problem(api.call("mia", "POST", "/registers/complaints/import",
                             files=_upload(_complaints(tmp_path, SZ1_COMPLAINTS))), 409)  # fmt: skip
    assert "locked" in found["detail"] and "2025" in found["detail"]
    assert _state(api) == before
    # the rows of an entity whose figures are open go in
    wh1 = [r for r in complaint_files.COMPLAINTS if r[1] == "WH1"]
    done = api.ok("mia", "POST", "/registers/complaints/import",
                  files=_upload(_complaints(tmp_path, wh1, "wh1.csv")))  # fmt: skip
    assert done["added"] == len(wh1)


def test_ohs_incidents_are_imported_and_moved_over_the_api(api: Api, tmp_path: Path) -> None:
    path = ohs_files.incidents_file(tmp_path, SZ1_INCIDENTS)
    problem(api.call("aldo", "POST", "/registers/ohs/incidents/import", files=_upload(path)), 403)
    done = api.ok("olga", "POST", "/registers/ohs/incidents/import", files=_upload(path))
    assert done["added"] == len(SZ1_INCIDENTS)
    row = api.ok("mia", "GET", "/registers/ohs/incidents", params={"year": 2025})["rows"][0]
    assert row["state"] == "reported"
    moved = api.ok("olga", "POST", f"/registers/ohs/incidents/{row['ref']}/move",
                   json={"state": "investigating", "version": row["version"], "note": "n"})  # fmt: skip
    assert (moved["ref"], moved["state"], moved["version"]) == (
        row["ref"], "investigating", row["version"] + 1)  # fmt: skip
    before = _state(api)
    stale = {"state": "closed", "version": row["version"]}
    problem(api.call("olga", "POST", f"/registers/ohs/incidents/{row['ref']}/move", json=stale),
            409)  # fmt: skip
    problem(api.call("olga", "POST", "/registers/ohs/incidents/I-3/move",
                     json={"state": "investigating", "version": 1}), 404)  # fmt: skip
    problem(api.call("rita", "POST", f"/registers/ohs/incidents/{row['ref']}/move",
                     json={"state": "closed", "version": moved["version"]}), 403)  # fmt: skip
    bad = ohs_files.incidents_file(tmp_path, [["I-7", "WH1", "2025-13-01", "employee", "injury",
                                               "no", 0, "x"]])  # fmt: skip
    found = problem(api.call("mia", "POST", "/registers/ohs/incidents/import",
                             files=_upload(bad)), 422)  # fmt: skip
    assert {(p["row"], p["column"]) for p in found["problems"]} == {(2, "date")}
    assert _state(api) == before


def test_a_locked_year_refuses_incident_imports_and_moves(api: Api, tmp_path: Path) -> None:
    path = ohs_files.incidents_file(tmp_path, SZ1_INCIDENTS)
    api.ok("mia", "POST", "/registers/ohs/incidents/import", files=_upload(path))
    _lock(api, tmp_path, "ohs.recordable_injuries", "case")
    before = _state(api)
    more = ohs_files.incidents_file(tmp_path, [["I-8", *SZ1_INCIDENTS[0][1:]]])
    found = problem(api.call("mia", "POST", "/registers/ohs/incidents/import",
                             files=_upload(more)), 409)  # fmt: skip
    assert "locked" in found["detail"]
    found = problem(api.call("mia", "POST", "/registers/ohs/incidents/I-1/move",
                             json={"state": "investigating", "version": 1}), 409)  # fmt: skip
    assert "locked" in found["detail"]
    assert _state(api) == before


def _counts(api: Api) -> tuple[object, ...]:
    """NPS answers and hours worked as stored, and the audit log's writes."""
    with api.db.read() as session:
        answers = session.execute(
            select(NpsAnswer.entity_id, NpsAnswer.answered_on, NpsAnswer.score).order_by(
                NpsAnswer.id
            )
        ).all()
        hours = session.execute(
            select(
                OhsHours.entity_id, OhsHours.year, OhsHours.worker_type, OhsHours.hours
            ).order_by(OhsHours.id)
        ).all()
        writes = select(func.count()).where(AuditEvent.action != "access.denied")
        return tuple(answers), tuple(hours), session.scalar(writes)


def _answers(tmp: Path, rows: list[list[object]], name: str = "nps.csv") -> Path:
    return write_csv(tmp / name, complaint_files.NPS_HEADER, rows)


def _hours(tmp: Path, rows: list[list[object]], name: str = "hours.csv") -> Path:
    return write_csv(tmp / name, ohs_files.HOURS_HEADER, rows)


SZ1_ANSWERS = [r for r in complaint_files.ANSWERS if r[0] == "SZ1"]
SZ1_HOURS = [r for r in ohs_files.HOURS if r[0] == "SZ1"]


def test_nps_answers_and_hours_worked_are_imported_over_the_api(api: Api, tmp_path: Path) -> None:
    done = api.ok("mia", "POST", "/registers/nps/import",
                  files=_upload(_answers(tmp_path, complaint_files.ANSWERS)))  # fmt: skip
    assert (done["added"], done["replaced"]) == (len(complaint_files.ANSWERS), 0)
    segments = api.ok("aldo", "GET", "/registers/nps", params={"year": 2025})
    everyone = next(s for s in segments if s["segment"] == "all")
    assert (everyone["answers"], everyone["promoters"], everyone["detractors"]) == (6, 2, 2)
    # a data owner imports the hours of the entity granted to them, here from a workbook
    book = write_xlsx(tmp_path / "hours.xlsx", {"hours": (ohs_files.HOURS_HEADER, SZ1_HOURS)})
    done = api.ok("olga", "POST", "/registers/ohs/hours/import", files=_upload(book))
    assert (done["added"], done["replaced"]) == (2, 0)
    again = _hours(tmp_path, [["SZ1", 2025, "employee", 410000]])
    done = api.ok("olga", "POST", "/registers/ohs/hours/import", files=_upload(again))
    assert (done["added"], done["replaced"]) == (0, 1)
    listed = api.ok("aldo", "GET", "/registers/ohs/hours", params={"year": 2025})
    assert sorted((r["worker_type"], r["hours"]) for r in listed) == [
        ("contractor", 100000), ("employee", 410000)]  # fmt: skip
    with api.db.read() as session:
        actors = session.execute(
            select(AuditEvent.action, AuditEvent.actor)
            .where(AuditEvent.action.like("import.register.%"))
            .order_by(AuditEvent.id)
        ).all()
    assert [a for _, a in actors] == ["mia", "olga", "olga"], actors


def test_refused_nps_and_hours_imports_write_nothing(api: Api, tmp_path: Path) -> None:
    api.ok("mia", "POST", "/registers/ohs/hours/import",
           files=_upload(_hours(tmp_path, SZ1_HOURS, "first.csv")))  # fmt: skip
    before = _counts(api)
    for path, rows in (("/registers/nps/import", _answers(tmp_path, SZ1_ANSWERS)),
                       ("/registers/ohs/hours/import", _hours(tmp_path, SZ1_HOURS))):  # fmt: skip
        good = _upload(rows)
        for name in ("aldo", "rita", "dora"):
            problem(api.call(name, "POST", path, files=good), 403)
        problem(api.call(None, "POST", path, files=good), 401)
    # a data owner's file naming an entity outside the grant: refused whole
    mixed = _answers(tmp_path, [SZ1_ANSWERS[0], ["WH1", "2025-06-03", "non_distribution", 6]])
    found = problem(api.call("olga", "POST", "/registers/nps/import", files=_upload(mixed)), 403)
    assert "WH1" in found["detail"]
    mixed = _hours(tmp_path, [["SZ1", 2025, "employee", 1], ["WH1", 2025, "employee", 2]])
    found = problem(api.call("olga", "POST", "/registers/ohs/hours/import",
                             files=_upload(mixed)), 403)  # fmt: skip
    assert "WH1" in found["detail"]
    # bad cells: each named by row and column
    bad = _answers(tmp_path, [["SZ1", "2025-06-01", "domestic_distribution", 11],
                              ["SZ1", "2025-02-30", "domestic_distribution", 9]], "bad.csv")  # fmt: skip
    found = problem(api.call("mia", "POST", "/registers/nps/import", files=_upload(bad)), 422)
    assert {(p["row"], p["column"]) for p in found["problems"]} == {(2, "score"), (3, "date")}
    assert "bad.csv" in found["detail"] and "row 2" in found["detail"]
    bad = _hours(tmp_path, [["SZ1", 2025, "employee", "-5"], ["ZZ9", 2025, "employee", 1]],
                 "bad-hours.csv")  # fmt: skip
    found = problem(api.call("mia", "POST", "/registers/ohs/hours/import",
                             files=_upload(bad)), 422)  # fmt: skip
    assert {(p["row"], p["column"]) for p in found["problems"]} == {(2, "hours"), (3, "entity")}
    assert _counts(api) == before


def test_a_locked_year_refuses_nps_and_hours_imports(api: Api, tmp_path: Path) -> None:
    _lock(api, tmp_path, "customer.nps.domestic_distribution", "%")
    _lock(api, tmp_path, "ohs.hours_worked", "hour")
    before = _counts(api)
    found = problem(api.call("mia", "POST", "/registers/nps/import",
                             files=_upload(_answers(tmp_path, SZ1_ANSWERS))), 409)  # fmt: skip
    assert "locked" in found["detail"] and "2025" in found["detail"] and "SZ1" in found["detail"]
    found = problem(api.call("mia", "POST", "/registers/ohs/hours/import",
                             files=_upload(_hours(tmp_path, SZ1_HOURS))), 409)  # fmt: skip
    assert "locked" in found["detail"] and "2025" in found["detail"] and "SZ1" in found["detail"]
    assert _counts(api) == before
    # the rows of an entity whose figures are open go in
    wh1 = [r for r in complaint_files.ANSWERS if r[0] == "WH1"]
    done = api.ok("mia", "POST", "/registers/nps/import", files=_upload(_answers(tmp_path, wh1)))
    assert done["added"] == len(wh1)
    wh1 = [r for r in ohs_files.HOURS if r[0] == "WH1"]
    done = api.ok("mia", "POST", "/registers/ohs/hours/import",
                  files=_upload(_hours(tmp_path, wh1)))  # fmt: skip
    assert done["added"] == len(wh1)
