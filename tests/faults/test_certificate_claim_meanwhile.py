"""#15: two imports claim the same certificate id at once. The first is checked while the
second is stored; when the first then takes the write lock, its write re-checks the claims
(``certificate_claims``) and refuses the whole file, naming its row and the
``certificate_ids`` column: the id stays claimed once, by the file that was stored first
(SQLite and PostgreSQL; the database's key is tested with two open transactions in
``tests/ledger/test_certificate_claims.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esgledger.errors import Exit
from tests.calc.test_instruments import CERT, GOOD, HEADER, _row
from tests.conftest import Cli
from tests.factories import write_csv
from tests.faults.conftest import counts, start_esg

pytestmark = pytest.mark.usefixtures("short_lock_wait")


def test_an_id_claimed_while_a_file_was_checked_refuses_that_file(
    seeded: Cli, tmp_path: Path
) -> None:
    def file(tag: str, entity: str) -> str:
        rows = [_row(entity, CERT, 10, **{**GOOD, "certificate_ids": "GEC-77;GEC-78"})]
        return str(write_csv(tmp_path / f"{tag}.csv", HEADER, rows))

    paused = start_esg("import", "activities", file("a", "SZ1"), db=seeded.db, fault="import.validated:pause")  # fmt: skip
    try:
        paused.wait_until_paused()
        seeded("import", "activities", file("b", "WH1"))  # claims both ids first
        before = counts(seeded.db, "activity_records", "import_batches", "certificate_claims")
    finally:
        paused.resume()
    result = paused.finish()
    assert result.returncode == Exit.BAD_INPUT, result.stderr
    said = " ".join(result.stderr.split())
    assert "a.csv, row 2, column 'certificate_ids'" in said and "GEC-77" in said
    assert "nothing was imported" in said and "Traceback" not in said
    assert counts(seeded.db, "activity_records", "import_batches", "certificate_claims") == before
    listed = json.loads(seeded("activities", "list", "--activity", CERT, "--json").stdout)
    assert [r["entity"] for r in listed] == ["WH1"]
