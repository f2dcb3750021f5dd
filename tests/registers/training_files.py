"""A small training register: an integrity commitment for everyone, an anti-corruption
training with a pass mark for two plants, last year's commitment, and an LMS export."""

from __future__ import annotations

from pathlib import Path

from esgledger.registers.training import import_campaigns, import_records
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_csv

CAMPAIGN_HEADER = ["code", "title", "kind", "topic", "year", "worker_types", "entities",
                   "pass_score"]  # fmt: skip
CAMPAIGNS = [
    ["IC25", "Integrity commitment 2025", "commitment", "anti_corruption", 2025,
     "employee; outsourced; intern", "", ""],
    ["AC25", "Anti-bribery course 2025", "training", "anti_corruption", 2025,
     "Employee;outsourced", "SZ1; WH1", 80],
    ["IC24", "Integrity commitment 2024", "commitment", "anti_corruption", 2024, "employee", "",
     ""],
]  # fmt: skip
RECORD_HEADER = ["campaign", "person", "entity", "role", "worker_type", "completed_on", "score",
                 "hours"]  # fmt: skip
# 2025 commitment: 5 required (SZ1 P1 P2 P3, WH1 P4 P5), 4 signed (P2 did not).
# Anti-corruption: 4 required, 3 completed (P3 did not), 3 tested, 2 passed (P2 scored 70).
# Employees' campaign hours: SZ1 2 + 1.5, WH1 2.
RECORDS = [
    ["IC25", "P1", "SZ1", "engineer", "employee", "2025-02-01", "", ""],
    ["IC25", "P2", "SZ1", "buyer", "employee", "", "", ""],
    ["IC25", "P3", "SZ1", "guard", "outsourced", "2025-02-03", "", ""],
    ["IC25", "P4", "WH1", "intern", "intern", "2025-07-01", "", ""],
    ["IC25", "P5", "WH1", "manager", "employee", "2025-02-05", "", ""],
    ["AC25", "P1", "SZ1", "engineer", "employee", "2025-03-01", 90, 2],
    ["AC25", "P2", "SZ1", "buyer", "employee", "2025-03-02", 70, 1.5],
    ["AC25", "P3", "SZ1", "guard", "outsourced", "", "", ""],
    ["AC25", "P5", "WH1", "manager", "employee", "2025-03-04", 85, 2],
    ["IC24", "P1", "SZ1", "engineer", "employee", "2024-02-01", "", ""],
]


def records_file(tmp: Path, rows: list[list[object]], name: str = "lms.csv") -> Path:
    return write_csv(tmp / name, RECORD_HEADER, rows)


def load(ws: Workspace, records: list[list[object]] = RECORDS) -> None:
    import_campaigns(ws.db, write_csv(ws.tmp / "c.csv", CAMPAIGN_HEADER, CAMPAIGNS), actor=ACTOR)
    import_records(ws.db, records_file(ws.tmp, records), actor=ACTOR)
