"""#17 complaints (with NPS per segment and the SLAs) and vulnerabilities over the pages:
filters, search, sort and pages for KPI readers, in either language; others are refused."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.registers.complaints import import_complaints
from esgledger.registers.nps import import_answers
from esgledger.registers.vulnerabilities import import_vulnerabilities
from tests.factories import entities_file, write_csv
from tests.registers import complaint_files as cf
from tests.registers import vulnerability_files as vf
from tests.web.conftest import log_in, make_user


def _load(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    import_complaints(db, write_csv(tmp_path / "c.csv", cf.HEADER, cf.COMPLAINTS), actor="s")
    import_answers(db, write_csv(tmp_path / "n.csv", cf.NPS_HEADER, cf.ANSWERS), actor="s")
    import_vulnerabilities(db, write_csv(tmp_path / "v.csv", vf.HEADER, vf.ROWS), actor="s")


def test_complaints_filtered_searched_sorted_paged_with_nps(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _load(db, tmp_path)
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/registers/complaints", params={"year": 2025, "severity": "high"})
    assert page.status_code == 200
    assert page.text.count("data-complaint=") == 2 and 'data-complaint="C-5"' not in page.text
    assert 'data-segment="all"' in page.text and "not set" in page.text  # no SLA set yet
    found = web.get("/registers/complaints", params={"q": "tv"})
    assert found.text.count("data-complaint=") == 2  # C-3, C-4
    paged = web.get("/registers/complaints", params={"limit": 2, "sort": "accepted"})
    assert paged.text.index('data-complaint="C-5"') < paged.text.index('data-complaint="C-1"')
    assert paged.text.count("data-complaint=") == 2 and "page=2" in paged.text
    empty = web.get("/registers/complaints", params={"year": 2020})
    assert 'data-testid="no-complaints"' in empty.text and "not available: no answers" in empty.text
    zh = web.get("/registers/complaints", params={"year": 2025}, headers={"Accept-Language": "zh"})
    assert "客户投诉与满意度" in zh.text and "净推荐值" in zh.text


def test_vulnerabilities_filtered_and_sla_shown(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _load(db, tmp_path)
    make_user(db, "mona", "esg_manager")
    log_in(web, "mona")
    page = web.get("/registers/vulnerabilities", params={"severity": "high"})
    assert page.text.count("data-vulnerability=") == 1 and "missed" in page.text
    scored = web.get("/registers/vulnerabilities", params={"sort": "-score", "year": 2025}).text
    assert scored.index('data-vulnerability="V-1"') < scored.index('data-vulnerability="V-3"')
    landing = web.get("/registers").text
    assert 'href="/registers/complaints"' in landing
    assert 'href="/registers/vulnerabilities"' in landing


def test_a_user_without_kpi_reading_is_refused(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _load(db, tmp_path)
    make_user(db, "olga", "data_owner")
    log_in(web, "olga")
    for path in ("/registers/complaints", "/registers/vulnerabilities"):
        page = web.get(path)
        assert page.status_code == 403 and "C-1" not in page.text and "V-1" not in page.text
