"""#17 board register: imports refuse bad files whole naming row and column, a member is
restated by a later file, figures computed by hand (size, independence, women, age bands,
tenure, attendance), lineage to the rows, digests that cover the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from esgledger.errors import ImportRejected
from esgledger.kpi.explain import explain_figure
from esgledger.kpi.series import kpi_series
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.register_models import BoardAttendance, BoardMember
from esgledger.registers.board import import_attendance, import_members
from esgledger.registers.board_listing import list_meetings, list_members
from tests.checks.workspace import ACTOR, Workspace, kpi
from tests.registers.board_files import MEMBERS, attendance_file, load, members_file


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(BoardMember)) or 0,
            session.scalar(select(func.count()).select_from(BoardAttendance)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def figures(ws: Workspace, year: int = 2025) -> dict[tuple[str, str], dict[str, Any]]:
    with ws.db.read() as session:
        series = kpi_series(session, year, years=1)
    return {
        (k["metric"], ";".join(f"{a}={b}" for a, b in sorted(k["dims"].items()))): k["figures"][
            str(year)
        ]
        for k in series["kpis"]
    }


def test_a_bad_members_file_is_refused_whole_naming_row_and_column(ws: Workspace) -> None:
    before = counts(ws)
    path = members_file(
        ws.tmp,
        [
            MEMBERS[0],
            ["D2", "XX9", "", "ceo", "maybe", "no", "x", "19x5", "2019-13-01", "", "golf"],
            [
                "D3",
                "GRP",
                "Kid",
                "director",
                "yes",
                "yes",
                "male",
                2010,
                "2020-01-01",
                "2019-01-01",
                "",
            ],
            MEMBERS[0],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        import_members(ws.db, path, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 3, column 'entity': unknown entity 'XX9'",
        "row 3, column 'name': name is empty",
        "row 3, column 'role': 'ceo' is not one of chair, vice_chair, director",
        "row 3, column 'executive': 'maybe' is not yes or no",
        "row 3, column 'gender': 'x' is not one of male, female, unknown",
        "row 3, column 'birth_year': '19x5' is not a year",
        "row 3, column 'appointed_on': '2019-13-01' is not a date",
        "row 3, column 'committees': 'golf' is not one of strategy, audit",
        "row 4, column 'independent': an executive director is not independent",
        "row 4, column 'birth_year': born 2010, the member was under 18 when appointed",
        "row 4, column 'left_on': left on 2019-01-01 before being appointed",
        "row 5, column 'ref': duplicate of row 2",
    ):
        assert expected in text, text
    assert counts(ws) == before  # nothing written, no audit event


def test_a_bad_attendance_file_is_refused_whole(ws: Workspace) -> None:
    load(ws, attendance=[["GRP", "B1", "board", "2025-03-20", "D1", "present"]])
    before = counts(ws)
    path = attendance_file(
        ws.tmp,
        [
            ["GRP", "B1", "board", "2025-03-20", "D1", "present"],  # already stored
            ["GRP", "B1", "board", "2025-03-21", "D2", "present"],  # another date for B1
            ["GRP", "B2", "golf", "2025-08-25", "D9", "asleep"],
            ["WH1", "W1", "board", "2025-05-05", "D1", "present"],  # D1 is GRP's director
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        import_attendance(ws.db, path, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 2, column 'member_ref': attendance of 'D1' at 'B1' is already in the register",
        "row 3, column 'date': meeting 'B1' has date '2025-03-20' in row 2",
        "row 4, column 'member_ref': 'D9' is not a board member of GRP",
        "row 4, column 'body': 'golf' is not one of board, strategy",
        "row 4, column 'attendance': 'asleep' is not one of present, proxy, absent",
        "row 5, column 'member_ref': 'D1' is not a board member of WH1",
    ):
        assert expected in text, text
    assert counts(ws) == before


def test_figures_match_hand_computed_values(ws: Workspace) -> None:
    load(ws)
    got = figures(ws)
    value = {key: f["value"] for key, f in got.items()}
    # serving at 2025-12-31: D1, D2, D3, D4, D6 (D5 left on 2025-03-31; W1 is WH1's board)
    assert value[("governance.board.size", "")] == 5
    assert value[("governance.board.independent_directors", "")] == 3  # D3, D4, D6
    assert value[("governance.board.executive_directors", "")] == 2  # D1, D2
    assert value[("governance.board.women", "")] == 2  # D2, D3
    assert value[("governance.board.independent_share", "")] == pytest.approx(60.0)
    assert value[("governance.board.women_share", "")] == pytest.approx(40.0)
    # ages at 2025's end: D1 63, D2 50, D3 57, D4 35, D6 29
    assert value[("governance.board.size", "age_band=above_50")] == 2
    assert value[("governance.board.size", "age_band=41-50")] == 1
    assert value[("governance.board.size", "age_band=31-40")] == 1
    assert value[("governance.board.size", "age_band=18-30")] == 1
    # days served by 2025-12-31: 3471 + 2376 + 1280 + 731 + 184 = 8042 → 22.018 years
    assert value[("governance.board.tenure_years", "")] == pytest.approx(8042 / 365.25)
    assert value[("governance.board.average_tenure", "")] == pytest.approx(8042 / 365.25 / 5)
    # B1: 5 called, D1, D2, D5 present (D3 by proxy, D4 absent); B2: all 5 → 8 of 10
    assert value[("governance.board.meetings", "")] == 2
    assert value[("governance.board.attendance_expected", "")] == 10
    assert value[("governance.board.attendance_present", "")] == 8
    assert value[("governance.board.attendance_rate", "")] == pytest.approx(80.0)
    size = got[("governance.board.size", "")]
    assert size["source"] == "register" and not size["partial"]
    assert size["inputs"] == [{"register": "board_members", "rows": 5, "entities": 1}]


def test_without_attendance_the_rate_is_not_available_never_zero(ws: Workspace) -> None:
    load(ws, attendance=[])
    got = figures(ws)
    assert got[("governance.board.size", "")]["value"] == 5
    rate = got[("governance.board.attendance_rate", "")]
    assert rate["value"] is None and "missing input" in rate["note"]


def test_a_typed_board_size_is_compared_with_the_register(ws: Workspace) -> None:
    ws.kpis(kpi("governance.board.size", "9", "person"))
    load(ws)
    size = figures(ws)[("governance.board.size", "")]
    assert size["value"] == 5 and size["source"] == "register"
    assert size["comparison"]["recomputed_source"] == "register"


def test_lineage_names_the_rows_and_the_boards_left_out(ws: Workspace) -> None:
    load(ws)
    with ws.db.read() as session:
        ids = dict(session.execute(select(BoardMember.ref, BoardMember.id)).all())
        found = explain_figure(session, "governance.board.women", 2025)
    assert found["figure"]["value"] == 2
    (row,) = found["register_rows"]
    assert row["entity"] == "GRP" and row["rows"] == [ids["D2"], ids["D3"]]
    assert row["note"] == "leaves out the boards of WH1 (below GRP)"


def test_a_restated_member_leaves_and_the_digests_follow(ws: Workspace) -> None:
    load(ws)
    left = [*MEMBERS[1][:9], "2025-10-01", ""]
    done = import_members(ws.db, members_file(ws.tmp, [left], "left.csv"), actor=ACTOR)
    assert (done.added, done.replaced) == (0, 1)
    assert figures(ws)[("governance.board.women", "")]["value"] == 1  # D2 left in October
    with ws.db.read() as session:
        assert verify_data(session).ok, verify_data(session).problems
    with ws.db.write() as session:  # an edit behind the writer's back
        session.scalars(
            select(BoardMember).where(BoardMember.ref == "D3")
        ).one().independent = False
    with ws.db.read() as session:
        result = verify_data(session)
    assert not result.ok
    assert any("board_members differs from the digest" in p for p in result.problems)


def test_listing_filters_searches_and_pages(ws: Workspace) -> None:
    load(ws)
    with ws.db.read() as session:
        serving = list_members(session, year=2025, entity="GRP", limit=2)
        audit = list_members(session, committee="audit")
        found = list_members(session, search="zhou")
        meetings = list_meetings(session, year=2025)
    assert serving["total"] == 5 and len(serving["rows"]) == 2
    assert sorted(r["ref"] for r in audit["rows"]) == ["D3", "D4"]
    assert audit["rows"][0]["committees"][0] == "audit"
    assert [r["ref"] for r in found["rows"]] == ["D6"]
    assert [(m["meeting"], m["present"], m["proxy"], m["absent"]) for m in meetings] == [
        ("B1", 3, 1, 1),
        ("A1", 2, 0, 0),
        ("B2", 5, 0, 0),
    ]
