"""Small complaint and NPS files for the register tests, with SLAs set by hand."""

from __future__ import annotations

from esgledger.registers.complaints import CLOCKED, import_complaints
from esgledger.registers.complaints_import import SEVERITIES
from esgledger.registers.nps import import_answers
from esgledger.registers.sla import set_sla
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_csv

HEADER = ["ref", "entity", "channel", "product_line", "severity", "accepted_at", "assigned_at",
          "processing_at", "return_visit_at", "filed_at", "closed_at"]  # fmt: skip
# SLA hours: high — accept→assign 2 h, processing 48 h; medium — processing 120 h.
SLAS = [("high", "accepted", 2), ("high", "processing", 48), ("medium", "processing", 120)]
COMPLAINTS = [
    # closed within SLA: assigned after 1 h, processed in 24 h
    ["C-1", "SZ1", "phone", "AC", "high", "2025-02-01 09:00", "2025-02-01 10:00",
     "2025-02-01 11:00", "2025-02-02 11:00", "2025-02-03 09:00", "2025-02-04 09:00"],
    # closed, two breaches: assigned after 3 h (> 2), processing 50 h (> 48)
    ["C-2", "SZ1", "email", "AC", "high", "2025-03-01 09:00", "2025-03-01 12:00",
     "2025-03-01 12:00", "2025-03-03 14:00", "2025-03-04 09:00", "2025-03-05 09:00"],
    # medium, closed within SLA (processing 100 h)
    ["C-3", "WH1", "web", "TV", "medium", "2025-04-01 08:00", "2025-04-01 09:00",
     "2025-04-01 10:00", "2025-04-05 14:00", "2025-04-06", "2025-04-07"],
    # medium, still processing at year end since December 1st: a breach judged at year end
    ["C-4", "WH1", "store", "TV", "medium", "2025-12-01 08:00", "2025-12-01 09:00",
     "2025-12-01 10:00", "", "", ""],
    # received in 2024, closed in 2025
    ["C-5", "SZ1", "app", "AC", "high", "2024-12-30 09:00", "2024-12-30 10:00",
     "2024-12-30 11:00", "2024-12-31 11:00", "2025-01-02", "2025-01-03"],
]  # fmt: skip
NPS_HEADER = ["entity", "date", "segment", "score"]
ANSWERS = [
    ["SZ1", "2025-06-01", "domestic_distribution", 10],
    ["SZ1", "2025-06-01", "domestic_distribution", 9],
    ["SZ1", "2025-06-02", "domestic_distribution", 8],
    ["SZ1", "2025-06-02", "domestic_distribution", 3],
    ["WH1", "2025-06-03", "non_distribution", 6],
    ["WH1", "2025-06-03", "non_distribution", 7],
    ["WH1", "2024-06-03", "non_distribution", 10],  # last year
]


def set_slas(ws: Workspace, slas: list[tuple[str, str, float]] = SLAS) -> None:
    with ws.db.write() as session:
        for severity, state, hours in slas:
            set_sla(
                session,
                register="complaints",
                severity=severity,
                state=state,
                hours=hours,
                severities=SEVERITIES,
                states=CLOCKED,
                actor=ACTOR,
            )


def load(ws: Workspace, rows: list[list[object]] = COMPLAINTS, slas: bool = True) -> None:
    if slas:
        set_slas(ws)
    import_complaints(ws.db, write_csv(ws.tmp / "complaints.csv", HEADER, rows), actor=ACTOR)


def load_answers(ws: Workspace, rows: list[list[object]] = ANSWERS) -> None:
    import_answers(ws.db, write_csv(ws.tmp / "nps.csv", NPS_HEADER, rows), actor=ACTOR)
