"""#17 board and training registers over the pages (training: coverage rows, below): directors with search, filters, sort and pages, and
the year's meetings with their attendance, for KPI readers; others are refused."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.registers.board import import_attendance, import_members
from esgledger.registers.training import import_campaigns, import_records
from tests.factories import entities_file, write_csv
from tests.registers.board_files import ATTENDANCE, MEMBERS, attendance_file, members_file
from tests.registers.training_files import CAMPAIGN_HEADER, CAMPAIGNS, RECORDS, records_file
from tests.web.conftest import log_in, make_user


def _board(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    import_members(db, members_file(tmp_path, MEMBERS), actor="setup")
    import_attendance(db, attendance_file(tmp_path, ATTENDANCE), actor="setup")


def test_members_filtered_searched_sorted_and_paged(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _board(db, tmp_path)
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/registers/board", params={"year": 2025, "entity": "GRP"})
    assert page.status_code == 200
    assert page.text.count("data-member=") == 5 and 'data-member="D5"' not in page.text
    audit = web.get("/registers/board", params={"committee": "audit"})
    assert audit.text.count("data-member=") == 2 and "Chen Jing" in audit.text
    found = web.get("/registers/board", params={"q": "zhou"})
    assert 'data-member="D6"' in found.text and found.text.count("data-member=") == 1
    paged = web.get("/registers/board", params={"limit": 2, "sort": "-born"})
    assert paged.text.index('data-member="D6"') < paged.text.index('data-member="D4"')
    assert paged.text.count("data-member=") == 2 and "page=2" in paged.text
    meetings = web.get("/registers/board", params={"year": 2025}).text
    assert 'data-testid="board-meetings"' in meetings and "2024-11-01" not in meetings
    none = web.get("/registers/board", params={"q": "nobody"})
    assert 'data-testid="no-members"' in none.text


def test_a_user_without_kpi_reading_is_refused(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _board(db, tmp_path)
    make_user(db, "olga", "data_owner")
    log_in(web, "olga")
    page = web.get("/registers/board")
    assert page.status_code == 403 and "Li Wei" not in page.text


def test_training_coverage_filtered_searched_and_paged(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    campaigns = write_csv(tmp_path / "c.csv", CAMPAIGN_HEADER, CAMPAIGNS)
    import_campaigns(db, campaigns, actor="setup")
    import_records(db, records_file(tmp_path, RECORDS), actor="setup")
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    page = web.get("/registers/training", params={"year": 2025})
    assert page.status_code == 200 and page.text.count("data-row=") == 7
    assert 'data-row="IC24/' not in page.text
    sz1 = web.get("/registers/training", params={"year": 2025, "entity": "SZ1", "q": "ac25"})
    assert sz1.text.count("data-row=") == 2 and "50.0" not in sz1.text
    paged = web.get("/registers/training", params={"limit": 2, "sort": "-required"})
    assert paged.text.count("data-row=") == 2 and "page=2" in paged.text
