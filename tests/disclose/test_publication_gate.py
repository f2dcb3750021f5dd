"""Issue 12, the publication gate: `esg report` refuses while error findings are open, unless
each is acknowledged with a reason (`esg check acknowledge`); a preview is never refused."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from esgledger.disclose.gate import PublicationBlocked
from esgledger.disclose.publish import publish_report
from esgledger.ledger import audit
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.report_models import PublishedReport
from tests.checks.workspace import Workspace, kpi
from tests.conftest import Cli


def _published(cli: Cli) -> int:
    with cli.db.read() as session:
        return len(list(session.scalars(select(PublishedReport))))


def test_report_refused_while_errors_are_open(cli: Cli, tmp_path: Path) -> None:
    ws = Workspace(cli.db, tmp_path)
    ws.kpis(
        kpi("wastewater.tn", "10.00", "t"),
        kpi("wastewater.nh3_n", "11.00", "t"),  # error: a part above its whole
    )
    out = tmp_path / "report"
    refused = cli("report", "--year", "2025", "--format", "html", "--out", str(out), expect=1)
    message = refused.stderr.strip()
    assert message.count("\n") == 0 and "Traceback" not in refused.output
    assert "1 error finding" in message and "esg check acknowledge" in message
    assert not out.exists() and _published(cli) == 0  # nothing written on refusal

    cli("report", "--year", "2025", "--format", "html", "--out", str(out), "--preview")
    assert (out / "esg-report-2025.html").exists() and _published(cli) == 0

    blank = cli(
        "check", "acknowledge", "part.nh3n_le_tn", "--year", "2025", "--reason", " ", expect=2
    )
    assert "give a reason" in blank.stderr
    none = cli(
        "check", "acknowledge", "part.nh3n_le_tn", "--subject", "water.x", "--reason", "r", expect=2
    )
    assert "no open finding" in none.stderr
    acked = json.loads(
        cli(
            "check",
            "acknowledge",
            "part.nh3n_le_tn",
            "--year",
            "2025",
            "--subject",
            "wastewater.nh3_n",
            "--reason",
            "Lab re-test pending; TN under review",
            "--json",
        ).stdout
    )
    assert [a["rule"] for a in acked["acknowledged"]] == ["part.nh3n_le_tn"]
    listed = json.loads(cli("check", "acknowledgements", "--json").stdout)
    (row,) = listed["acknowledgements"]
    assert row["rule"] == "part.nh3n_le_tn" and row["severity"] == "error"
    assert row["reason"] == "Lab re-test pending; TN under review" and row["actor"] and row["at"]
    assert "Lab re-test pending" in cli("check", "acknowledgements").stdout
    with cli.db.read() as session:
        assert audit.verify(session).ok
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "finding.ack"))

    cli("report", "--year", "2025", "--format", "html", "--out", str(out))
    assert _published(cli) == 1
    html = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    assert "Lab re-test pending; TN under review" in html  # the data-quality statement


def test_the_web_and_api_path_uses_the_same_gate(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path).kpis(
        kpi("wastewater.tn", "10.00", "t"), kpi("wastewater.nh3_n", "11.00", "t")
    )
    try:
        publish_report(cli.db, 2025, out=tmp_path / "r", formats=["html"], archive_as="web")
    except PublicationBlocked as exc:
        assert exc.exit_code == 1 and "1 error finding" in str(exc)
    else:
        raise AssertionError("published with an open error finding")
    assert _published(cli) == 0
