"""A small certification register — four sites (a park and three plants), their ISO
certificates in force, lapsed and withdrawn, a group-wide and a product certificate — for
the register, KPI and check tests."""

from __future__ import annotations

from pathlib import Path

from esgledger.ledger.entities import import_entities
from esgledger.registers.certifications import import_certificates
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import ENTITY_HEADER, write_csv

# Beside the workspace's tree (HQ is a park, SZ1 a site): a plant under each subsidiary.
PLANTS = [
    ["WP1", "Wuhan plant site", "WH1", "CN", "CN-HB", "site"],
    ["VP1", "Vietnam plant site", "VN1", "VN", "", "site"],
]
HEADER = [
    "entity",
    "standard",
    "number",
    "body",
    "issued_on",
    "expires_on",
    "product_model",
    "scope",
    "withdrawn_on",
    "surveillance",
]
# In force on 2025-12-31: C1 and C2 (SZ1), C4 (WP1, spelled "iso 14001:2015"), C6 (VP1);
# C3 lapsed in June 2025, C5 was withdrawn in September, C9 expired in 2023; C7 is the
# group's (no site), C8 a product model's.
CERTIFICATES = [
    ["SZ1", "ISO 14001", "C1", "CQC", "2023-05-01", "2026-04-30", "", "", "", "2024-04-20"],
    ["SZ1", "ISO 45001", "C2", "CQC", "2024-01-01", "2027-01-01", "", "", "", ""],
    ["HQ", "ISO 14001", "C3", "CQC", "2022-07-01", "2025-06-30", "", "", "", ""],
    ["WP1", "iso 14001:2015", "C4", "TUV", "2025-03-01", "2028-02-28", "", "", "", ""],
    ["WP1", "ISO 50001", "C5", "TUV", "2024-03-01", "2027-02-28", "", "", "2025-09-01", ""],
    ["VP1", "ISO 9001", "C6", "BV", "2024-01-01", "2027-01-01", "", "", "", "2025-01-10"],
    ["GRP", "ISO/IEC 27001", "C7", "BSI", "2024-06-01", "2027-05-31", "", "IT", "", ""],
    ["WH1", "ISO 9001", "C8", "BV", "2024-01-01", "2027-01-01", "PM-1", "", "", ""],
    ["HQ", "ISO 45001", "C9", "CQC", "2020-01-01", "2023-01-01", "", "", "", ""],
]


def certificates_file(tmp: Path, rows: list[list[object]], name: str = "certs.csv") -> Path:
    return write_csv(tmp / name, HEADER, rows)


def add_plants(ws: Workspace) -> None:
    import_entities(ws.db, write_csv(ws.tmp / "plants.csv", ENTITY_HEADER, PLANTS), actor=ACTOR)


def load(ws: Workspace, rows: list[list[object]] = CERTIFICATES) -> None:
    add_plants(ws)
    import_certificates(ws.db, certificates_file(ws.tmp, rows), actor=ACTOR)
