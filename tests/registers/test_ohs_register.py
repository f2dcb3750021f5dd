"""#17 register framework, on the OHS register: imports refuse bad files whole with one
line per bad cell, states move only along the flow, SLA clocks, audit events whose digests
cover the register rows (``esg audit verify --deep``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from esgledger.errors import ConcurrentChange, ImportRejected, InvalidInput
from esgledger.ledger import audit
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.register_models import OhsHours, OhsIncident
from esgledger.registers.ohs import INCIDENTS, import_hours, import_incidents
from esgledger.registers.transitions import move
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_csv, write_xlsx
from tests.registers.ohs_files import HOURS_HEADER, incidents_file, load


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(OhsHours)) or 0,
            session.scalar(select(func.count()).select_from(OhsIncident)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def test_a_bad_incident_file_is_refused_whole_naming_row_and_column(ws: Workspace) -> None:
    before = counts(ws)
    path = incidents_file(
        ws.tmp,
        [
            ["A-1", "SZ1", "2025-01-05", "employee", "injury", "no", 1, ""],
            ["A-2", "XX9", "2025-13-01", "robot", "burn", "maybe", -3, ""],
            ["A-1", "SZ1", "2025-01-06", "employee", "injury", "no", 0, ""],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        import_incidents(ws.db, path, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 3, column 'entity': unknown entity 'XX9'",
        "row 3, column 'date': '2025-13-01' is not a date",
        "row 3, column 'worker_type': 'robot' is not one of",
        "row 3, column 'kind': 'burn' is not one of injury, fatality, occupational_disease",
        "row 3, column 'high_consequence': 'maybe' is not yes or no",
        "row 3, column 'lost_days': '-3' is not a whole number of days",
        "row 4, column 'ref': duplicate of row 2",
    ):
        assert expected in text, text
    assert counts(ws) == before  # nothing written, no audit event


def test_a_bad_hours_file_is_refused_and_nothing_is_written(ws: Workspace) -> None:
    path = write_csv(
        ws.tmp / "h.csv",
        HOURS_HEADER,
        [["SZ1", 2025, "employee", "lots"], ["SZ1", "20x5", "employee", 1]],
    )
    with pytest.raises(ImportRejected) as caught:
        import_hours(ws.db, path, actor=ACTOR)
    assert "row 2, column 'hours': 'lots' is not a number" in str(caught.value)
    assert "row 3, column 'year': '20x5' is not a year" in str(caught.value)
    assert counts(ws)[0] == 0


def test_an_incident_already_in_the_register_is_refused(ws: Workspace) -> None:
    load(ws)
    path = incidents_file(ws.tmp, [["I-1", "SZ1", "2025-01-05", "employee", "injury", "no", 1, ""]])
    with pytest.raises(ImportRejected, match="incident 'I-1' is already in the register"):
        import_incidents(ws.db, path, actor=ACTOR)


def test_states_move_only_along_the_flow_with_the_version_seen(ws: Workspace) -> None:
    load(ws)
    with ws.db.write() as session:
        row = move(session, OhsIncident, INCIDENTS, ref="I-1", target="investigating", actor=ACTOR)
        assert (row.state, row.version) == ("investigating", 2)
    with ws.db.write() as session, pytest.raises(InvalidInput) as caught:
        move(session, OhsIncident, INCIDENTS, ref="I-1", target="reported", actor=ACTOR)
    assert str(caught.value) == (
        "ohs_incidents: cannot move from 'investigating' to 'reported'; "
        "allowed from 'investigating': corrective_action, closed"
    )
    with ws.db.write() as session, pytest.raises(ConcurrentChange, match="since version 1"):
        move(
            session, OhsIncident, INCIDENTS, ref="I-1", target="closed", actor=ACTOR, seen_version=1
        )
    with ws.db.write() as session:
        move(
            session, OhsIncident, INCIDENTS, ref="I-1", target="closed", actor=ACTOR, seen_version=2
        )
    with ws.db.write() as session, pytest.raises(InvalidInput, match="none \\(final state\\)"):
        move(session, OhsIncident, INCIDENTS, ref="I-1", target="investigating", actor=ACTOR)
    with ws.db.read() as session:
        moves = [e for e in audit.events(session, limit=10) if e.action.endswith(".move")]
    assert [e.subject for e in moves] == ["ohs_incidents:I-1", "ohs_incidents:I-1"]


def test_sla_clock_per_state() -> None:
    since = dt.datetime(2025, 3, 1, 9, 0)
    triage = INCIDENTS.clock("reported", since, dt.datetime(2025, 3, 3, 9, 0))
    assert (triage.due, triage.overdue) == (dt.datetime(2025, 3, 3, 9, 0), False)
    assert INCIDENTS.clock("reported", since, dt.datetime(2025, 3, 3, 9, 1)).overdue
    assert INCIDENTS.clock("investigating", since, dt.datetime(2025, 3, 31)).overdue is False
    closed = INCIDENTS.clock("closed", since, dt.datetime(2030, 1, 1))
    assert (closed.due, closed.overdue) == (None, False)


def test_audit_digests_cover_the_register_rows_and_catch_an_edit(ws: Workspace) -> None:
    load(ws)
    load(ws, hours=[["SZ1", 2025, "employee", 410000]], incidents=[])  # replaces one row
    with ws.db.write() as session:
        move(session, OhsIncident, INCIDENTS, ref="I-2", target="investigating", actor=ACTOR)
    with ws.db.read() as session:
        assert verify_data(session).ok, verify_data(session).problems
    with ws.db.write() as session:  # an edit behind the writer's back
        session.scalars(select(OhsIncident).where(OhsIncident.ref == "I-3")).one().lost_days = 99
    with ws.db.read() as session:
        result = verify_data(session)
    assert not result.ok
    assert any("ohs_incidents differs from the digest" in p for p in result.problems)


def test_an_lms_style_xlsx_is_read_from_its_named_sheet(ws: Workspace) -> None:
    path = write_xlsx(
        ws.tmp / "ohs.xlsx",
        {
            "notes": (["read me"], [["hours are per worker type"]]),
            "hours": (
                HOURS_HEADER,
                [["SZ1", 2025, "employee", 1000.0], ["WH1", 2025, "intern", 80]],
            ),
        },
    )
    done = import_hours(ws.db, path, actor=ACTOR, sheet="hours")
    assert (done.added, done.replaced) == (2, 0)
    again = import_hours(ws.db, path, actor=ACTOR, sheet="hours")  # a corrected file replaces
    assert (again.added, again.replaced) == (0, 2)
    assert counts(ws)[0] == 2


def test_an_incident_reaches_corrective_action_on_both_databases(ws: Workspace) -> None:
    """The state "corrective_action" is 17 characters: it overflowed String(16) on PostgreSQL."""
    load(ws)
    for target in ("investigating", "corrective_action", "closed"):
        with ws.db.write() as session:
            row = move(session, OhsIncident, INCIDENTS, ref="I-1", target=target, actor=ACTOR)
    assert row.state == "closed"
