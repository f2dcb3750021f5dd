"""#18: an import dying or failing midway through its bulk insert (on SQLite after it set the
table's indexes aside, ``ESG_BULK_SET_ASIDE_ROWS`` lowered so a small file takes that path)
leaves no row, every index as before, and the natural key still refusing a second copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from esgledger.errors import ConcurrentChange, Exit
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.faults.conftest import (
    activities_file,
    counts,
    esg,
    killed,
    nothing_kept_then_the_file_goes_in,
    one_line_error,
)

LEDGER = ("activity_records", "import_batches", "audit_events")
MIDWAY = "bulk.chunk_inserted"


@pytest.fixture(autouse=True)
def _small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESG_BULK_SET_ASIDE_ROWS", "10")  # a year's 24 rows into 24 stored


def indexes(db: Database) -> list[tuple[str, bool, list[str]]]:
    found = inspect(db.engine).get_indexes("activity_records")
    return sorted((i["name"], bool(i["unique"]), list(i["column_names"])) for i in found)


def a_second_copy_is_refused(db: Database) -> bool:
    """Insert a copy of a stored live row straight into the table: the unique index refuses."""
    copy = (
        'INSERT INTO activity_records (entity_id, start, "end", activity, quantity, unit, '
        'attributes, batch_id) SELECT entity_id, start, "end", activity, quantity, unit, '
        "attributes, batch_id FROM activity_records WHERE voided_at IS NULL LIMIT 1"
    )
    try:
        with db.write() as session:
            session.execute(text(copy))
    except (IntegrityError, ConcurrentChange):
        return True
    return False


@pytest.mark.parametrize("action", ["kill", "bug"])
def test_an_import_failing_midway_leaves_no_row_and_every_index(
    seeded: Cli, tmp_path: Path, action: str
) -> None:
    before, shape = counts(seeded.db, *LEDGER), indexes(seeded.db)
    seeded.db.dispose()
    data = activities_file(tmp_path, 2025)
    fault = MIDWAY if action == "kill" else f"{MIDWAY}:bug"
    result = esg("import", "activities", str(data), db=seeded.db, fault=fault)
    if action == "kill":
        killed(result)
    else:
        message = one_line_error(result, Exit.INTERNAL)
        assert f"internal error (RuntimeError: fault injected at {MIDWAY})" in message
    assert indexes(seeded.db) == shape
    assert a_second_copy_is_refused(seeded.db)
    nothing_kept_then_the_file_goes_in(seeded, data, before)
    assert indexes(seeded.db) == shape
