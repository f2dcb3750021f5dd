"""A small OHS safety register — hazards with their risk level and correction, emergency
drills, special-operation workers and their certificates — at SZ1 and WH1 of the test tree,
for the register, KPI, CLI, API and page tests (figures counted by hand in the comments)."""

from __future__ import annotations

from pathlib import Path

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.registers.ohs_safety import import_drills, import_hazards, import_operators
from tests.factories import entities_file, write_csv

ACTOR = "test"
HAZARD_HEADER = [
    "ref",
    "entity",
    "identified_on",
    "category",
    "risk_level",
    "description",
    "corrected_on",
]
# 2025: SZ1 identified H1, H2, H3 and corrected H1 by year end (H3 in 2026); WH1 identified
# and corrected H4. 2024: WH1 identified H5, corrected in January 2025.
HAZARDS = [
    ["H1", "SZ1", "2025-02-10", "object", "significant", "Unguarded press at line 2", "2025-03-01"],
    ["H2", "SZ1", "2025-06-01", "environment", "general", "Noise at line 3", ""],
    ["H3", "SZ1", "2025-11-20", "management", "low", "Permit log not kept", "2026-01-15"],
    ["H4", "WH1", "2025-04-04", "person", "major", "Forklift driven without licence", "2025-04-05"],
    ["H5", "WH1", "2024-12-01", "object", "general", "Leaking steam valve", "2025-01-10"],
]
DRILL_HEADER = ["ref", "entity", "held_on", "scenario", "participants", "notes"]
# 2025: SZ1 two drills (160 participations), WH1 one (300); D4 is 2024's.
DRILLS = [
    ["D1", "SZ1", "2025-03-15", "fire", "120", ""],
    ["D2", "SZ1", "2025-09-15", "chemical_leak", "40", "with the fire brigade"],
    ["D3", "WH1", "2025-05-20", "evacuation", "300", ""],
    ["D4", "WH1", "2024-10-01", "fire", "250", ""],
]
OPERATOR_HEADER = [
    "entity",
    "person",
    "operation",
    "assigned_on",
    "certificate",
    "issued_on",
    "expires_on",
    "left_on",
]
# On 2025-12-31: SZ1 has E001 (certified), E002 (certificate expired in June), E003 (none);
# E004 left in August. WH1 has E101, certified for both of its operations: 4 workers, 2
# certified. On 2024-12-31: SZ1 E001, E002, E004 all certified (E003 not yet assigned), WH1
# E101 (its electrical post starts in 2025): 4 workers, 4 certified.
OPERATORS = [
    ["SZ1", "E001", "electrical", "2020-01-01", "T1", "2021-01-01", "2027-01-01", ""],
    ["SZ1", "E002", "welding_cutting", "2023-01-01", "T2", "2019-06-01", "2025-06-01", ""],
    ["SZ1", "E003", "work_at_height", "2025-03-01", "", "", "", ""],
    ["SZ1", "E004", "electrical", "2019-01-01", "T4", "2019-01-01", "2025-01-01", "2025-08-31"],
    ["WH1", "E101", "hazardous_chemicals", "2022-01-01", "T5", "2022-01-01", "2028-01-01", ""],
    ["WH1", "E101", "electrical", "2025-06-01", "T6", "2025-05-01", "2031-05-01", ""],
]


def hazards_file(tmp: Path, rows: list[list[str]], name: str = "hazards.csv") -> Path:
    return write_csv(tmp / name, HAZARD_HEADER, rows)


def drills_file(tmp: Path, rows: list[list[str]], name: str = "drills.csv") -> Path:
    return write_csv(tmp / name, DRILL_HEADER, rows)


def operators_file(tmp: Path, rows: list[list[str]], name: str = "operators.csv") -> Path:
    return write_csv(tmp / name, OPERATOR_HEADER, rows)


def load(db: Database, tmp: Path, *, entities: bool = True) -> None:
    """The test tree (unless already there) and the three registers above."""
    if entities:
        import_entities(db, entities_file(tmp), actor=ACTOR)
    import_hazards(db, hazards_file(tmp, HAZARDS), actor=ACTOR)
    import_drills(db, drills_file(tmp, DRILLS), actor=ACTOR)
    import_operators(db, operators_file(tmp, OPERATORS), actor=ACTOR)
