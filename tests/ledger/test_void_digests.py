"""#13.2 leftover: the void state of activity rows is covered by the chain. Voiding and
un-voiding (and a replacing import) digest the void columns of the batches they changed, so
a direct edit of ``voided_at``, ``voided_by`` or ``void_reason`` fails ``esg audit verify
--deep``, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from esgledger.ledger.backup import write_backup
from esgledger.ledger.db import Database
from esgledger.ledger.restore import restore_backup
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, entities_file, monthly_rows, write_csv

VOID_NOW = "UPDATE activity_records SET voided_at = CURRENT_TIMESTAMP, voided_by = 'eve', "


@pytest.fixture
def imported(cli: Cli, tmp_path: Path) -> Cli:
    """Entities (batch 1) and two batches of activities (2: SZ1 diesel, 3: WH1 power)."""
    cli("import", "entities", str(entities_file(tmp_path)))
    for name, rows in (
        ("diesel.csv", monthly_rows("SZ1", "fuel.diesel", "t", 2024, 3)),
        ("power.csv", monthly_rows("WH1", "electricity.purchased", "MWh", 2024, 40)),
    ):
        cli("import", "activities", str(write_csv(tmp_path / name, ACTIVITY_HEADER, rows)))
    return cli


def _sql(cli: Cli, statement: str) -> None:
    with cli.db.engine.begin() as conn:
        assert conn.execute(text(statement)).rowcount >= 1


def _deep_problems(cli: Cli, expect: int) -> list[str]:
    result = cli("audit", "verify", "--deep", "--json", expect=expect)
    return json.loads(result.stdout)["data"]["problems"]


def test_voids_and_unvoids_verify_deep(imported: Cli) -> None:
    imported("activities", "void", "--id", "1", "--id", "2", "--reason", "meter misread")
    imported("activities", "unvoid", "--id", "2", "--reason", "the reading was right")
    imported("activities", "void", "--batch", "3", "--reason", "wrong site")
    assert _deep_problems(imported, 0) == []


DIRECT_EDITS = {
    "reason rewritten": "UPDATE activity_records SET void_reason = 'duplicate' WHERE id = 1",
    "voider changed": "UPDATE activity_records SET voided_by = 'someone' WHERE id = 1",
    "un-voided": (
        "UPDATE activity_records SET voided_at = NULL, voided_by = NULL, void_reason = NULL "
        "WHERE id = 1"
    ),
    "voided beside": VOID_NOW + "void_reason = 'x' WHERE id = 2",
}


@pytest.mark.parametrize("edit", sorted(DIRECT_EDITS))
def test_a_direct_edit_of_a_void_is_found(imported: Cli, edit: str) -> None:
    imported("activities", "void", "--id", "1", "--reason", "meter misread")
    _sql(imported, DIRECT_EDITS[edit])
    assert imported("audit", "verify").exit_code == 0  # the chain itself still fits
    (problem,) = _deep_problems(imported, 1)
    assert problem.startswith("voids:2: activity_records differs from the digest of event ")


def test_a_direct_void_of_a_batch_never_voided_is_found(imported: Cli) -> None:
    imported("activities", "void", "--id", "1", "--reason", "meter misread")  # batch 2
    _sql(imported, VOID_NOW + "void_reason = 'x' WHERE batch_id = 3")
    assert _deep_problems(imported, 1) == ["voids:3: has rows that no audit event digested"]


def test_a_direct_void_in_a_ledger_without_voids_is_found(imported: Cli) -> None:
    _sql(imported, VOID_NOW + "void_reason = 'x' WHERE id = 13")
    assert _deep_problems(imported, 1) == ["voids:3: has rows that no audit event digested"]


def test_rows_a_replacing_import_voided_are_covered(imported: Cli, tmp_path: Path) -> None:
    rows = [[*r[:4], 99, "t"] for r in monthly_rows("SZ1", "fuel.diesel", "t", 2024, 3)]
    fixed = write_csv(tmp_path / "fixed.csv", ACTIVITY_HEADER, rows)
    imported("import", "activities", str(fixed), "--replace", "--reason", "recalibrated")
    assert _deep_problems(imported, 0) == []
    _sql(imported, "UPDATE activity_records SET void_reason = 'typo' WHERE id = 5")
    (problem,) = _deep_problems(imported, 1)
    assert problem.startswith("voids:2: activity_records differs")


def test_void_digests_match_after_a_restore_into_the_other_database(
    imported: Cli, empty_pg_url: str, tmp_path: Path
) -> None:
    """The void time, a datetime, is spelled alike on both databases."""
    imported("activities", "void", "--id", "1", "--reason", "meter misread")
    archive = tmp_path / "b.zip"
    write_backup(imported.db, archive)
    sqlite = imported.db.dialect == "postgresql"
    target = Database(str(tmp_path / "other.db") if sqlite else empty_pg_url)
    try:
        restore_backup(target, archive)
        assert _deep_problems(Cli(target), 0) == []
    finally:
        target.dispose()
