"""#17 certification register from the command line: import, list with filters, `esg kpi
explain` down to the certificates; a bad file is one line per bad cell and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.checks.workspace import Workspace
from tests.conftest import Cli
from tests.registers.certification_files import CERTIFICATES, add_plants, certificates_file


def test_import_list_and_explain(cli: Cli, tmp_path: Path) -> None:
    add_plants(Workspace(cli.db, tmp_path))
    path = certificates_file(tmp_path, CERTIFICATES)
    assert "9 added, 0 restated" in cli("register", "certifications", "import", str(path)).output
    listed = json.loads(
        cli(
            "register", "certifications", "list", "--year", "2025", "--status", "expired", "--json"
        ).stdout
    )
    assert sorted(r["number"] for r in listed["rows"]) == ["C3", "C9"]
    table = cli("register", "certifications", "list", "--standard", "ISO 14001").output
    assert "3 of 3 certificates" in table and "C4" in table
    found = json.loads(
        cli("kpi", "explain", "certification.iso14001.sites", "--year", "2025", "--json").stdout
    )
    assert (found["figure"]["value"], found["figure"]["source"]) == (2, "register")


def test_a_bad_file_or_status_is_refused_in_one_line(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    bad = certificates_file(
        tmp_path, [["SZ1", "ISO 9001", "N1", "CQC", "2024-01-01", "soon", "", "", "", ""]]
    )
    result = cli("register", "certifications", "import", str(bad), expect=2)
    assert "certs.csv, row 2, column 'expires_on': 'soon' is not a date" in result.output
    assert "Traceback" not in result.output
    result = cli("register", "certifications", "list", "--status", "lost", expect=2)
    assert "'lost' is not one of valid" in result.output
