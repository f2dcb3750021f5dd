"""A full disk (``OSError(ENOSPC)`` injected at the worst moment) during import, backup, report
and restore: one line, exit code 5, and nothing written or left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.errors import Exit
from esgledger.faults import ENV
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.faults.conftest import activities_file, counts, leftovers, one_line_error

LEDGER = ("activity_records", "import_batches", "audit_events", "published_reports")


@pytest.fixture
def full_disk_at(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def at(point: str) -> None:
        monkeypatch.setenv(ENV, f"{point}:enospc")

    return at


def test_import(seeded: Cli, tmp_path: Path, full_disk_at) -> None:  # type: ignore[no-untyped-def]
    before = counts(seeded.db, *LEDGER)
    full_disk_at("db.commit")
    result = seeded("import", "activities", str(activities_file(tmp_path, 2025)), expect=None)
    assert "the disk is full" in one_line_error(result, Exit.STORAGE)
    assert counts(seeded.db, *LEDGER) == before


def test_backup(seeded: Cli, tmp_path: Path, full_disk_at) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "backups"
    folder.mkdir()
    full_disk_at("backup.written")
    result = seeded("backup", str(folder / "b.zip"), expect=None)
    message = one_line_error(result, Exit.STORAGE)
    assert f"cannot write {folder / 'b.zip'}: the disk is full" in message
    assert list(folder.iterdir()) == []


def test_report(seeded: Cli, tmp_path: Path, full_disk_at) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report"
    seeded("report", "--year", "2024", "--format", "html,xlsx", "--out", str(out))
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    before = counts(seeded.db, *LEDGER)
    full_disk_at("report.staged")
    result = seeded(
        "report", "--year", "2024", "--format", "html,xlsx", "--out", str(out), expect=None
    )
    assert "the disk is full" in one_line_error(result, Exit.STORAGE)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == previous
    assert counts(seeded.db, *LEDGER) == before and leftovers(out) == []


def test_restore(seeded: Cli, tmp_path: Path, full_disk_at) -> None:  # type: ignore[no-untyped-def]
    archive = tmp_path / "backup.zip"
    seeded("backup", str(archive))
    folder = tmp_path / "restored"
    folder.mkdir()
    full_disk_at("restore.loaded")
    target = Cli(Database(str(folder / "esg.db")))
    result = target("restore", str(archive), expect=None)
    assert "the disk is full" in one_line_error(result, Exit.STORAGE)
    assert list(folder.iterdir()) == []
