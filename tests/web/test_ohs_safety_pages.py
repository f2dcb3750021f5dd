"""#17 OHS safety registers page: hazards, drills and special-operation posts with search,
filters, sort and pages, in both languages, for KPI readers; others are refused; the
registers page links it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from tests.factories import entities_file
from tests.registers.ohs_safety_files import load
from tests.web.conftest import log_in, make_user

PAGE = "/registers/ohs-safety"


def test_the_three_registers_filtered_sorted_and_paged(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    load(db, tmp_path)
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    open_ = web.get(PAGE, params={"year": 2025, "state": "open"})
    assert open_.status_code == 200
    assert open_.text.count("data-hazard=") == 2 and 'data-hazard="H3"' in open_.text
    found = web.get(PAGE, params={"q": "forklift"})
    assert found.text.count("data-hazard=") == 1 and 'data-hazard="H4"' in found.text
    by_risk = web.get(PAGE, params={"sort": "risk", "entity": "WH1"})
    assert by_risk.text.index('data-hazard="H5"') < by_risk.text.index('data-hazard="H4"')
    paged = web.get(PAGE, params={"limit": 2})
    assert paged.text.count("data-hazard=") == 2 and 'data-testid="pager"' in paged.text
    drills = web.get(PAGE, params={"view": "drills", "year": 2025, "sort": "-participants"})
    assert drills.text.count("data-drill=") == 3
    assert drills.text.index('data-drill="D3"') < drills.text.index('data-drill="D1"')
    posts = web.get(PAGE, params={"view": "operators", "year": 2025, "certified": "no"})
    assert posts.text.count("data-post=") == 2 and 'data-status="expired"' in posts.text
    assert PAGE in web.get("/registers").text
    chinese = web.get(
        PAGE,
        params={"view": "operators", "year": 2025},
        headers={"Accept-Language": "zh-CN"},
    )
    assert "特种作业" in chinese.text and "已过期" in chinese.text and "电工作业" in chinese.text
    hazards_zh = web.get(PAGE, headers={"Accept-Language": "zh-CN"})
    assert "安全隐患" in hazards_zh.text and "重大" in hazards_zh.text


def test_empty_registers_say_so_and_others_are_refused(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    assert 'data-testid="no-rows"' in web.get(PAGE, params={"view": "drills"}).text
    make_user(db, "olga", "data_owner", grants=("SZ1",))
    log_in(web, "olga")
    assert web.get(PAGE).status_code == 403
