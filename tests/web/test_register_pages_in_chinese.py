"""#19: the register pages with rows, in Chinese — states, severities, channels, sources,
roles, genders, committees, recipients and worker types by their catalog labels, never the
stored English codes (which stay the forms' values)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.registers.board import import_attendance, import_members
from esgledger.registers.complaints import import_complaints
from esgledger.registers.giving import import_donations
from esgledger.registers.nps import import_answers
from esgledger.registers.training import import_campaigns, import_records
from esgledger.registers.vulnerabilities import import_vulnerabilities
from tests.factories import write_csv
from tests.registers import complaint_files as cf
from tests.registers import vulnerability_files as vf
from tests.registers.board_files import ATTENDANCE, MEMBERS, attendance_file, members_file
from tests.registers.test_giving_register import DONATION_HEADER, DONATIONS
from tests.registers.training_files import CAMPAIGN_HEADER, CAMPAIGNS, RECORDS, records_file
from tests.web.conftest import log_in
from tests.web.test_languages import ZH, english_left
from tests.web.test_whistle_register_pages import _cases

PAGES = ("/registers/complaints", "/registers/vulnerabilities", "/registers/board",
         "/registers/training?year=2025", "/registers/giving")  # fmt: skip


def _registers(db: Database, tmp_path: Path) -> None:
    """Every register with a few rows (entities and users come with the cases)."""
    _cases(db, tmp_path)
    import_complaints(db, write_csv(tmp_path / "c.csv", cf.HEADER, cf.COMPLAINTS), actor="s")
    import_answers(db, write_csv(tmp_path / "n.csv", cf.NPS_HEADER, cf.ANSWERS), actor="s")
    import_vulnerabilities(db, write_csv(tmp_path / "v.csv", vf.HEADER, vf.ROWS), actor="s")
    import_members(db, members_file(tmp_path, MEMBERS), actor="s")
    import_attendance(db, attendance_file(tmp_path, ATTENDANCE), actor="s")
    import_campaigns(db, write_csv(tmp_path / "k.csv", CAMPAIGN_HEADER, CAMPAIGNS), actor="s")
    import_records(db, records_file(tmp_path, RECORDS), actor="s")
    import_donations(db, write_csv(tmp_path / "d.csv", DONATION_HEADER, DONATIONS), actor="s")


def test_register_pages_with_rows_print_no_catalog_english(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _registers(db, tmp_path)
    log_in(web, "cora")
    cases = web.get("/registers/whistleblowing", headers=ZH)
    assert cases.status_code == 200 and english_left(cases.text) == []
    assert "网页" in cases.text and 'value="triaged"' in cases.text  # channel label, state code
    log_in(web, "ada")
    pages = {path: web.get(path, headers=ZH) for path in PAGES}
    left = {path: english_left(page.text) for path, page in pages.items()}
    assert all(page.status_code == 200 for page in pages.values())
    assert left == {path: [] for path in PAGES}, left
    assert "研判" in pages["/registers/vulnerabilities"].text  # a state's label
    board = pages["/registers/board"].text
    assert "董事长" in board and 'value="strategy"' in board  # the label; the code submitted
    english = web.get("/registers/complaints").text
    assert "return visit" in english and "回访" not in english
