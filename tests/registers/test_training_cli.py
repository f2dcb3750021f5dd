"""#17 training register from the command line: campaigns and an LMS export imported,
coverage listed, `esg kpi explain` down to the records; a bad export exits non-zero."""

from __future__ import annotations

import json
from pathlib import Path

from tests.checks.workspace import Workspace
from tests.conftest import Cli
from tests.factories import write_csv
from tests.registers.training_files import CAMPAIGN_HEADER, CAMPAIGNS, RECORDS, records_file


def test_import_coverage_and_explain(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    campaigns = write_csv(tmp_path / "c.csv", CAMPAIGN_HEADER, CAMPAIGNS)
    assert (
        "3 campaigns added"
        in cli("register", "training", "import-campaigns", str(campaigns)).output
    )
    lms = records_file(tmp_path, RECORDS)
    assert (
        "10 records stored, 0 replaced"
        in cli("register", "training", "import-records", str(lms)).output
    )
    rows = json.loads(cli("register", "training", "coverage", "--year", "2025", "--json").stdout)
    sz1 = next(
        r
        for r in rows
        if (r["campaign"], r["entity"], r["worker_type"]) == ("IC25", "SZ1", "employee")
    )
    assert (sz1["required"], sz1["completed"], sz1["share"]) == (2, 1, 50.0)
    found = json.loads(
        cli("kpi", "explain", "compliance.anti_corruption_training.completed", "--year", "2025",
            "--json").stdout
    )  # fmt: skip
    assert found["figure"]["value"] == 3 and found["figure"]["source"] == "register"
    bad = records_file(tmp_path, [["AC25", "P1", "SZ1", "", "robot", "", "", ""]], "bad.csv")
    result = cli("register", "training", "import-records", str(bad), expect=2)
    assert "bad.csv, row 2, column 'worker_type': 'robot' is not one of" in result.output
    assert "Traceback" not in result.output
