"""#17 complaints, NPS and vulnerabilities from the command line: imports, SLAs, listings,
moves, NPS per segment, `esg kpi explain`; bad input is one line and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

from tests.checks.workspace import Workspace
from tests.conftest import Cli
from tests.factories import write_csv
from tests.registers import complaint_files as cf
from tests.registers import vulnerability_files as vf


def test_complaints_sla_list_move_nps_and_explain(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    for severity, state, hours in cf.SLAS:
        cli("register", "complaints", "sla", severity, state, str(hours))
    slas = json.loads(cli("register", "complaints", "slas", "--json").stdout)
    assert {"severity": "high", "state": "accepted", "hours": 2} in slas
    assert {"severity": "low", "state": "accepted", "hours": None} in slas
    path = write_csv(tmp_path / "c.csv", cf.HEADER, cf.COMPLAINTS)
    assert "5 complaints added" in cli("register", "complaints", "import", str(path)).output
    listed = json.loads(
        cli("register", "complaints", "list", "--severity", "high", "--year", "2025",
            "--json").stdout
    )  # fmt: skip
    assert listed["total"] == 2
    assert {r["ref"]: r["breaches"] for r in listed["rows"]}["C-2"] == ["accepted", "processing"]
    assert "now return_visit" in cli("register", "complaints", "move", "C-4", "return_visit").output
    bad = cli("register", "complaints", "move", "C-4", "closed", expect=2)
    assert "cannot move from 'return_visit' to 'closed'" in bad.output
    assert "Traceback" not in bad.output
    bad = cli("register", "complaints", "sla", "urgent", "accepted", "1", expect=2)
    assert "severity 'urgent' is not one of low, medium, high" in bad.output
    answers = write_csv(tmp_path / "nps.csv", cf.NPS_HEADER, cf.ANSWERS)
    assert "7 answers added" in cli("register", "complaints", "import-nps", str(answers)).output
    table = cli("register", "complaints", "nps", "--year", "2025").output
    assert "domestic_distribution" in table and "25.0" in table
    assert "not available" in cli("register", "complaints", "nps", "--year", "2020").output
    found = json.loads(
        cli("kpi", "explain", "customer.complaints.received", "--year", "2025", "--json").stdout
    )
    assert (found["figure"]["value"], found["figure"]["source"]) == (4, "register")


def test_vulnerabilities_import_list_move_and_sla(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    path = write_csv(tmp_path / "v.csv", vf.HEADER, vf.ROWS)
    assert "5 vulnerabilities added" in cli("register", "vulns", "import", str(path)).output
    slas = json.loads(cli("register", "vulns", "slas", "--json").stdout)
    assert {"severity": "critical", "days": 15} in slas
    assert {"severity": "medium", "days": None} in slas
    cli("register", "vulns", "sla", "medium", "90")
    listed = json.loads(cli("register", "vulns", "list", "--severity", "high", "--json").stdout)
    assert listed["total"] == 1 and listed["rows"][0]["sla_met"] is False
    bad = cli("register", "vulns", "move", "V-2", "advisory_published", "--cve", "CVE-1", expect=2)
    assert "'CVE-1' is not a CVE id" in bad.output and "Traceback" not in bad.output
    done = json.loads(
        cli("register", "vulns", "move", "V-2", "advisory_published", "--cve", "CVE-2025-20002",
            "--json").stdout
    )  # fmt: skip
    assert done["cve_id"] == "CVE-2025-20002"
    bad_file = write_csv(
        tmp_path / "bad.csv", vf.HEADER, [["V-9", *vf.ROWS[0][1:4], "x", *vf.ROWS[0][5:]]]
    )
    result = cli("register", "vulns", "import", str(bad_file), expect=2)
    assert "bad.csv, row 2, column 'cvss_score': 'x' is not a CVSS v3.1 base score" in (
        result.output
    )
