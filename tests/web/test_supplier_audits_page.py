"""#16 the supplier audits page: each audit with its findings (grade, plan due date, state,
overdue marked), filters, search, sort, pages and CSV; for roles with ``suppliers.read``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.suppliers.audits import add_finding, move_finding, plan_audit, report_audit
from tests.suppliers.factories import tiered_register
from tests.web.conftest import log_in, make_user


def _audits(db: Database, tmp_path: Path) -> None:
    tiered_register(db, tmp_path)
    with db.write() as s:
        done = plan_audit(s, supplier="S001", planned_on=dt.date(2025, 3, 1), mode="on-site",
                          auditor="Audit Co", actor="setup")  # fmt: skip
        add_finding(s, done.id, grade="Priority", family="social", text="locked exit", actor="t")
        minor = add_finding(s, done.id, grade="Minor", family="other", text="no log", actor="t")
        report_audit(s, done.id, done_on=dt.date(2025, 3, 2), report_on=dt.date(2025, 3, 10),
                     actor="setup")  # fmt: skip
        move_finding(s, minor.id, "plan_submitted", actor="t", root_cause="r", corrective="c",
                     preventive="p", planned_completion=dt.date(2025, 4, 1))  # fmt: skip
        move_finding(s, minor.id, "plan_approved", actor="t")
        move_finding(s, minor.id, "verified_closed", actor="t", on=dt.date(2025, 3, 30))
        plan_audit(s, supplier="S002", planned_on=dt.date(2099, 5, 1), mode="remote",
                   auditor="Remote Review Ltd", actor="setup")  # fmt: skip


def test_the_audits_page_lists_audits_with_their_findings(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _audits(db, tmp_path)
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/suppliers/audits")
    assert page.status_code == 200 and page.text.count("data-audit=") == 2
    assert "1–2 of 2 matching audits" in page.text
    assert "locked exit" in page.text and "no log" in page.text
    assert "2025-03-17" in page.text  # the Priority finding's plan: 7 days after the report
    assert page.text.count('data-testid="overdue"') == 1  # the closed Minor one is not

    def rows(**params: str) -> str:
        got = web.get("/suppliers/audits", params=params)
        assert got.status_code == 200
        return got.text

    assert rows(state="planned").count("data-audit=") == 1
    assert "Remote Review Ltd" in rows(mode="remote")
    late = rows(overdue="1")
    assert late.count("data-audit=") == 1 and "locked exit" in late
    assert rows(supplier="S002").count("data-audit=") == 1
    assert rows(q="remote review").count("data-audit=") == 1
    second = rows(limit="1", page="2", sort="-planned_on")
    assert second.count("data-audit=") == 1 and "Audit Co" in second
    assert "No audits match these filters." in rows(state="done", mode="remote")

    exported = web.get("/suppliers/audits", params={"format": "csv", "state": "done"})
    assert exported.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r["id"], r["supplier"], r["findings"], r["open"], r["overdue"]) for r in table] == [
        ("1", "S001", "2", "1", "1")
    ]


def test_the_audits_page_speaks_chinese_and_needs_the_permission(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _audits(db, tmp_path)
    make_user(db, "aldo", "auditor")
    make_user(db, "cora", "data_owner")
    log_in(web, "aldo")
    page = web.get("/suppliers/audits", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "供应商审核" in page.text
    log_in(web, "cora")
    assert web.get("/suppliers/audits").status_code == 403
