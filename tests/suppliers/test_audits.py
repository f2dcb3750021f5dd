"""#16.3 supplier audits: plan due dates by grade, allowed transitions to verified closure,
overdue escalation as `esg check` findings, open findings in the risk score."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from esgledger.checks import run_checks
from esgledger.checks.context import CheckContext
from esgledger.checks.supplier_actions import overdue_actions
from esgledger.suppliers.audits import plan_due
from tests.conftest import Cli
from tests.suppliers.factories import registered


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    return registered(cli, tmp_path)


def _j(cli: Cli, *args: str, expect: int = 0) -> dict:  # type: ignore[type-arg]
    return json.loads(cli(*args, "--json", expect=expect).stdout)


def _audited(ws: Cli) -> dict[str, int]:
    """A done audit of S001 reported on 2025-03-10 with one finding of each grade."""
    audit = _j(ws, "suppliers", "audit", "plan", "S001", "--on", "2025-03-01",
               "--auditor", "Audit Co", "--site", "Foshan plant")["id"]  # fmt: skip
    ids = {}
    for grade in ("Priority", "Major", "Minor"):
        ids[grade] = _j(ws, "suppliers", "finding", "add", str(audit), "--grade", grade,
                        "--text", f"{grade} issue", "--family", "social")["id"]  # fmt: skip
    ws("suppliers", "audit", "report", str(audit), "--done", "2025-03-03", "--report", "2025-03-10")
    return ids


def test_plan_due_dates_follow_the_grade() -> None:
    report = dt.date(2025, 3, 10)
    assert plan_due(report, "Priority") == dt.date(2025, 3, 17)
    assert plan_due(report, "Major") == plan_due(report, "Minor") == dt.date(2025, 3, 24)


def test_reporting_an_audit_dates_its_findings_plans(ws: Cli) -> None:
    _audited(ws)
    rows = _j(ws, "suppliers", "finding", "list", "--supplier", "S001")
    assert [(r["grade"], r["plan_due"]) for r in rows] == [
        ("Priority", "2025-03-17"),
        ("Major", "2025-03-24"),
        ("Minor", "2025-03-24"),
    ]


def test_a_finding_moves_only_along_the_allowed_transitions(ws: Cli) -> None:
    major = str(_audited(ws)["Major"])
    err = ws("suppliers", "finding", "move", major, "verified_closed", "--on", "2025-04-01",
             expect=2).stderr  # fmt: skip
    assert "is open; it can move to plan_submitted" in err
    err = ws("suppliers", "finding", "move", major, "plan_submitted", "--root-cause", "x",
             expect=2).stderr  # fmt: skip
    assert "needs corrective, preventive, planned_completion" in err
    plan = ["--root-cause", "no training", "--corrective", "train", "--preventive", "yearly",
            "--complete-by", "2025-05-01"]  # fmt: skip
    ws("suppliers", "finding", "move", major, "plan_submitted", *plan)
    ws("suppliers", "finding", "move", major, "plan_rejected")
    ws("suppliers", "finding", "move", major, "plan_submitted", *plan)
    ws("suppliers", "finding", "move", major, "plan_approved")
    err = ws("suppliers", "finding", "move", major, "verified_closed", expect=2).stderr
    assert "needs the day its correction was verified" in err
    done = _j(ws, "suppliers", "finding", "move", major, "verified_closed", "--on", "2025-04-20")
    assert (done["state"], done["closed_on"]) == ("verified_closed", "2025-04-20")
    err = ws("suppliers", "finding", "move", major, "plan_submitted", *plan, expect=2).stderr
    assert "it can move to nothing (it is closed)" in err
    assert _j(ws, "audit", "verify", "--deep")["ok"] is True


def test_overdue_actions_escalate_as_check_findings(ws: Cli) -> None:
    ids = _audited(ws)
    plan = ["--root-cause", "r", "--corrective", "c", "--preventive", "p",
            "--complete-by", "2025-04-30"]  # fmt: skip
    ws("suppliers", "finding", "move", str(ids["Minor"]), "plan_submitted", *plan)
    with ws.db.read() as session:
        ctx = CheckContext(session=session, year=2025)
        on_18th = overdue_actions(ctx, today=dt.date(2025, 3, 18))
        in_may = overdue_actions(ctx, today=dt.date(2025, 5, 2))
        other_year = overdue_actions(CheckContext(session=session, year=2024), dt.date(2025, 5, 2))
        all_rules = [f.rule for f in run_checks(session, 2025)]
    assert [(f.details["grade"], f.severity, f.expected) for f in on_18th] == [
        ("Priority", "error", "2025-03-17")
    ]
    assert [(f.details["grade"], f.expected) for f in in_may] == [
        ("Priority", "2025-03-17"),
        ("Major", "2025-03-24"),
        ("Minor", "2025-04-30"),
    ]
    assert "verified correction" in in_may[2].explanation and other_year == []
    assert all_rules.count("suppliers.action_overdue") == 3  # today is after May 2025
    overdue = _j(ws, "suppliers", "finding", "list", "--overdue", "--on", "2025-03-18")
    assert [r["grade"] for r in overdue] == ["Priority"]


def test_open_serious_findings_raise_the_risk_score(ws: Cli) -> None:
    before = {r["supplier"]: r for r in _j(ws, "suppliers", "tier", "--dry-run")}
    assert before["S001"]["dimensions"]["findings"].startswith("not available")
    _audited(ws)
    after = {r["supplier"]: r for r in _j(ws, "suppliers", "tier", "--dry-run")}
    assert after["S001"]["dimensions"]["findings"] == 2  # Priority + Major open: ≥ 1, < 3


def test_a_steps_day_is_kept_in_the_audit_log_and_checked(ws: Cli) -> None:
    """#16: the day a plan was submitted or decided is stored with the step (hash-chained),
    never after today and never before the finding's previous dated step."""
    from esgledger.ledger.models import utcnow
    from esgledger.suppliers.finding_history import steps

    major = str(_audited(ws)["Major"])
    plan = ["--root-cause", "no training", "--corrective", "train", "--preventive", "yearly",
            "--complete-by", "2025-05-01"]  # fmt: skip
    tomorrow = (utcnow().date() + dt.timedelta(days=1)).isoformat()
    err = ws("suppliers", "finding", "move", major, "plan_submitted", *plan, "--on", tomorrow,
             expect=2).stderr  # fmt: skip
    assert f"the step's day {tomorrow} is after today" in err
    ws("suppliers", "finding", "move", major, "plan_submitted", *plan, "--on", "2025-03-20")
    err = ws("suppliers", "finding", "move", major, "plan_approved", "--on", "2025-03-19",
             expect=2).stderr  # fmt: skip
    assert (
        "2025-03-19 comes before the finding's previous step (plan_submitted on 2025-03-20)" in err
    )
    ws("suppliers", "finding", "move", major, "plan_approved")  # undated: the day recorded
    with ws.db.read() as session:
        history = steps(session)[int(major)]
    assert [(s.to, s.day, s.dated) for s in history] == [
        ("plan_submitted", dt.date(2025, 3, 20), True),
        ("plan_approved", utcnow().date(), False),
    ]
    assert _j(ws, "audit", "verify", "--deep")["ok"] is True
