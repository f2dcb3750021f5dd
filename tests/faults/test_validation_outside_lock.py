"""#13.3: an import parses and validates its file before it takes the write lock, so other
writers go on meanwhile; what they change in between is caught by the short write that
follows (the natural key, the rows to replace), all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.errors import Exit
from tests.conftest import Cli
from tests.faults.conftest import (
    activities_file,
    chain_verifies,
    counts,
    esg,
    killed,
    nothing_kept_then_the_file_goes_in,
    one_line_error,
    start_esg,
)

LEDGER = ("activity_records", "import_batches", "audit_events")
VALIDATED = "import.validated"


pytestmark = pytest.mark.usefixtures("short_lock_wait")


def test_another_writer_writes_while_an_import_is_validated(seeded: Cli, tmp_path: Path) -> None:
    paused = start_esg(
        "import", "activities", str(activities_file(tmp_path, 2025)),
        db=seeded.db, fault=f"{VALIDATED}:pause",
    )  # fmt: skip
    try:
        paused.wait_until_paused()
        other = tmp_path / "other"
        other.mkdir()
        seeded("import", "activities", str(activities_file(other, 2026)))  # not kept waiting
    finally:
        paused.resume()
    result = paused.finish()
    assert result.returncode == 0, result.stderr
    assert counts(seeded.db, "activity_records", "import_batches") == {
        "activity_records": 3 * 24,
        "import_batches": 4,  # entities and three years of activities
    }
    assert chain_verifies(seeded.db)


def test_rows_stored_meanwhile_refuse_the_validated_import(seeded: Cli, tmp_path: Path) -> None:
    """The clash arose after the check: contention (exit 4), one line naming the rows."""
    data = activities_file(tmp_path, 2025)
    paused = start_esg("import", "activities", str(data), db=seeded.db, fault=f"{VALIDATED}:pause")
    try:
        paused.wait_until_paused()
        seeded("import", "activities", str(data))  # the same rows, by another command
        before = counts(seeded.db, *LEDGER)
    finally:
        paused.resume()
    message = one_line_error(paused.finish(), Exit.CONTENTION)
    assert message == (
        "error: activities.csv: refused, another user stored rows with the same keys "
        "(rows 2, 3, 4, 5, 6 …; 24 in all) while the file was being checked; nothing was "
        "imported (run the import again to compare with what is stored now)"
    )
    assert counts(seeded.db, *LEDGER) == before
    assert counts(seeded.db, "activity_records")["activity_records"] == 2 * 24


def test_rows_stored_before_the_check_stay_bad_input(seeded: Cli, tmp_path: Path) -> None:
    """The same file as a stored one, imported again: the check names every row (exit 2)."""
    before = counts(seeded.db, *LEDGER)
    result = esg("import", "activities", str(activities_file(tmp_path, 2024)), db=seeded.db)
    assert result.returncode == Exit.BAD_INPUT and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    assert "row 2, column 'entity': already imported (batch 2)" in lines[0]
    assert lines[-1] == "error: activities.csv: refused, 24 problems; nothing was imported"
    assert counts(seeded.db, *LEDGER) == before


def test_rows_voided_meanwhile_refuse_the_replacing_import(seeded: Cli, tmp_path: Path) -> None:
    data = activities_file(tmp_path, 2024)  # the seeded year: every row is replaced
    paused = start_esg(
        "import", "activities", str(data), "--replace", "--reason", "corrected meters",
        db=seeded.db, fault=f"{VALIDATED}:pause",
    )  # fmt: skip
    try:
        paused.wait_until_paused()
        seeded("activities", "void", "--id", "1", "--reason", "a wrong reading")
        before = counts(seeded.db, *LEDGER)
    finally:
        paused.resume()
    message = one_line_error(paused.finish(), Exit.CONTENTION)
    assert "another user voided or stored rows with the keys this file replaces" in message
    assert "nothing was imported" in message
    assert counts(seeded.db, *LEDGER) == before


def test_import_killed_after_validation_stores_nothing(seeded: Cli, tmp_path: Path) -> None:
    before = counts(seeded.db, *LEDGER)
    data = activities_file(tmp_path, 2025)
    killed(esg("import", "activities", str(data), db=seeded.db, fault=VALIDATED))
    nothing_kept_then_the_file_goes_in(seeded, data, before)
