"""#17 board and training registers over HTTP: members filtered, searched and paged, meetings
with their attendance, campaigns' coverage, behind ``kpis.read``."""

from __future__ import annotations

from pathlib import Path

from esgledger.registers.board import import_attendance, import_members
from esgledger.registers.training import import_campaigns, import_records
from tests.api.conftest import Api, problem
from tests.factories import write_csv
from tests.registers.board_files import ATTENDANCE, MEMBERS, attendance_file, members_file
from tests.registers.training_files import CAMPAIGN_HEADER, CAMPAIGNS, RECORDS, records_file


def test_members_and_meetings_with_filters(api: Api, tmp_path: Path) -> None:
    import_members(api.db, members_file(tmp_path, MEMBERS), actor="t")
    import_attendance(api.db, attendance_file(tmp_path, ATTENDANCE), actor="t")
    page = api.ok(
        "aldo", "GET", "/registers/board/members", params={"year": 2025, "limit": 2, "offset": 1}
    )
    assert page["total"] == 6 and len(page["rows"]) == 2  # five at GRP, W1 at WH1
    audit = api.ok("mia", "GET", "/registers/board/members", params={"committee": "audit"})
    assert sorted(r["ref"] for r in audit["rows"]) == ["D3", "D4"]
    found = api.ok("mia", "GET", "/registers/board/members", params={"search": "WANG"})
    assert [(r["ref"], r["gender"], r["serving"]) for r in found["rows"]] == [
        ("D2", "female", True)
    ]
    meetings = api.ok("mia", "GET", "/registers/board/meetings", params={"year": 2025})
    assert [(m["meeting"], m["present"]) for m in meetings] == [("B1", 3), ("A1", 2), ("B2", 5)]
    problem(api.call("olga", "GET", "/registers/board/members"), 403)  # scoped data owner
    problem(api.call(None, "GET", "/registers/board/meetings"), 401)
    problem(api.call("mia", "GET", "/registers/board/members", params={"limit": 0}), 422)


def test_training_coverage_for_kpi_readers(api: Api, tmp_path: Path) -> None:
    import_campaigns(api.db, write_csv(tmp_path / "c.csv", CAMPAIGN_HEADER, CAMPAIGNS), actor="t")
    import_records(api.db, records_file(tmp_path, RECORDS), actor="t")
    rows = api.ok("aldo", "GET", "/registers/training/coverage", params={"year": 2025})
    ac25 = [(r["entity"], r["worker_type"], r["required"], r["completed"]) for r in rows
            if r["campaign"] == "AC25"]  # fmt: skip
    assert ac25 == [
        ("SZ1", "employee", 2, 2),
        ("SZ1", "outsourced", 1, 0),
        ("WH1", "employee", 1, 1),
    ]
    problem(api.call("olga", "GET", "/registers/training/coverage"), 403)
