"""`esg check` and `esg check ack`: JSON shape, exit codes, acknowledgement as an audit event."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from esgledger.checks import open_findings, run_checks
from esgledger.ledger import audit
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from tests.checks.workspace import Workspace, kpi
from tests.conftest import Cli

FINDING_FIELDS = {
    "rule",
    "severity",
    "metrics",
    "entity",
    "year",
    "expected",
    "found",
    "explanation",
    "fix",
    "key",
    "dims",
    "unit",
    "tolerance",
    "details",
    "acknowledged",
}


def test_check_json_ack_and_fail_on(cli: Cli, tmp_path: Path) -> None:
    ws = Workspace(cli.db, tmp_path)
    ws.kpis(
        kpi("wastewater.tn", "10.00", "t"),
        kpi("wastewater.nh3_n", "11.00", "t"),  # error
        kpi("economy.cash_dividend", "0.05", "RMB billion", preliminary="yes"),  # warning
    )
    out = json.loads(cli("check", "--year", "2025", "--json").stdout)
    assert set(out) == {"year", "boundary", "counts", "findings"}
    assert (out["year"], out["boundary"]) == (2025, None)
    by_rule = {f["rule"]: f for f in out["findings"]}
    assert {"part.nh3n_le_tn", "preliminary.value"} <= set(by_rule)
    error = by_rule["part.nh3n_le_tn"]
    assert set(error) == FINDING_FIELDS
    assert (error["severity"], error["metrics"], error["entity"]) == (
        "error",
        ["wastewater.nh3_n", "wastewater.tn"],
        None,
    )
    assert (error["expected"], error["found"], error["acknowledged"]) == (10.0, 11.0, None)
    assert len(error["key"]) == 16
    assert out["counts"]["error"] == 1 and out["counts"]["acknowledged"] == 0

    cli("check", "--year", "2025", "--fail-on", "error", expect=1)

    events_before = _count(cli)
    acked = json.loads(
        cli(
            "check", "ack", error["key"], "--comment", "Lab confirmed: TN was mistyped", "--json"
        ).stdout
    )
    assert acked["key"] == error["key"] and acked["finding"]["rule"] == "part.nh3n_le_tn"
    with cli.db.read() as session:
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "finding.ack"))
        payload = json.loads(event.payload)
        assert _count(cli) == events_before + 1
        assert event.subject == f"finding:{error['key']}"
        assert payload["key"] == error["key"]
        assert payload["comment"] == "Lab confirmed: TN was mistyped"
        assert payload["finding"]["rule"] == "part.nh3n_le_tn"
        assert payload["finding"]["found"] == 11.0
        assert audit.verify(session).ok
        assert error["key"] not in {f.key for f in open_findings(session, 2025)}
        all_keys = {f.key: f for f in run_checks(session, 2025)}
        assert all_keys[error["key"]].acknowledged["comment"].startswith("Lab confirmed")

    shown = json.loads(cli("check", "--year", "2025", "--json").stdout)
    assert error["key"] not in {f["key"] for f in shown["findings"]}
    warnings = out["counts"]["warning"]  # the preliminary value, and index claims without data
    assert shown["counts"] == {"error": 0, "warning": warnings, "acknowledged": 1}
    everything = json.loads(
        cli("check", "--year", "2025", "--include-acknowledged", "--json").stdout
    )
    acked_row = next(f for f in everything["findings"] if f["key"] == error["key"])
    assert acked_row["acknowledged"]["comment"] == "Lab confirmed: TN was mistyped"
    assert acked_row["acknowledged"]["event"] == event.id

    cli("check", "--year", "2025", "--fail-on", "error")  # the only error is acknowledged


def test_human_output_and_one_line_errors(sqlite_db: Database, tmp_path: Path) -> None:
    # Output and argument handling do not depend on the database: SQLite only.
    cli = Cli(sqlite_db)
    Workspace(cli.db, tmp_path).kpis(
        kpi("wastewater.tn", "10.00", "t"), kpi("wastewater.nh3_n", "11.00", "t")
    )
    table = cli("check", "--year", "2025", "--fail-on", "warning", expect=1).stdout
    key = next(line.split("key ")[1].strip() for line in table.splitlines() if "part.nh3n" in line)
    assert "Ammonia nitrogen (11.00 t) is larger than total nitrogen (10.00 t)" in table
    assert "expected 10 t, found 11 t" in table and "Fix: Check the monitoring" in table
    cli("check", "ack", key, "--comment", "seen", "--year", "2025")
    again = cli("check", "ack", key, "--comment", "twice", expect=2)
    assert "already acknowledged" in again.stderr and again.stderr.count("\n") == 1
    unknown = cli("check", "ack", "0123456789abcdef", "--comment", "x", expect=2)
    assert "no finding with key 0123456789abcdef" in unknown.stderr
    blank = cli("check", "ack", key, "--comment", "  ", expect=2)
    assert "give a comment" in blank.stderr
    bad = cli("check", "--year", "2025", "--fail-on", "x", expect=2)
    assert "use error or warning" in bad.stderr
    missing = cli("check", "--year", "2025", "--narrative", str(tmp_path / "nope"), expect=2)
    assert "does not exist" in missing.stderr


def _count(cli: Cli) -> int:
    with cli.db.read() as session:
        return audit.count(session)
