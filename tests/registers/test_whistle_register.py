"""#17 whistleblowing: anonymous intake by one-time link, follow-up by case code and
passphrase (rate-limited like login), the case flow with its rules, content for compliance
officers only, audit events without content, and the counts as register figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from esgledger.auth.permissions import PermissionDenied, Principal
from esgledger.auth.sessions import TooManyAttempts
from esgledger.auth.users import add_user, principal
from esgledger.errors import ConcurrentChange, Conflict, InvalidInput, NotFound
from esgledger.kpi.explain import explain_figure
from esgledger.kpi.series import kpi_series
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.register_models import WhistleCase
from esgledger.registers import whistle
from esgledger.registers.whistle import Step, WrongPassphrase
from esgledger.registers.whistle_listing import case_counts, list_cases
from tests.checks.workspace import Workspace

SECRET = "the foreman takes cash from the scrap dealer"


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    ws = Workspace(db, tmp_path)
    with db.write() as session:
        for name, role in (("cora", "compliance_officer"), ("ivan", "compliance_officer"),
                           ("ada", "admin"), ("aldo", "auditor"), ("mia", "esg_manager")):  # fmt: skip
            add_user(session, username=name, role=role, actor="setup")
    return ws


def who(ws: Workspace, name: str) -> Principal:
    with ws.db.read() as session:
        return principal(session, name)


def report(ws: Workspace, entity: str = "SZ1", case_type: str = "corruption") -> whistle.Receipt:
    with ws.db.write() as session:
        (token,) = whistle.issue_links(session, principal(session, "cora"), entity=entity)
    with ws.db.write() as session:
        return whistle.submit_report(session, token, case_type=case_type, description=SECRET)


def advance(ws: Workspace, code: str, step: Step, version: int | None = None) -> WhistleCase:
    with ws.db.write() as session:
        return whistle.advance(
            session, principal(session, "cora"), code=code, step=step, seen_version=version
        )


def test_a_report_through_a_link_gives_a_code_and_passphrase_and_spends_the_link(
    ws: Workspace,
) -> None:
    with ws.db.write() as session:
        (token,) = whistle.issue_links(session, principal(session, "cora"), entity="SZ1")
    with ws.db.write() as session:
        receipt = whistle.submit_report(session, token, case_type="fraud", description=SECRET)
    assert receipt.code.startswith("WB-") and len(receipt.passphrase) >= 20
    with ws.db.write() as session, pytest.raises(Conflict, match="used already"):
        whistle.submit_report(session, token, case_type="fraud", description="again")
    with ws.db.write() as session, pytest.raises(NotFound, match="unknown reporting link"):
        whistle.submit_report(session, "not-a-token", case_type="fraud", description="x")
    with ws.db.read() as session:
        case = session.scalars(select(WhistleCase)).one()
        assert (case.entity_id, case.channel, case.state) == ("SZ1", "web", "received")
        assert receipt.passphrase not in case.passphrase_hash  # kept as an argon2 hash
        assert case.passphrase_hash.startswith("$argon2id$")


def test_follow_up_needs_the_passphrase_and_is_rate_limited(ws: Workspace) -> None:
    receipt = report(ws)
    with ws.db.write() as session:
        case = whistle.follow_up(session, receipt.code, receipt.passphrase, client="10.0.0.1")
        whistle.add_message(session, case, author="reporter", body="I have photos.")
        seen = whistle.reporter_view(session, case)
    assert seen["state"] == "received" and seen["messages"][0]["body"] == "I have photos."
    for _ in range(5):  # the login limit's default: 5 failures in 15 minutes
        wrong = pytest.raises(WrongPassphrase, match="case code or the passphrase is wrong")
        with ws.db.write() as session, wrong:  # the caller commits the counted failure
            whistle.follow_up(session, receipt.code, "wrong", client="10.0.0.2")
    with pytest.raises(TooManyAttempts), ws.db.write() as session:  # even the right one now
        whistle.follow_up(session, receipt.code, receipt.passphrase, client="10.0.0.2")
    with ws.db.write() as session, pytest.raises(WrongPassphrase):  # an unknown code alike
        whistle.follow_up(session, "WB-NOPE", receipt.passphrase, client="10.0.0.3")


def test_the_case_moves_only_along_its_flow_with_what_each_step_needs(ws: Workspace) -> None:
    code = report(ws).code
    with pytest.raises(InvalidInput, match="cannot move from 'received' to 'investigating'"):
        advance(ws, code, Step("investigating", investigator="ivan"))
    advance(ws, code, Step("triaged"))
    with pytest.raises(InvalidInput, match="must be an active compliance officer"):
        advance(ws, code, Step("investigating", investigator="mia"))
    case = advance(ws, code, Step("investigating", investigator="ivan"))
    with pytest.raises(ConcurrentChange):
        advance(ws, code, Step("closed", outcome="unsubstantiated"), version=case.version - 1)
    with pytest.raises(InvalidInput, match="closes with an outcome"):
        advance(ws, code, Step("closed"))
    with pytest.raises(InvalidInput, match="follows a substantiated outcome"):
        advance(ws, code, Step("corrective_action", corrective_action="dismissal"))
    advance(ws, code, Step("corrective_action", outcome="substantiated",
                           corrective_action="dismissal; dealer contract ended"))  # fmt: skip
    advance(ws, code, Step("closed"))
    with pytest.raises(InvalidInput, match="non-retaliation follow-up note is empty"):
        advance(ws, code, Step("followed_up"))
    case = advance(ws, code, Step("followed_up", note="no adverse action at 6 months"))
    assert (case.state, case.investigator, case.outcome) == ("followed_up", "ivan", "substantiated")
    assert case.closed_at is not None


def test_case_content_is_for_compliance_officers_only_and_never_in_the_audit_log(
    ws: Workspace,
) -> None:
    code = report(ws).code
    advance(ws, code, Step("triaged"))
    with ws.db.read() as session:
        listed = list_cases(session, who(ws, "cora"))
        assert listed["rows"][0]["description"] == SECRET
        for name in ("ada", "aldo", "mia"):
            with pytest.raises(PermissionDenied):
                list_cases(session, who(ws, name))
            with pytest.raises(PermissionDenied):
                whistle.get_case(session, who(ws, name), code)
            counts = case_counts(session, who(ws, name))
            assert counts["received"] == 1 and counts["by_type"] == {"corruption": 1}
            assert SECRET not in str(counts) and code not in str(counts)
        payloads = " ".join(session.scalars(select(AuditEvent.payload)))
        actions = set(session.scalars(select(AuditEvent.action)))
    assert SECRET not in payloads
    assert {"register.whistleblowing.report", "register.whistleblowing.move"} <= actions
    with ws.db.read() as session:
        assert verify_data(session).ok


def figures(ws: Workspace, year: int) -> dict[str, Any]:
    with ws.db.read() as session:
        series = kpi_series(session, year, years=1)
    return {
        k["metric"]: k["figures"][str(year)]
        for k in series["kpis"]
        if k["metric"].startswith("compliance.whistleblowing") and not k["dims"]
    }


def test_counts_become_register_figures_computed_by_hand(ws: Workspace) -> None:
    codes = [report(ws, "SZ1", t).code for t in ("corruption", "fraud", "harassment")]
    codes.append(report(ws, "WH1", "data").code)
    for code, outcome in ((codes[0], "substantiated"), (codes[1], "unsubstantiated")):
        advance(ws, code, Step("triaged"))
        advance(ws, code, Step("investigating", investigator="ivan"))
        advance(ws, code, Step("closed", outcome=outcome))
    # codes[0]: received 1 Feb, closed 20 Mar (47 days); codes[1]: 1 Feb → 1 Jul (150 days);
    # codes[2] and codes[3] stay open, received in June.
    dates = {codes[0]: ("2025-02-01", "2025-03-20"), codes[1]: ("2025-02-01", "2025-07-01"),
             codes[2]: ("2025-06-10", None), codes[3]: ("2025-06-11", None)}  # fmt: skip
    with ws.db.write() as session:
        for code, (received, closed) in dates.items():
            session.execute(
                update(WhistleCase)
                .where(WhistleCase.ref == code)
                .values(
                    received_at=dt.datetime.fromisoformat(received),
                    closed_at=dt.datetime.fromisoformat(closed) if closed else None,
                )
            )
    got = figures(ws, 2025)
    assert got["compliance.whistleblowing.received"]["value"] == 4
    assert got["compliance.whistleblowing.substantiated"]["value"] == 1
    assert got["compliance.whistleblowing.closed"]["value"] == 2
    assert got["compliance.whistleblowing.closed_within_sla"]["value"] == 1
    assert got["compliance.whistleblowing.received"]["source"] == "register"
    with ws.db.read() as session:
        counts = case_counts(session, who(ws, "aldo"), year=2025)
    assert counts["by_type"] == {"corruption": 1, "data": 1, "fraud": 1, "harassment": 1}
    assert counts["by_channel"] == {"web": 4} and counts["closed_within_sla"] == 1


def test_sla_clock_per_state_by_hand() -> None:
    """Each state's clock from its entry time: 7 days to acknowledge (EU 2019/1937 art. 9(1)(b)),
    14 to triage, 90 to investigate (art. 9(1)(f)), 60 for corrective action, 180 from closure
    to the non-retaliation follow-up; none once followed up. Due at the minute, overdue after."""
    since = dt.datetime(2025, 3, 1, 9, 0)
    due = {  # counted on a calendar: March 31 days, April 30, May 31, June 30, July 31
        "received": dt.datetime(2025, 3, 8, 9, 0),
        "triaged": dt.datetime(2025, 3, 15, 9, 0),
        "investigating": dt.datetime(2025, 5, 30, 9, 0),
        "corrective_action": dt.datetime(2025, 4, 30, 9, 0),
        "closed": dt.datetime(2025, 8, 28, 9, 0),
    }
    for state, when in due.items():
        on_time = whistle.CASES.clock(state, since, when)
        assert (on_time.due, on_time.overdue) == (when, False), state
        assert whistle.CASES.clock(state, since, when + dt.timedelta(minutes=1)).overdue, state
    final = whistle.CASES.clock("followed_up", since, dt.datetime(2030, 1, 1))
    assert (final.due, final.overdue) == (None, False)


def _stamp(ws: Workspace, code: str, **values: dt.datetime | None) -> None:
    with ws.db.write() as session:
        session.execute(update(WhistleCase).where(WhistleCase.ref == code).values(**values))


def test_a_case_clock_runs_from_its_last_move_on_lists_api_and_export(ws: Workspace) -> None:
    """The listed clock starts when the case entered its state (not when it was received),
    and the overdue filter keeps exactly the cases past their state's due time."""
    late, fresh = report(ws).code, report(ws).code
    advance(ws, late, Step("triaged"))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    entered = now - dt.timedelta(days=14, hours=1)  # triage allows 14 days: one hour late
    _stamp(ws, late, received_at=now - dt.timedelta(days=30), state_changed_at=entered)
    _stamp(
        ws,
        fresh,
        received_at=now - dt.timedelta(days=6),
        state_changed_at=now - dt.timedelta(days=6),
    )
    with ws.db.read() as session:
        rows = {r["code"]: r for r in list_cases(session, who(ws, "cora"))["rows"]}
        overdue = list_cases(session, who(ws, "cora"), overdue=True)
    assert rows[late]["clock"]["state"] == "triaged"
    assert rows[late]["clock"]["due"] == (entered + dt.timedelta(days=14)).isoformat()
    assert rows[late]["clock"]["overdue"] is True
    assert (
        rows[fresh]["clock"]["due"]
        == (now - dt.timedelta(days=6) + dt.timedelta(days=7)).isoformat()
    )
    assert rows[fresh]["clock"]["overdue"] is False
    assert [r["code"] for r in overdue["rows"]] == [late] and overdue["total"] == 1


@pytest.mark.parametrize(
    ("closed", "within"),
    [("2025-04-01 00:00", True), ("2025-04-01 00:01", False), ("2025-03-31 23:59", True)],
)
def test_closed_within_90_days_at_the_boundary_everywhere(
    ws: Workspace, closed: str, within: bool
) -> None:
    """Received 1 January 00:00: 90 days end on 1 April 00:00 (31 + 28 + 31 days). The case,
    the counts every KPI reader sees and the KPI figure agree."""
    code = report(ws).code
    advance(ws, code, Step("closed", note="outside the policy's scope"))
    received = dt.datetime(2025, 1, 1)
    _stamp(ws, code, received_at=received, closed_at=dt.datetime.fromisoformat(closed))
    with ws.db.read() as session:
        case = session.scalars(select(WhistleCase).where(WhistleCase.ref == code)).one()
        counts = case_counts(session, who(ws, "aldo"), year=2025)
    assert whistle.closed_within_sla(case) is within
    assert counts["closed"] == 1 and counts["closed_within_sla"] == int(within)
    got = figures(ws, 2025)
    assert got["compliance.whistleblowing.closed"]["value"] == 1
    assert got["compliance.whistleblowing.closed_within_sla"]["value"] == int(within)


def test_the_figures_lead_back_to_the_cases_they_count(ws: Workspace) -> None:
    """``esg kpi explain``'s rows: per entity, the ids of exactly the cases a figure counts."""
    codes = {t: report(ws, "SZ1", t).code for t in ("corruption", "fraud")}
    codes["data"] = report(ws, "WH1", "data").code
    for code in (codes["corruption"], codes["data"]):
        advance(ws, code, Step("triaged"))
        advance(ws, code, Step("investigating", investigator="ivan"))
        advance(ws, code, Step("closed", outcome="substantiated"))
    with ws.db.write() as session:
        for code in codes.values():
            session.execute(
                update(WhistleCase)
                .where(WhistleCase.ref == code)
                .values(received_at=dt.datetime(2025, 5, 1), closed_at=None)
            )
        session.execute(
            update(WhistleCase)
            .where(WhistleCase.ref.in_([codes["corruption"], codes["data"]]))
            .values(closed_at=dt.datetime(2025, 6, 1))
        )
    with ws.db.read() as session:
        ids = dict(session.execute(select(WhistleCase.ref, WhistleCase.id)).all())
        lineage = {
            metric: {r["entity"]: sorted(r["rows"]) for r in explain_figure(
                session, f"compliance.whistleblowing.{metric}", 2025)["register_rows"]}
            for metric in ("received", "substantiated", "closed_within_sla")
        }  # fmt: skip
    assert lineage["received"] == {
        "SZ1": sorted([ids[codes["corruption"]], ids[codes["fraud"]]]),
        "WH1": [ids[codes["data"]]],
    }
    assert lineage["substantiated"] == {
        "SZ1": [ids[codes["corruption"]]],
        "WH1": [ids[codes["data"]]],
    }
    assert lineage["closed_within_sla"] == lineage["substantiated"]


def test_a_case_straddling_the_year_end_counts_where_each_date_falls(ws: Workspace) -> None:
    """Received 15 December 2024, closed 1 February 2025 (48 days): received in 2024's figure,
    closed and closed within 90 days in 2025's."""
    code = report(ws).code
    advance(ws, code, Step("closed", note="duplicate of a hotline call"))
    _stamp(ws, code, received_at=dt.datetime(2024, 12, 15), closed_at=dt.datetime(2025, 2, 1))
    before, after = figures(ws, 2024), figures(ws, 2025)
    assert before["compliance.whistleblowing.received"]["value"] == 1
    assert before["compliance.whistleblowing.closed"]["value"] == 0
    assert after["compliance.whistleblowing.received"]["value"] == 0
    assert after["compliance.whistleblowing.closed"]["value"] == 1
    assert after["compliance.whistleblowing.closed_within_sla"]["value"] == 1
