"""Small supplier register files for tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.suppliers.policy import DEFAULT
from esgledger.suppliers.register_import import import_register
from esgledger.suppliers.tiering import record_tiers
from tests.conftest import Cli
from tests.factories import entities_file, write_csv

SUPPLIER_HEADER = [
    "id", "name", "country", "parent_group", "commodities", "spend", "spend_unit", "entity",
    "onboarded_on",
]  # fmt: skip
SUPPLIERS = [
    ["S001", "Pearl River Castings", "CN", "Pearl Group", "castings;tin solder", "1200000",
     "CNY", "SZ1", "2024-03-01"],
    ["S002", "Hanoi Cable Works", "VN", "", "cable", "", "", "VN1", "2023-05-10"],
    ["S003", "Rhein Chemicals", "DE", "", "solvents", "85000", "EUR", "", ""],
]  # fmt: skip
SITE_HEADER = ["supplier", "name", "country", "address"]
SITES = [["S001", "Foshan plant", "CN", "Foshan"], ["S002", "Bac Ninh plant", "VN", ""]]
CONTACT_HEADER = ["supplier", "email", "name", "role"]
CONTACTS = [["S001", "Li.Wei@pearl.example", "Li Wei", "quality manager"]]
AGREEMENT_HEADER = ["supplier", "kind", "signed_on", "expires_on", "evidence"]
AGREEMENTS = [
    ["S001", "csr_commitment", "2024-03-01", "", ""],
    ["S001", "integrity_agreement", "2024-03-01", "2025-02-28", ""],
]
CERT_HEADER = ["supplier", "standard", "certificate", "issued_on", "expires_on", "evidence"]
CERTS = [
    ["S001", "ISO 14001", "CN-14001-77", "2022-01-10", "2025-01-09", ""],
    ["S001", "ISO 45001", "CN-45001-12", "2024-06-01", "2027-05-31", ""],
]


def register_files(tmp_path: Path) -> dict[str, Path]:
    """One file per register kind, in the order they can be imported."""
    return {
        "suppliers": write_csv(tmp_path / "suppliers.csv", SUPPLIER_HEADER, SUPPLIERS),
        "sites": write_csv(tmp_path / "sites.csv", SITE_HEADER, SITES),
        "contacts": write_csv(tmp_path / "contacts.csv", CONTACT_HEADER, CONTACTS),
        "agreements": write_csv(tmp_path / "agreements.csv", AGREEMENT_HEADER, AGREEMENTS),
        "certifications": write_csv(tmp_path / "certs.csv", CERT_HEADER, CERTS),
    }


def registered(cli: Cli, tmp_path: Path) -> Cli:
    """The test entities and every register file imported through the CLI."""
    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    return cli


def tiered_register(db: Database, tmp_path: Path) -> None:
    """The test entities and every register file imported in process, tiers recorded on
    2025-01-02 by the default policy (a filler for :func:`tests.filled.filled_db`)."""
    import_entities(db, entities_file(tmp_path), actor="setup")
    for kind, path in register_files(tmp_path).items():
        import_register(db, path, kind=kind, actor="setup")
    with db.write() as session:
        record_tiers(session, DEFAULT, on=dt.date(2025, 1, 2), actor="setup")
