"""#16.2 onboarding gate: criteria met on a day, stored screenings, environmental/social."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from esgledger.ledger.supplier_models import SupplierScreening
from tests.conftest import Cli
from tests.factories import entities_file, write_csv
from tests.suppliers.factories import CERT_HEADER, register_files


def test_the_gate_names_each_unmet_criterion_and_stores_the_screening(
    cli: Cli, tmp_path: Path
) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    certs = [
        ["S002", "ISO 9001", "Q-1", "2023-01-01", "2026-01-01", ""],
        ["S002", "reach", "R-1", "2023-01-01", "2026-01-01", ""],
        ["S002", "RoHS 2.0", "H-1", "2023-01-01", "2024-03-31", ""],
    ]
    cli(
        "suppliers",
        "import",
        "certifications",
        str(write_csv(tmp_path / "c.csv", CERT_HEADER, certs)),
    )
    agreements = [
        ["S002", kind, "2023-05-10", "", ""]
        for kind in ("csr_commitment", "integrity_agreement", "nda")
    ]
    path = write_csv(
        tmp_path / "a.csv", ["supplier", "kind", "signed_on", "expires_on", "evidence"], agreements
    )
    cli("suppliers", "import", "agreements", str(path))

    early = json.loads(cli("suppliers", "screen", "S002", "--on", "2024-03-01", "--json").stdout)
    assert early == [
        {"supplier": "S002", "passed": True, "unmet": [], "environmental": True, "social": True}
    ]
    late = json.loads(
        cli("suppliers", "screen", "S001", "S002", "--on", "2024-06-01", "--json").stdout
    )
    by_id = {r["supplier"]: r for r in late}
    assert by_id["S002"]["unmet"] == ["no valid RoHS 2.0 certificate"]
    assert by_id["S001"]["unmet"] == [
        "no valid ISO 9001 certificate",
        "no valid REACH certificate",
        "no valid RoHS 2.0 certificate",
        "no nda in force",
    ]
    with cli.db.read() as session:
        rows = session.scalars(select(SupplierScreening).order_by(SupplierScreening.id)).all()
    assert [(r.supplier_id, r.passed) for r in rows] == [
        ("S002", True),
        ("S001", False),
        ("S002", False),
    ]
    assert json.loads(cli("audit", "verify", "--deep", "--json").stdout)["ok"] is True


def test_screening_an_unknown_supplier_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    err = cli("suppliers", "screen", "NOPE", expect=2).stderr
    assert "unknown supplier 'NOPE'" in err
    with cli.db.read() as session:
        assert session.scalars(select(SupplierScreening)).first() is None
