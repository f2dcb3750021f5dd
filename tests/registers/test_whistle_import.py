"""#17 a case log imported into the whistleblowing register: compliance officers only, every
rule a move would apply checked per row, no follow-up for imported cases, no content in the
audit log, counts as register figures by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from esgledger.auth.permissions import PermissionDenied, Principal
from esgledger.errors import ImportRejected
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.register_models import WhistleCase
from esgledger.registers import whistle
from esgledger.registers.whistle_import import import_cases
from tests.checks.workspace import Workspace
from tests.conftest import Cli
from tests.factories import write_csv
from tests.registers.test_complaints_register import figures

OFFICER = Principal("cora", "compliance_officer")
HEADER = ["ref", "entity", "channel", "type", "received_at", "description", "state",
          "investigator", "outcome", "corrective_action", "closed_at", "retaliation_note"]  # fmt: skip
CASES = [
    ["H-1", "SZ1", "hotline", "fraud", "2025-01-10 10:00", "invoices split to stay under limits",
     "closed", "external counsel", "substantiated", "", "2025-03-01 10:00", ""],
    ["H-2", "SZ1", "letter", "harassment", "2025-02-01", "a supervisor's remarks", "followed_up",
     "cora", "unsubstantiated", "", "2025-07-01", "no retaliation seen at six months"],
    ["H-3", "WH1", "email", "corruption", "2025-11-20", "a gift from a supplier",
     "investigating", "cora", "", "", "", ""],
    ["H-4", "WH1", "hotline", "other", "2024-12-20", "canteen hygiene", "closed", "", "", "",
     "2025-01-05", ""],
]  # fmt: skip


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def _file(ws: Workspace, rows: list[list[object]]) -> Path:
    return write_csv(ws.tmp / "cases.csv", HEADER, rows)


def test_only_a_compliance_officer_imports(ws: Workspace) -> None:
    with pytest.raises(PermissionDenied):
        import_cases(ws.db, _file(ws, CASES), Principal("mona", "esg_manager"))
    with ws.db.read() as session:
        assert session.scalar(select(func.count()).select_from(WhistleCase)) == 0


def test_a_bad_log_is_refused_whole_naming_row_and_column(ws: Workspace) -> None:
    rows = [
        ["H-9", "XX9", "pigeon", "theft", "yesterday", "", "closed", "", "", "", "", ""],
        ["H-8", "SZ1", "hotline", "fraud", "2025-01-10", "x", "corrective_action", "cora",
         "unsubstantiated", "", "", ""],
        ["H-7", "SZ1", "hotline", "fraud", "2025-01-10", "x", "triaged", "", "", "",
         "2025-01-01", ""],
    ]  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        import_cases(ws.db, _file(ws, rows), OFFICER)
    text = str(caught.value)
    for expected in (
        "row 2, column 'entity': unknown entity 'XX9'",
        "row 2, column 'channel': 'pigeon' is not one of",
        "row 2, column 'type': 'theft' is not one of",
        "row 2, column 'received_at': 'yesterday' is not a date and time",
        "row 2, column 'description': description is empty",
        "row 2, column 'closed_at': a closed case needs closed_at",
        "row 3, column 'outcome': corrective action follows a substantiated outcome",
        "row 3, column 'corrective_action': the corrective action is empty",
        "row 4, column 'closed_at': only a closed case has closed_at",
    ):
        assert expected in text, text


def test_imported_cases_count_have_no_follow_up_and_keep_content_out_of_the_log(
    ws: Workspace,
) -> None:
    done = import_cases(ws.db, _file(ws, CASES), OFFICER)
    assert done.added == 4
    got = figures(ws)
    assert got[("compliance.whistleblowing.received", "")]["value"] == 3  # H-4 is 2024
    assert got[("compliance.whistleblowing.substantiated", "")]["value"] == 1
    assert got[("compliance.whistleblowing.closed", "")]["value"] == 3  # H-1, H-2, H-4
    # within 90 days: H-1 (50 days), H-4 (16 days); H-2 took 150 days
    assert got[("compliance.whistleblowing.closed_within_sla", "")]["value"] == 2
    with ws.db.write() as session, pytest.raises(whistle.WrongPassphrase):
        whistle.follow_up(session, "H-1", "", client="test")
    with ws.db.read() as session:
        payloads = " ".join(str(e.payload) for e in session.scalars(select(AuditEvent)))
        assert "invoices" not in payloads and "supervisor" not in payloads
        assert verify_data(session).ok, verify_data(session).problems


def test_the_case_log_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    cli("user", "add", "cora", "--role", "compliance_officer")
    cli("user", "add", "aldo", "--role", "auditor")
    path = write_csv(tmp_path / "cases.csv", HEADER, CASES)
    denied = cli("register", "whistle", "import-cases", str(path), "--as", "aldo", expect=None)
    assert denied.exit_code != 0 and "Traceback" not in denied.output
    done = cli("register", "whistle", "import-cases", str(path), "--as", "cora", "--json")
    assert json.loads(done.stdout)["added"] == 4
    again = cli("register", "whistle", "import-cases", str(path), "--as", "cora", expect=2)
    assert "cases.csv, row 2, column 'ref': case 'H-1' is already in the register" in again.output
