"""#17 board register from the command line: imports, listings, `esg kpi explain` down to the
member rows; a bad file is one line per bad cell and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

from tests.checks.workspace import Workspace
from tests.conftest import Cli
from tests.registers.board_files import ATTENDANCE, MEMBERS, attendance_file, members_file


def test_import_list_and_explain(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)  # the entity tree
    members = members_file(tmp_path, MEMBERS)
    attendance = attendance_file(tmp_path, ATTENDANCE)
    assert "7 added, 0 restated" in cli("register", "board", "import-members", str(members)).output
    done = cli("register", "board", "import-attendance", str(attendance)).output
    assert "13 attendance rows added" in done
    listed = json.loads(
        cli("register", "board", "members", "--year", "2025", "--entity", "GRP", "--json").stdout
    )
    assert listed["total"] == 5 and "D5" not in {r["ref"] for r in listed["rows"]}
    table = cli("register", "board", "meetings", "--year", "2025").output
    assert "3 meetings" in table and "B2" in table
    found = json.loads(
        cli(
            "kpi", "explain", "governance.board.independent_directors", "--year", "2025", "--json"
        ).stdout
    )
    assert (found["figure"]["value"], found["figure"]["source"]) == (3, "register")
    assert found["figure"]["inputs"] == [{"register": "board_members", "rows": 3, "entities": 1}]
    assert len(found["register_rows"][0]["rows"]) == 3


def test_a_bad_file_is_refused_with_one_line_per_cell(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    bad = members_file(tmp_path, [[*MEMBERS[0][:6], "robot", *MEMBERS[0][7:]]])
    result = cli("register", "board", "import-members", str(bad), expect=2)
    assert "members.csv, row 2, column 'gender': 'robot' is not one of" in result.output
    assert "Traceback" not in result.output
    orphan = attendance_file(tmp_path, [ATTENDANCE[1]])
    result = cli("register", "board", "import-attendance", str(orphan), expect=2)
    assert "'D1' is not a board member of GRP; import the members first" in result.output
