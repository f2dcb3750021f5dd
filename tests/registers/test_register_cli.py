"""#17 from the command line: `esg register ohs …` imports and moves, `esg kpi explain`
walks a register figure down to its rows; bad input is one line and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

from esgledger.registers import whistle
from tests.checks.workspace import Workspace
from tests.conftest import Cli
from tests.factories import write_csv
from tests.registers.ohs_files import HOURS, HOURS_HEADER, INCIDENT_HEADER, INCIDENTS


def test_import_explain_and_move(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)  # the entity tree
    hours = write_csv(tmp_path / "hours.csv", HOURS_HEADER, HOURS)
    incidents = write_csv(tmp_path / "incidents.csv", INCIDENT_HEADER, INCIDENTS)
    assert "4 added, 0 replaced" in cli("register", "ohs", "import-hours", str(hours)).output
    assert "6 incidents added" in cli("register", "ohs", "import-incidents", str(incidents)).output
    out = cli("kpi", "explain", "ohs.lost_days", "--year", "2025", "--json").stdout
    found = json.loads(out)
    assert (found["figure"]["value"], found["figure"]["source"]) == (35, "register")
    assert found["figure"]["inputs"] == [{"register": "ohs_incidents", "rows": 2, "entities": 3}]
    rows = {r["entity"]: r["rows"] for r in found["register_rows"]}
    assert len(rows["SZ1"]) == 2 and rows["WH1"] == [] and rows["VN1"] == []
    table = cli("kpi", "explain", "ohs.lost_days", "--year", "2025").output
    assert "Register rows behind the figure" in table and "none (a counted zero)" in table
    moved = cli("register", "ohs", "move", "I-1", "investigating", "--version", "1", "--json")
    assert json.loads(moved.stdout) == {"ref": "I-1", "state": "investigating", "version": 2}
    listed = json.loads(
        cli("register", "ohs", "incidents", "--state", "investigating", "--json").stdout
    )
    assert [r["ref"] for r in listed["rows"]] == ["I-1"] and listed["total"] == 1


def test_refusals_are_one_line_with_a_non_zero_exit(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    bad = write_csv(tmp_path / "h.csv", HOURS_HEADER, [["SZ1", 2025, "robot", 5]])
    result = cli("register", "ohs", "import-hours", str(bad), expect=2)
    assert "h.csv, row 2, column 'worker_type': 'robot' is not one of" in result.output
    assert "Traceback" not in result.output
    result = cli("register", "ohs", "move", "NOPE", "closed", expect=2)
    assert "ohs_incidents: no row 'NOPE'" in result.output
    result = cli("kpi", "explain", "ohs.lost_days", "--year", "2025", "--dims", "oops", expect=2)
    assert "give NAME=VALUE pairs" in result.output
    assert cli("kpi", expect=2).output.count("\n") == 1


def test_whistleblowing_links_counts_cases_and_moves(cli: Cli, tmp_path: Path) -> None:
    """#17: a compliance officer issues links and moves cases; others get counts only."""
    Workspace(cli.db, tmp_path)
    cli("user", "add", "cora", "--role", "compliance_officer")
    cli("user", "add", "aldo", "--role", "auditor")
    out = json.loads(cli("register", "whistle", "links", "SZ1", "--as", "cora", "--json").stdout)
    with cli.db.write() as session:
        receipt = whistle.submit_report(
            session, out["tokens"][0], case_type="harassment", description="shouted at daily"
        )
    counts = json.loads(cli("register", "whistle", "counts", "--as", "aldo", "--json").stdout)
    assert counts["by_type"] == {"harassment": 1} and counts["by_state"] == {"received": 1}
    denied = cli("register", "whistle", "cases", "--as", "aldo", expect=None)
    assert denied.exit_code != 0 and "aldo (auditor) may not" in denied.output
    assert "shouted" not in denied.output and "Traceback" not in denied.output
    cases = json.loads(cli("register", "whistle", "cases", "--as", "cora", "--json").stdout)
    assert cases["rows"][0]["description"] == "shouted at daily"
    moved = cli("register", "whistle", "move", receipt.code, "triaged", "--as", "cora", "--json")
    assert json.loads(moved.stdout)["state"] == "triaged"
    early = cli("register", "whistle", "move", receipt.code, "closed", "--as", "cora", expect=2)
    assert "the reason for closing without investigation is empty" in early.output


def test_a_hotline_report_is_recorded_by_an_officer_and_followed_up(
    cli: Cli, tmp_path: Path
) -> None:
    Workspace(cli.db, tmp_path)
    cli("user", "add", "cora", "--role", "compliance_officer")
    args = ("register", "whistle", "record", "WH1", "--channel", "hotline", "--type", "fraud")
    got = json.loads(cli(*args, "--text", "fuel cards misused", "--as", "cora", "--json").stdout)
    with cli.db.write() as session:
        case = whistle.follow_up(session, got["code"], got["passphrase"], client="test")
        assert (case.entity_id, case.channel, case.case_type) == ("WH1", "hotline", "fraud")
    bad = cli(*args[:-1], "bribes", "--text", "x", "--as", "cora", expect=2)
    assert "type 'bribes' is not one of corruption, fraud" in bad.output
