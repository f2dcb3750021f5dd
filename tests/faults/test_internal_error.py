"""A bug is one line and exit code 70 too: the traceback goes to a file the line names."""

from __future__ import annotations

import re
from pathlib import Path

from esgledger.errors import Exit
from tests.conftest import Cli
from tests.faults.conftest import activities_file, counts, esg, one_line_error


def test_a_bug_is_one_line_naming_the_details(seeded: Cli, tmp_path: Path) -> None:
    before = counts(seeded.db, "activity_records", "audit_events")
    data = activities_file(tmp_path, 2025)
    result = esg("import", "activities", str(data), db=seeded.db, fault="db.commit:bug")
    message = one_line_error(result, Exit.INTERNAL)
    assert "internal error (RuntimeError: fault injected at db.commit)" in message
    details = Path(re.findall(r"report it with (\S+)$", message)[0])
    try:
        assert "Traceback" in details.read_text() and "fault_point" in details.read_text()
    finally:
        details.unlink()
    assert counts(seeded.db, "activity_records", "audit_events") == before
