"""#17 board register over HTTP: members filtered, searched and paged, meetings with their
attendance, behind ``kpis.read``."""

from __future__ import annotations

from pathlib import Path

from esgledger.registers.board import import_attendance, import_members
from tests.api.conftest import Api, problem
from tests.registers.board_files import ATTENDANCE, MEMBERS, attendance_file, members_file


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
