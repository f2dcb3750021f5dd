"""#16 the supplier register page: search, filters, sort, pages and CSV, each supplier's
tier and questionnaire score; for roles with ``suppliers.read`` only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.suppliers.register_import import import_register
from tests.filled import filled_db
from tests.suppliers.factories import tiered_register
from tests.web.conftest import log_in, make_user


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """Every test here starts from the register
    :func:`~tests.suppliers.factories.tiered_register` fills: a copy of it, filled once per
    run, where each test used to fill its own (#20)."""
    yield from filled_db(request, tmp_path, "web_suppliers", tiered_register)


def test_the_register_page_searches_filters_sorts_and_pages(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    page = web.get("/suppliers")
    assert page.status_code == 200
    assert page.text.count("data-supplier=") == 3 and "1–3 of 3 matching suppliers" in page.text
    assert "<td>medium</td>" in page.text  # S001's tier
    assert "castings, tin solder" in page.text
    only = web.get("/suppliers", params={"country": "vn"})
    assert 'data-supplier="S002"' in only.text and only.text.count("data-supplier=") == 1
    found = web.get("/suppliers", params={"q": "Rhein"})
    assert 'data-supplier="S003"' in found.text and found.text.count("data-supplier=") == 1
    none = web.get("/suppliers", params={"commodity": "copper"})
    assert 'data-testid="no-suppliers"' in none.text and "match these filters" in none.text
    second = web.get("/suppliers", params={"limit": 2, "page": 2, "sort": "-id"})
    assert second.text.count("data-supplier=") == 1 and 'data-supplier="S001"' in second.text
    csv = web.get("/suppliers", params={"format": "csv", "country": "CN"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,name,parent_group,country") and len(lines) == 2
    assert lines[1].startswith("S001,Pearl River Castings,Pearl Group,CN,castings; tin solder")


def test_roles_without_the_register_are_refused(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    make_user(db, "cora", "compliance_officer")
    log_in(web, "cora")
    assert web.get("/suppliers").status_code == 403


def test_the_findings_page_filters_by_grade_state_and_overdue(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    from esgledger.suppliers.audits import add_finding, move_finding, plan_audit, report_audit

    with db.write() as s:
        audit = plan_audit(s, supplier="S001", planned_on=dt.date(2025, 3, 1), mode="on-site",
                           auditor="Audit Co", actor="setup")  # fmt: skip
        add_finding(s, audit.id, grade="Priority", family="social", text="locked exit", actor="t")
        minor = add_finding(s, audit.id, grade="Minor", family="other", text="no log", actor="t")
        report_audit(s, audit.id, done_on=dt.date(2025, 3, 2), report_on=dt.date(2025, 3, 10),
                     actor="setup")  # fmt: skip
        move_finding(s, minor.id, "plan_submitted", actor="t", root_cause="r", corrective="c",
                     preventive="p", planned_completion=dt.date(2099, 1, 1))  # fmt: skip
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/suppliers/findings")
    assert page.status_code == 200 and page.text.count("data-finding=") == 2
    assert "1–2 of 2 matching findings" in page.text
    late = web.get("/suppliers/findings", params={"overdue": "1"})
    # The Priority finding's plan was due 7 days after the report (2025-03-17), never came.
    assert late.text.count("data-finding=") == 1 and "locked exit" in late.text
    assert "corrective-action plan was due 2025-03-17" in late.text
    minors = web.get("/suppliers/findings", params={"grade": "Minor", "state": "plan_submitted"})
    assert minors.text.count("data-finding=") == 1 and "no log" in minors.text
    found = web.get("/suppliers/findings", params={"q": "EXIT"})
    assert found.text.count("data-finding=") == 1
    by_grade = web.get("/suppliers/findings", params={"sort": "-grade"})
    assert by_grade.text.index("no log") < by_grade.text.index("locked exit")


def test_the_smelter_roll_up_page(web: TestClient, db: Database, tmp_path: Path) -> None:
    from tests.conftest import Cli
    from tests.factories import write_csv
    from tests.suppliers.cmrt_files import cmrt_file

    cli = Cli(db)
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    cli("suppliers", "cmrt", "import", "S001", str(cmrt_file(tmp_path / "s001.xlsx")))
    page = web.get("/suppliers/smelters")
    assert page.status_code == 200 and page.text.count("data-smelter=") == 2
    assert "not available: no conformant-smelter list imported" in page.text
    listing = write_csv(
        tmp_path / "conformant.csv",
        ["smelter_id", "metal", "status", "assessed_on"],
        [["CID000001", "tin", "Conformant", "2026-03-01"]],
    )
    cli("suppliers", "cmrt", "conformant", str(listing))
    page = web.get("/suppliers/smelters")
    assert '<strong data-testid="conformant-share">50.0 %</strong>' in page.text
    assert "1 of 2 identified smelters" in page.text
    gold = web.get("/suppliers/smelters", params={"metal": "gold"})
    assert gold.text.count("data-smelter=") == 1 and 'data-smelter="CID000002"' in gold.text
    found = web.get("/suppliers/smelters", params={"q": "alpha"})
    assert found.text.count("data-smelter=") == 1 and 'data-smelter="CID000001"' in found.text
    assert web.get("/suppliers/smelters", params={"template": "XLS"}).status_code == 422


def test_the_tier_history_page(web: TestClient, db: Database, tmp_path: Path) -> None:
    # tiers of 2025-01-02: S001 and S003 medium, S002 low
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/suppliers/tiers")
    assert page.status_code == 200 and page.text.count("data-supplier=") == 3
    low = web.get("/suppliers/tiers", params={"tier": "low"})
    assert low.text.count("data-supplier=") == 1 and 'data-supplier="S002"' in low.text
    assert 'findings: <span class="muted">n.a.</span>' in low.text
    one = web.get("/suppliers/tiers", params={"supplier": "S003", "sort": "score"})
    assert one.text.count("data-supplier=") == 1


def test_an_ended_cooperation_shows_its_last_day_in_each_language(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    from tests.factories import write_csv

    ended = write_csv(tmp_path / "ended.csv", ["id", "name", "country", "ended_on"],
                      [["S002", "Hanoi Cable Works", "VN", "2025-06-30"]])  # fmt: skip
    import_register(db, ended, kind="suppliers", actor="setup")
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    page = web.get("/suppliers").text
    row = page[page.index('data-supplier="S002"') :].split("</tr>")[0]
    assert '<td data-testid="ended">2025-06-30</td>' in row
    other = page[page.index('data-supplier="S001"') :].split("</tr>")[0]
    assert "in cooperation" in other and "Cooperation ended" in page
    chinese = web.get("/suppliers", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert "合作终止日期" in chinese and "合作中" in chinese


def test_an_ended_supplier_shows_no_current_tier_but_keeps_its_history(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    from tests.factories import write_csv

    # tiers of 2025-01-02: S002 low
    ended = write_csv(tmp_path / "ended.csv", ["id", "name", "country", "ended_on"],
                      [["S002", "Hanoi Cable Works", "VN", "2025-06-30"]])  # fmt: skip
    import_register(db, ended, kind="suppliers", actor="setup")
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    page = web.get("/suppliers").text
    row = page[page.index('data-supplier="S002"') :].split("</tr>")[0]
    assert "<td>none: cooperation ended 2025-06-30</td>" in row and "low" not in row
    assert "<td>medium</td>" in page[page.index('data-supplier="S001"') :].split("</tr>")[0]
    tiers = web.get("/suppliers/tiers", params={"supplier": "S002"}).text
    row = tiers[tiers.index('data-supplier="S002"') :].split("</tr>")[0]
    assert "<td>low</td>" in row and "cooperation ended 2025-06-30" in row  # history kept
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    chinese = web.get("/suppliers", headers=zh).text
    row = chinese[chinese.index('data-supplier="S002"') :].split("</tr>")[0]
    assert "<td>无：合作已于2025年6月30日终止</td>" in row
    chinese = web.get("/suppliers/tiers", headers=zh).text
    assert "合作已于2025年6月30日终止" in chinese


def test_supplier_figure_notes_on_the_kpi_page_speak_the_page_language(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    # 2024: S001's integrity agreement in force, 3 in cooperation
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    params = {"year": "2024", "years": "1", "all": "1"}
    english = web.get("/kpis", params=params).text
    # No CMRT is stored: the coverage is not available, and its sign says why (the
    # provider's reason, not only the roll-up's).
    cmrt = "not available: no CMRT is effective by the end of 2024"
    assert cmrt in english
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    chinese = web.get("/kpis", params=params, headers=zh).text
    assert "不适用：截至2024年末没有生效的CMRT" in chinese and cmrt not in chinese
    assert "the register has no figure for the boundary" not in chinese
