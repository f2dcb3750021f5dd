"""The API's write paths end to end on SQLite and PostgreSQL: the request cycle, conflicts,
evidence, templates and imports — each refusal a one-line problem that changes nothing."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from esgledger.ledger.models import ActivityRecord, AuditEvent, Entity, KpiValue
from tests.api.conftest import YEAR, Api, problem
from tests.factories import ACTIVITY_HEADER, ENTITY_HEADER, monthly_rows, write_csv, write_xlsx

METRIC = "packaging.plastics"
KPI_HEADER = ["entity", "year", "metric", "value", "unit"]


def _issue(api: Api, entities: list[str], **extra: object) -> list[int]:
    body = {
        "year": YEAR,
        "metrics": [METRIC],
        "owner": "olga",
        "due": "2099-03-31",
        "entities": entities,
        "reviewer": "rita",
        **extra,
    }
    got = api.ok("mia", "POST", "/requests", 201, json=body)
    return got["ids"]


def _count(api: Api, model: type) -> int:
    with api.db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _files(path: Path) -> dict[str, tuple[str, bytes]]:
    return {"file": (path.name, path.read_bytes())}


def test_issue_enter_submit_approve_lock_restate(api: Api) -> None:
    ids = _issue(api, ["HQ", "SZ1"])
    assert len(ids) == 2
    again = api.ok("mia", "POST", "/requests", 201, json={
        "year": YEAR, "metrics": [METRIC], "owner": "olga", "due": "2099-03-31",
        "entities": ["HQ", "SZ1"]})  # fmt: skip
    assert again == {"created": 0, "existing": 2, "ids": []}
    rid = ids[1]
    assert api.ok("olga", "GET", f"/requests/{rid}")["entity"] == "SZ1"

    entered = api.ok("olga", "POST", f"/requests/{rid}/value",
                     json={"version": 1, "value": 4.25, "unit": "t"})  # fmt: skip
    assert (entered["state"], entered["version"], entered["value"]) == ("draft", 2, 4.25)

    # Someone who still holds version 1 loses nothing but their own edit, and is told so.
    stale = problem(api.call("ada", "POST", f"/requests/{rid}/value",
                             json={"version": 1, "value": 9, "unit": "t"}), 409)  # fmt: skip
    assert "changed by olga" in stale["detail"] and "value 9" in stale["detail"]
    assert api.ok("aldo", "GET", f"/requests/{rid}")["value"] == 4.25

    bad = problem(api.call("olga", "POST", f"/requests/{rid}/value",
                           json={"version": 2, "value": 1, "unit": "parsec"}), 422)  # fmt: skip
    assert "unit" in bad["detail"]
    assert api.ok("olga", "GET", f"/requests/{rid}")["version"] == 2

    api.ok("olga", "POST", f"/requests/{rid}/submit", json={"version": 2})
    denied = problem(api.call("rex", "POST", f"/requests/{rid}/approve", json={"version": 3}), 403)
    assert "its reviewer is rita" in denied["detail"]
    problem(api.call("olga", "POST", f"/requests/{rid}/approve", json={"version": 3}), 403)
    approved = api.ok("rita", "POST", f"/requests/{rid}/approve", json={"version": 3})
    assert approved["state"] == "approved"
    locked = api.ok("mia", "POST", f"/requests/{rid}/lock", json={"version": 4})
    assert (locked["state"], locked["version"]) == ("locked", 5)
    problem(api.call("olga", "POST", f"/requests/{rid}/value",
                     json={"version": 5, "value": 5, "unit": "t"}), 409)  # fmt: skip

    problem(api.call("mia", "POST", f"/requests/{rid}/restate",
                     json={"version": 5, "value": 4.5, "unit": "t", "reason": " "}), 422)  # fmt: skip
    restated = api.ok("mia", "POST", f"/requests/{rid}/restate",
                      json={"version": 5, "value": 4.5, "unit": "t",
                            "reason": "meter recalibrated"})  # fmt: skip
    assert (restated["state"], restated["value"]) == ("submitted", 4.5)

    detail = api.ok("aldo", "GET", f"/requests/{rid}")
    assert [c["kind"] for c in detail["comments"]] == ["restate"]
    assert [h["action"] for h in detail["history"]] == [
        "request.enter", "request.submit", "request.approve", "request.lock", "request.restate",
    ]  # fmt: skip
    assert {h["actor"] for h in detail["history"]} == {"olga", "rita", "mia"}
    with api.db.read() as session:
        history = session.scalars(
            select(KpiValue.value).where(KpiValue.entity_id == "SZ1").order_by(KpiValue.id)
        ).all()
    assert history == [4.25, 4.5], "the locked value stays as history"

    listed = api.ok("olga", "GET", "/requests", params={"year": YEAR, "state": "submitted"})
    assert [r["id"] for r in listed] == [rid]
    problem(api.call("dora", "GET", "/requests"), 403)
    problem(api.call("dora", "GET", f"/requests/{rid}"), 403)
    overdue = api.ok("mia", "GET", "/requests/overdue", params={"today": "2099-04-01"})
    assert [r["id"] for r in overdue] == ids and all(r["overdue"] for r in overdue)


def test_return_with_comment_and_lock_year(api: Api) -> None:
    (rid,) = _issue(api, ["HQ"])
    api.ok(
        "olga", "POST", f"/requests/{rid}/value", json={"version": 1, "value": "12", "unit": "t"}
    )
    api.ok("olga", "POST", f"/requests/{rid}/submit", json={"version": 2})
    problem(api.call("rita", "POST", f"/requests/{rid}/return",
                     json={"version": 3, "comment": ""}), 422)  # fmt: skip
    problem(api.call("mia", "POST", f"/requests/{rid}/return",
                     json={"version": 3, "comment": "x"}), 403)  # fmt: skip
    returned = api.ok("rita", "POST", f"/requests/{rid}/return",
                      json={"version": 3, "comment": "Missing March invoices"})  # fmt: skip
    assert returned["state"] == "returned"
    added = api.ok("olga", "POST", f"/requests/{rid}/comments", 201, json={"body": "on it"})
    assert added["author"] == "olga"
    problem(api.call("rita", "POST", f"/requests/{rid}/comments", json={"body": "  "}), 422)
    comments = api.ok("olga", "GET", f"/requests/{rid}")["comments"]
    assert [(c["kind"], c["body"]) for c in comments] == [
        ("return", "Missing March invoices"), ("comment", "on it")]  # fmt: skip

    api.ok("olga", "POST", f"/requests/{rid}/value", json={"version": 4, "value": 13, "unit": "t"})
    api.ok("olga", "POST", f"/requests/{rid}/submit", json={"version": 5})
    api.ok("ada", "POST", f"/requests/{rid}/approve", json={"version": 6})
    problem(api.call("olga", "POST", "/requests/lock-year", json={"year": YEAR}), 403)
    assert api.ok("mia", "POST", "/requests/lock-year", json={"year": YEAR}) == {"locked": [rid]}
    assert api.ok("olga", "GET", f"/requests/{rid}")["state"] == "locked"


def test_unknown_keys_and_bad_bodies_are_refused(api: Api) -> None:
    (rid,) = _issue(api, ["HQ"])
    body = problem(api.call("olga", "POST", f"/requests/{rid}/value",
                            json={"version": 1, "value": 1, "unit": "t", "vlaue": 2}), 422)  # fmt: skip
    assert "vlaue" in body["detail"]
    problem(api.call("olga", "POST", f"/requests/{rid}/submit", json={}), 422)
    problem(api.call("olga", "POST", "/requests/999999/submit", json={"version": 1}), 404)
    problem(api.call("mia", "POST", "/requests", json={"year": YEAR, "metrics": ["no.such"],
            "owner": "olga", "due": "2099-01-01", "entities": ["HQ"]}), 404)  # fmt: skip
    problem(api.call("mia", "POST", "/requests", json={"year": YEAR, "metrics": [METRIC],
            "owner": "olga", "due": "2099-01-01", "entities": ["WH1"]}), 422)  # fmt: skip
    assert api.ok("olga", "GET", f"/requests/{rid}")["version"] == 1


def test_evidence_round_trips_byte_for_byte(api: Api) -> None:
    (rid,) = _issue(api, ["SZ1"])
    content = os.urandom(4096) + "电费发票".encode()
    files = {"file": ("2025-03 电费.pdf", content, "application/pdf")}
    problem(api.call(None, "POST", f"/requests/{rid}/evidence", files=files), 401)
    problem(api.call("dora", "POST", f"/requests/{rid}/evidence", files=files), 403)
    problem(api.call("aldo", "POST", f"/requests/{rid}/evidence", files=files), 403)
    row = api.ok("olga", "POST", f"/requests/{rid}/evidence", 201, files=files)
    assert row["sha256"] == hashlib.sha256(content).hexdigest() and row["size"] == len(content)
    assert row["name"] == "2025-03 电费.pdf" and row["media_type"] == "application/pdf"
    again = api.ok("olga", "POST", f"/requests/{rid}/evidence", 201, files=files)
    assert again["id"] == row["id"], "the same bytes are stored once"
    problem(api.call("olga", "POST", f"/requests/{rid}/evidence",
                     files={"file": ("empty.txt", b"")}), 422)  # fmt: skip

    listed = api.ok("aldo", "GET", f"/requests/{rid}/evidence")
    assert [r["id"] for r in listed] == [row["id"]]
    got = api.call("aldo", "GET", f"/evidence/{row['id']}")
    assert got.status_code == 200 and got.content == content
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-sha256"] == row["sha256"]
    assert "filename*=UTF-8''2025-03%20%E7%94%B5" in got.headers["content-disposition"]
    problem(api.call("dora", "GET", f"/evidence/{row['id']}"), 403)
    problem(api.call("aldo", "GET", "/evidence/999"), 404)
    assert api.ok("olga", "GET", f"/requests/{rid}")["evidence"][0]["id"] == row["id"]


def test_template_download_then_upload(api: Api, tmp_path: Path) -> None:
    ids = _issue(api, ["HQ", "SZ1"])
    problem(api.call("dora", "GET", "/requests/template", params={"year": YEAR}), 403)
    problem(api.call("olga", "GET", "/requests/template",
                     params={"year": YEAR, "entity": "WH1"}), 403)  # fmt: skip
    got = api.call("olga", "GET", "/requests/template", params={"year": YEAR})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(got.content))
    ws = wb["kpis"]
    col = {c.value: c.column for c in ws[1]}
    assert ws.max_row == 3
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col["value"]).value = 7 if ws.cell(r, col["entity"]).value == "HQ" else 3
        ws.cell(r, col["unit"]).value = "t"
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)

    result = api.ok("olga", "POST", "/requests/upload", files=_files(filled))
    assert (result["added"], result["unchanged"]) == (2, 0)
    values = {r["entity"]: r["value"] for r in api.ok("olga", "GET", "/requests")}
    assert values == {"HQ": 7, "SZ1": 3}

    # The same template again, with other figures: its versions are stale now.
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col["value"]).value = 99
    wb.save(filled)
    events = _count(api, AuditEvent)
    body = problem(api.call("olga", "POST", "/requests/upload", files=_files(filled)), 422)
    assert "after this template was made" in body["detail"] and len(body["problems"]) == 2
    assert _count(api, AuditEvent) == events
    assert {r["value"] for r in api.ok("olga", "GET", "/requests")} == {7, 3}
    problem(api.call("dora", "POST", "/requests/upload", files=_files(filled)), 403)
    problem(api.call("olga", "POST", "/requests/upload",
                     files={"file": ("notes.txt", b"hello")}), 422)  # fmt: skip
    assert sorted(ids) == sorted(r["id"] for r in api.ok("mia", "GET", "/requests"))


def test_imports_good_and_bad(api: Api, tmp_path: Path) -> None:
    more = write_csv(tmp_path / "more.csv", ENTITY_HEADER,
                     [["CD1", "Chengdu plant", "GRP", "CN", "CN-SC", "site"]])  # fmt: skip
    assert api.ok("ada", "POST", "/imports/entities", files=_files(more))["added"] == 1
    problem(api.call("rita", "POST", "/imports/entities", files=_files(more)), 403)

    good = write_csv(tmp_path / "acts.csv", ACTIVITY_HEADER,
                     monthly_rows("SZ1", "electricity.purchased", "kWh", YEAR, 1000))  # fmt: skip
    result = api.ok("olga", "POST", "/imports/activities", files=_files(good))
    assert result["rows"] == 12 and result["entities"] == 1
    before = _count(api, ActivityRecord)

    rows = monthly_rows("SZ1", "electricity.purchased", "kWh", YEAR + 1, 1000)
    rows[5][0] = "NOPE"
    bad = write_csv(tmp_path / "bad.csv", ACTIVITY_HEADER, rows)
    body = problem(api.call("mia", "POST", "/imports/activities", files=_files(bad)), 422)
    assert body["detail"].startswith("bad.csv, row 7") and "nothing was imported" in body["detail"]
    assert body["problems"][0]["row"] == 7
    xlsx = write_xlsx(tmp_path / "bad.xlsx", {"activities": (ACTIVITY_HEADER, rows)})
    problem(api.call("mia", "POST", "/imports/activities", files=_files(xlsx)), 422)
    problem(api.call("mia", "POST", "/imports/activities",
                     files={"file": ("acts.csv", b"\xff\xfe garbage")}), 422)  # fmt: skip
    wuhan = write_csv(tmp_path / "wuhan.csv", ACTIVITY_HEADER,
                      monthly_rows("WH1", "electricity.purchased", "kWh", YEAR, 5))  # fmt: skip
    denied = problem(api.call("olga", "POST", "/imports/activities", files=_files(wuhan)), 403)
    assert "WH1" in denied["detail"]
    assert _count(api, ActivityRecord) == before

    kpis = write_csv(tmp_path / "kpis.csv", KPI_HEADER, [["SZ1", YEAR, METRIC, "4", "t"]])
    assert api.ok("mia", "POST", "/imports/kpis", files=_files(kpis))["added"] == 1
    changed = write_csv(tmp_path / "kpis2.csv", KPI_HEADER, [["SZ1", YEAR, METRIC, "5", "t"]])
    body = problem(api.call("mia", "POST", "/imports/kpis", files=_files(changed)), 422)
    assert "restatement" in body["detail"]
    with api.db.read() as session:
        assert session.scalars(select(KpiValue.value)).all() == [4]
        assert session.get(Entity, "CD1") is not None
