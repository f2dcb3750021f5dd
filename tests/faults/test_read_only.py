"""#13.8: an auditor opens a copy of a workspace on read-only media: readers work, a writer
is refused in one line (exit code 5), and the file is not touched."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from esgledger.errors import Exit
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.faults.conftest import activities_file, esg, one_line_error


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    """A folder whose read-only parts are made writable again for pytest to remove."""
    try:
        yield tmp_path
    finally:
        for path in (tmp_path, *tmp_path.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)


def read_only_copy(cli: Cli, folder: Path) -> Path:
    """The workspace copied as an auditor gets it: one file, then folder and file read-only."""
    media = folder / "media"
    media.mkdir()
    copy = media / "esg.db"
    source, target = sqlite3.connect(str(cli.db.sqlite_path)), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    copy.chmod(0o444)
    media.chmod(0o555)
    return copy


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_an_auditor_reads_a_read_only_copy(seeded: Cli, shared: Path) -> None:
    seeded("calc", "--year", "2024", "--allow-incomplete")
    copy = read_only_copy(seeded, shared)
    before, listing = hashlib.sha256(copy.read_bytes()).hexdigest(), sorted(copy.parent.iterdir())
    auditor = Database(str(copy))
    out = shared / "out"
    out.mkdir()
    incoming = activities_file(shared, 2025)

    assert esg("audit", "verify", db=auditor, auditor=True).returncode == 0
    kpis = esg("kpi", "--year", "2024", "--json", db=auditor, auditor=True)
    assert kpis.returncode == 0, kpis.stderr
    preview = ["--year", "2024", "--preview", "--format", "html,xlsx", "--out", str(out)]
    report = esg("report", *preview, db=auditor, auditor=True)
    assert report.returncode == 0, report.stderr
    assert sorted(p.name for p in out.iterdir()) == ["esg-report-2024.html", "esg-report-2024.xlsx"]

    refused = esg("import", "activities", str(incoming), db=auditor, auditor=True)
    message = one_line_error(refused, Exit.STORAGE)
    assert "is read-only here" in message and "nothing was written" in message
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    assert sorted(copy.parent.iterdir()) == listing  # no -wal, -shm or journal either
