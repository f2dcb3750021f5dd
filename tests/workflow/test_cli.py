"""The `esg request` commands: thin shells over the services, one-line errors, --json."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.factories import write_csv
from tests.workflow.conftest import Org


def test_request_commands_end_to_end(cli: Cli, org: Org, tmp_path: Path) -> None:
    issued = cli("request", "issue", "--year", "2025", "--metric", "packaging.plastics",
                 "--subtree", "HQ", "--owner", "olga", "--reviewer", "rita",
                 "--due", "2099-01-31", "--as", "mia", "--json")  # fmt: skip
    assert json.loads(issued.stdout)["created"] == 2
    entered = cli("request", "enter", "1", "--value", "12.5", "--unit", "t", "--if-version", "1",
                  "--as", "olga", "--json")  # fmt: skip
    assert json.loads(entered.stdout)["version"] == 2
    stale = cli("request", "submit", "1", "--if-version", "1", "--as", "olga", expect=2)
    assert "error: request 1 was changed by olga at" in stale.output
    assert "Traceback" not in stale.output and stale.output.count("error:") == 1
    evidence = tmp_path / "invoice.pdf"
    evidence.write_bytes(b"%PDF-1.4\x00\xff binary")
    cli("request", "evidence", "add", "1", str(evidence), "--as", "olga")
    cli("request", "submit", "1", "--as", "olga")
    denied = cli("request", "approve", "1", "--as", "olga", expect=2)
    assert "error: olga (data_owner) may not approve requests" in denied.output
    cli("request", "approve", "1", "--as", "rita")
    late = json.loads(cli("request", "overdue", "--today", "2099-02-01", "--as", "aldo",
                          "--json").stdout)  # fmt: skip
    assert [r["id"] for r in late] == [2] and late[0]["overdue"] is True
    out = tmp_path / "copy.pdf"
    cli("request", "evidence", "get", "1", "--out", str(out), "--as", "aldo")
    assert out.read_bytes() == evidence.read_bytes()
    locked = cli("request", "lock", "--year", "2025", "--as", "mia", "--json")
    assert json.loads(locked.stdout) == {"locked": [1]}
    nobody = cli("request", "list", expect=2)
    assert "no user 'cli' to act as; pass --as USERNAME or set ESG_ACTOR" in nobody.output


def test_esg_import_kpis_leaves_requested_figures_to_their_request(
    cli: Cli, org: Org, tmp_path: Path
) -> None:
    """Every path that writes a figure keeps the review states: the command line's import
    refuses a row whose figure a data request owns, as the API does, and writes nothing."""
    cli("request", "issue", "--year", "2025", "--metric", "packaging.plastics",
        "--subtree", "HQ", "--owner", "olga", "--reviewer", "rita",
        "--due", "2099-01-31", "--as", "mia")  # fmt: skip
    cli("request", "enter", "1", "--value", "12.5", "--unit", "t", "--as", "olga")
    cli("request", "submit", "1", "--as", "olga")
    cli("request", "approve", "1", "--as", "rita")
    cli("request", "lock", "--year", "2025", "--as", "mia")
    header = ["entity", "year", "metric", "value", "unit", "restatement_reason"]
    before = cli("kpis", "list", "--year", "2025", "--history", "--json").stdout
    requested = write_csv(tmp_path / "k.csv", header,
                          [["HQ", 2025, "packaging.plastics", 99, "t", "typo"]])  # fmt: skip
    refused = cli("import", "kpis", str(requested), expect=2)
    assert "is the figure of data request 1 (locked)" in refused.output
    assert "restate it through the request with a reason" in refused.output
    assert "Traceback" not in refused.output
    assert cli("kpis", "list", "--year", "2025", "--history", "--json").stdout == before
    free = write_csv(tmp_path / "free.csv", header,
                     [["HQ", 2025, "packaging.cartons", 3, "t", ""]])  # fmt: skip
    assert "1 added" in cli("import", "kpis", str(free)).output
