"""Small OHS register files and a workspace holding them, for the register and KPI tests."""

from __future__ import annotations

from pathlib import Path

from esgledger.registers.ohs import import_hours, import_incidents
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_csv

HOURS_HEADER = ["entity", "year", "worker_type", "hours"]
INCIDENT_HEADER = [
    "ref",
    "entity",
    "date",
    "worker_type",
    "kind",
    "high_consequence",
    "lost_days",
    "description",
]
# 1,200,000 hours in 2025 over the three plants (HQ and the group have none of their own).
HOURS = [
    ["SZ1", 2025, "employee", "400,000"],
    ["SZ1", 2025, "contractor", 100000],
    ["WH1", 2025, "employee", 500000],
    ["VN1", 2025, "employee", 200000],
]
# 4 recordable (3 injuries, 1 fatality), 3 of them employees; 2 lost-time; 35 days lost.
INCIDENTS = [
    ["I-1", "SZ1", "2025-03-02", "employee", "injury", "no", 5, "hand cut at press 4"],
    ["I-2", "SZ1", "2025-05-10", "contractor", "injury", "yes", 30, "fall from scaffold"],
    ["I-3", "WH1", "2025-07-21", "employee", "fatality", "yes", 0, "forklift"],
    ["I-4", "VN1", "2025-08-01", "employee", "occupational_disease", "no", 0, "noise"],
    ["I-5", "SZ1", "2025-11-30", "employee", "injury", "no", 0, "bruise, back at work"],
    ["I-6", "SZ1", "2024-12-31", "employee", "injury", "no", 2, "last year"],
]


def load(
    ws: Workspace, hours: list[list[object]] = HOURS, incidents: list[list[object]] = INCIDENTS
) -> None:
    if hours:
        import_hours(ws.db, write_csv(ws.tmp / "hours.csv", HOURS_HEADER, hours), actor=ACTOR)
    if incidents:
        path = write_csv(ws.tmp / "incidents.csv", INCIDENT_HEADER, incidents)
        import_incidents(ws.db, path, actor=ACTOR)


def incidents_file(tmp: Path, rows: list[list[object]]) -> Path:
    return write_csv(tmp / "bad-incidents.csv", INCIDENT_HEADER, rows)
