"""kill -9 at chosen points of import, calc, report, backup and restore: all or nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from esgledger.atomic import finish_interrupted_sets
from esgledger.ledger.db import Database
from esgledger.ledger.report_models import PublishedReport
from tests.conftest import Cli
from tests.faults.conftest import (
    activities_file,
    chain_verifies,
    counts,
    esg,
    killed,
    leftovers,
)

LEDGER = ("activity_records", "import_batches", "audit_events")
RUNS = ("calculation_runs", "calculation_results", "calculation_coefficients", "audit_events")


def test_import_killed_at_commit_stores_nothing(seeded: Cli, tmp_path: Path) -> None:
    before = counts(seeded.db, *LEDGER)
    data = activities_file(tmp_path, 2025)
    killed(esg("import", "activities", str(data), db=seeded.db, fault="db.commit"))
    assert counts(seeded.db, *LEDGER) == before
    assert chain_verifies(seeded.db)
    seeded("import", "activities", str(data))  # nothing half-done stands in the way
    assert counts(seeded.db, "activity_records")["activity_records"] == 2 * 24


def test_calc_killed_at_commit_stores_no_run(seeded: Cli) -> None:
    before = counts(seeded.db, *RUNS)
    killed(esg("calc", "--year", "2024", "--allow-incomplete", db=seeded.db, fault="db.commit"))
    assert counts(seeded.db, *RUNS) == before
    assert chain_verifies(seeded.db)
    seeded("calc", "--year", "2024", "--allow-incomplete")


def _published(db: Database) -> list[tuple[int, str, bytes]]:
    with db.read() as session:
        rows = session.scalars(select(PublishedReport).order_by(PublishedReport.id))
        return [(r.edition, r.filename, r.content) for r in rows]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def test_report_killed_before_publication_leaves_the_previous_set(
    seeded: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    seeded("report", "--year", "2024", "--format", "html,xlsx", "--out", str(out))
    previous, archived = _files(out), _published(seeded.db)
    seeded("import", "activities", str(activities_file(tmp_path, 2025)))  # new figures
    killed(
        esg(
            "report", "--year", "2024", "--format", "html,xlsx", "--out", str(out),
            db=seeded.db, fault="report.staged",
        )
    )  # fmt: skip
    assert _files(out) == previous and _published(seeded.db) == archived
    seeded("report", "--year", "2024", "--format", "html,xlsx", "--out", str(out), "--preview")
    assert leftovers(out) == []  # the killed writer's staging folder is gone


def test_report_killed_while_moving_in_is_completed_as_a_set(seeded: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report"
    seeded("report", "--year", "2024", "--format", "html,xlsx", "--out", str(out))
    seeded("import", "activities", str(activities_file(tmp_path, 2025)))
    killed(
        esg(
            "report", "--year", "2024", "--format", "html,xlsx", "--out", str(out),
            db=seeded.db, fault="set.moving",
        )
    )  # fmt: skip
    finish_interrupted_sets(out, "esg-report-2024")  # what the next writer of `out` does first
    edition_2 = {name: content for edition, name, content in _published(seeded.db) if edition == 2}
    assert _files(out) == edition_2 and len(edition_2) == 2
    assert leftovers(out) == []


def test_backup_killed_leaves_the_previous_archive(seeded: Cli, tmp_path: Path) -> None:
    archive = tmp_path / "backup.zip"
    seeded("backup", str(archive))
    previous = archive.read_bytes()
    seeded("import", "activities", str(activities_file(tmp_path, 2025)))
    killed(esg("backup", str(archive), "--force", db=seeded.db, fault="backup.written"))
    assert archive.read_bytes() == previous
    seeded("backup", str(archive), "--force")
    assert leftovers(tmp_path) == []
    assert hashlib.sha256(archive.read_bytes()).digest() != hashlib.sha256(previous).digest()


def test_restore_killed_leaves_no_workspace(
    seeded: Cli, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Into a new SQLite file, or into an empty PostgreSQL database."""
    archive = tmp_path / "backup.zip"
    seeded("backup", str(archive))
    folder = tmp_path / "restored"
    folder.mkdir()
    sqlite = seeded.db.dialect == "sqlite"
    target = str(folder / "esg.db") if sqlite else request.getfixturevalue("empty_pg_url")
    killed(esg("restore", str(archive), "--db", target, fault="restore.loaded"))
    if sqlite:
        assert not Path(target).exists()
        assert leftovers(folder)  # its temporary file: a killed process cannot clean up
    else:
        assert Database(target).table_names() == []
    Cli(Database(target))("restore", str(archive))  # no half-made workspace blocks it
    assert counts(Database(target), *LEDGER) == counts(seeded.db, *LEDGER)
    assert leftovers(folder) == []  # the killed restore's temporary file was swept
