"""#17 customer complaints and NPS: files refused whole naming row and column, the loop's
states in order only, SLA breaches per severity and state, figures and NPS by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from esgledger.errors import ConcurrentChange, ImportRejected, InvalidInput
from esgledger.kpi.explain import explain_figure
from esgledger.kpi.series import kpi_series
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.register_models import Complaint, NpsAnswer
from esgledger.registers import nps
from esgledger.registers.complaints import LINE, import_complaints
from esgledger.registers.history import advance
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_csv
from tests.registers.complaint_files import (
    COMPLAINTS,
    HEADER,
    NPS_HEADER,
    load,
    load_answers,
    set_slas,
)


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def figures(ws: Workspace, year: int = 2025) -> dict[tuple[str, str], dict[str, Any]]:
    with ws.db.read() as session:
        series = kpi_series(session, year, years=1)
    return {
        (k["metric"], ";".join(f"{a}={b}" for a, b in sorted(k["dims"].items()))): k["figures"][
            str(year)
        ]
        for k in series["kpis"]
    }


def count(ws: Workspace, model: Any) -> int:
    with ws.db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_bad_complaint_file_is_refused_whole_naming_row_and_column(ws: Workspace) -> None:
    events = count(ws, AuditEvent)
    rows = [
        COMPLAINTS[0],
        ["C-9", "XX9", "pigeon", "", "urgent", "2025-02-01 25:00", "", "", "", "", ""],
        ["C-8", "SZ1", "phone", "AC", "low", "2025-02-01 09:00", "", "2025-02-01 10:00",
         "", "", ""],
        ["C-7", "SZ1", "phone", "AC", "low", "2025-02-01 09:00", "2025-01-31 09:00",
         "", "", "", ""],
        ["C-1", "SZ1", "phone", "AC", "low", "2025-02-01", "", "", "", "", ""],
    ]  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        import_complaints(ws.db, write_csv(ws.tmp / "bad.csv", HEADER, rows), actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 3, column 'entity': unknown entity 'XX9'",
        "row 3, column 'channel': 'pigeon' is not one of phone",
        "row 3, column 'severity': 'urgent' is not one of low, medium, high",
        "row 3, column 'product_line': product_line is empty",
        "row 3, column 'accepted_at': '2025-02-01 25:00' is not a date and time",
        "row 4, column 'processing_at': processing_at is given but assigned_at is empty",
        "row 5, column 'assigned_at': '2025-01-31 09:00' is before accepted_at",
        "row 6, column 'ref': duplicate of row 2",
    ):
        assert expected in text, text
    assert count(ws, Complaint) == 0 and count(ws, AuditEvent) == events


def test_the_loop_moves_in_order_only_stamping_each_state(ws: Workspace) -> None:
    load(ws)
    with (
        ws.db.write() as session,
        pytest.raises(InvalidInput, match="allowed from 'processing': return_visit"),
    ):
        advance(session, Complaint, LINE, ref="C-4", target="closed", actor=ACTOR)
    with ws.db.write() as session:
        row = advance(session, Complaint, LINE, ref="C-4", target="return_visit", actor=ACTOR)
        assert row.return_visit_at is not None and row.state == "return_visit"
        version = row.version
    with ws.db.write() as session, pytest.raises(ConcurrentChange):
        advance(
            session, Complaint, LINE, ref="C-4", target="filed", actor=ACTOR,
            seen_version=version - 1,
        )  # fmt: skip
    with ws.db.write() as session:
        for target in ("filed", "closed"):
            advance(session, Complaint, LINE, ref="C-4", target=target, actor=ACTOR)
    with ws.db.read() as session:
        closed = session.scalars(select(Complaint).where(Complaint.ref == "C-4")).one()
        assert closed.state == "closed" and closed.closed_at is not None
        assert verify_data(session).ok, verify_data(session).problems


def test_counts_breaches_and_sla_share_match_hand_computed_values(ws: Workspace) -> None:
    load(ws)
    got = figures(ws)
    # received in 2025: C-1..C-4; closed in 2025: C-1, C-2, C-3, C-5
    assert got[("customer.complaints.received", "")]["value"] == 4
    assert got[("customer.complaints.received", "complaint_severity=high")]["value"] == 2
    assert got[("customer.complaints.received", "complaint_severity=low")]["value"] == 0
    assert got[("customer.complaints.closed", "")]["value"] == 4
    # within SLA: C-1, C-3, C-5 (C-2 broke two SLAs)
    assert got[("customer.complaints.closed_within_sla", "")]["value"] == 3
    # breaches: C-2 twice, C-4 processing since 1 December (> 120 h at year end)
    assert got[("customer.complaints.sla_breaches", "")]["value"] == 3
    assert got[("customer.complaints.sla_breaches", "complaint_severity=medium")]["value"] == 1
    share = got[("customer.complaints.closed_within_sla_share", "")]
    assert share["value"] == pytest.approx(75.0)
    received = got[("customer.complaints.received", "")]
    assert received["source"] == "register"
    assert received["inputs"] == [{"register": "complaints", "rows": 4, "entities": 2}]
    with ws.db.read() as session:
        ids = dict(session.execute(select(Complaint.ref, Complaint.id)).all())
        found = explain_figure(session, "customer.complaints.closed_within_sla", 2025)
    rows = {r["entity"]: r["rows"] for r in found["register_rows"]}
    assert rows == {"SZ1": [ids["C-1"], ids["C-5"]], "WH1": [ids["C-3"]]}


def test_without_an_sla_for_a_severity_the_sla_figures_are_not_available(ws: Workspace) -> None:
    load(ws, slas=False)
    set_slas(ws, [("high", "accepted", 2)])  # nothing for medium
    got = figures(ws)
    assert got[("customer.complaints.closed", "")]["value"] == 4
    within = got[("customer.complaints.closed_within_sla", "complaint_severity=medium")]
    assert within["value"] is None
    assert "no SLA set for medium complaints" in within["note"]
    assert got[("customer.complaints.closed_within_sla", "complaint_severity=high")]["value"] == 2


def test_nps_by_segment_and_overall_by_hand(ws: Workspace) -> None:
    load_answers(ws)
    assert count(ws, NpsAnswer) == 7
    with ws.db.read() as session:
        rows = {r["segment"]: r for r in nps.by_segment(session, 2025)}
        empty = nps.by_segment(session, 2023)
    # domestic: 10, 9, 8, 3 → 2 promoters, 1 detractor of 4 → 25
    assert rows["domestic_distribution"]["nps"] == pytest.approx(25.0)
    # non-distribution 2025: 6, 7 → 0 promoters, 1 detractor of 2 → −50
    assert rows["non_distribution"]["nps"] == pytest.approx(-50.0)
    assert rows["all"]["answers"] == 6 and rows["all"]["nps"] == pytest.approx(0.0)
    assert empty == [{"segment": "all", "answers": 0, "promoters": 0, "passives": 0,
                      "detractors": 0, "nps": None, "note": "not available: no answers"}]  # fmt: skip
    got = figures(ws)
    assert got[("customer.nps.score", "")]["value"] == pytest.approx(0.0)
    assert got[("customer.nps.promoters", "customer_segment=domestic_distribution")]["value"] == 2
    assert got[("customer.nps.answers", "customer_segment=other")]["value"] == 0
    assert figures(ws, 2023).get(("customer.nps.score", ""), {}).get("value") is None


def test_a_bad_nps_file_is_refused_whole(ws: Workspace) -> None:
    path = write_csv(
        ws.tmp / "bad-nps.csv",
        NPS_HEADER,
        [["SZ1", "2025-06-01", "retail", 11], ["SZ1", "2025-13-01", "other", "x"]],
    )
    with pytest.raises(ImportRejected) as caught:
        nps.import_answers(ws.db, path, actor=ACTOR)
    text = str(caught.value)
    assert "row 2, column 'segment': 'retail' is not one of" in text
    assert "row 2, column 'score': '11' is not a whole number from 0 to 10" in text
    assert "row 3, column 'date': '2025-13-01' is not a date" in text
    assert count(ws, NpsAnswer) == 0
