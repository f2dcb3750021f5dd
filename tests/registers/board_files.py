"""A small board register — the group's board of five at the end of 2025, one director who
left, a subsidiary's board — and its meeting attendance, for the register and KPI tests."""

from __future__ import annotations

from pathlib import Path

from esgledger.registers.board import import_attendance, import_members
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_csv

MEMBER_HEADER = [
    "ref",
    "entity",
    "name",
    "role",
    "executive",
    "independent",
    "gender",
    "birth_year",
    "appointed_on",
    "left_on",
    "committees",
]
# Serving at 2025-12-31: D1, D2, D3, D4, D6 (D5 left in March); W1 sits on WH1's own board.
MEMBERS = [
    ["D1", "GRP", "Li Wei", "chair", "yes", "no", "male", 1962, "2016-06-30", "", "strategy"],
    ["D2", "GRP", "Wang Fang", "director", "yes", "no", "female", 1975, "2019-06-30", "", ""],
    [
        "D3",
        "GRP",
        "Chen Jing",
        "director",
        "no",
        "yes",
        "female",
        1968,
        "2022-06-30",
        "",
        "audit; nomination",
    ],
    [
        "D4",
        "GRP",
        "Zhao Lei",
        "director",
        "no",
        "yes",
        "male",
        1990,
        "2023-12-31",
        "",
        "Audit;remuneration",
    ],
    ["D5", "GRP", "Sun Hao", "director", "no", "no", "male", 1958, "2016-06-30", "2025-03-31", ""],
    [
        "D6",
        "GRP",
        "Zhou Min",
        "director",
        "no",
        "yes",
        "male",
        1996,
        "2025-06-30",
        "",
        "sustainability",
    ],
    ["W1", "WH1", "Wu Gang", "chair", "yes", "no", "male", 1970, "2020-01-01", "", ""],
]
ATTENDANCE_HEADER = ["entity", "meeting_ref", "body", "date", "member_ref", "attendance"]
# 2025 board meetings B1 and B2: 10 directors expected, 8 present in person; A1 is the audit
# committee's and B0 is 2024's: neither counts in 2025's board attendance.
ATTENDANCE = [
    ["GRP", "B0", "board", "2024-11-01", "D1", "present"],
    ["GRP", "B1", "board", "2025-03-20", "D1", "present"],
    ["GRP", "B1", "board", "2025-03-20", "D2", "present"],
    ["GRP", "B1", "board", "2025-03-20", "D3", "proxy"],
    ["GRP", "B1", "board", "2025-03-20", "D4", "absent"],
    ["GRP", "B1", "board", "2025-03-20", "D5", "present"],
    ["GRP", "B2", "board", "2025-08-25", "D1", "present"],
    ["GRP", "B2", "board", "2025-08-25", "D2", "present"],
    ["GRP", "B2", "board", "2025-08-25", "D3", "present"],
    ["GRP", "B2", "board", "2025-08-25", "D4", "present"],
    ["GRP", "B2", "board", "2025-08-25", "D6", "present"],
    ["GRP", "A1", "audit", "2025-04-10", "D3", "present"],
    ["GRP", "A1", "audit", "2025-04-10", "D4", "present"],
]


def members_file(tmp: Path, rows: list[list[object]], name: str = "members.csv") -> Path:
    return write_csv(tmp / name, MEMBER_HEADER, rows)


def attendance_file(tmp: Path, rows: list[list[object]], name: str = "attendance.csv") -> Path:
    return write_csv(tmp / name, ATTENDANCE_HEADER, rows)


def load(
    ws: Workspace,
    members: list[list[object]] = MEMBERS,
    attendance: list[list[object]] = ATTENDANCE,
) -> None:
    import_members(ws.db, members_file(ws.tmp, members), actor=ACTOR)
    if attendance:
        import_attendance(ws.db, attendance_file(ws.tmp, attendance), actor=ACTOR)
