"""Every command that reads a user's file fails in one line, never a traceback, and writes
nothing — not only ``esg import entities|activities|kpis`` (issue #13 follow-up).

A hostile file (binary bytes named .xlsx or .csv) is refused by the readers with its reason;
a failure no check foresaw is provoked for real with the fault hook: ``ingest.parse:bug``
raises inside the parser, ``restore.loaded:bug`` at the end of a restore.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from esgledger.auth.users import add_user
from esgledger.errors import Exit
from esgledger.faults import ENV
from esgledger.ledger.db import Database
from tests.assess.conftest import make_survey
from tests.conftest import Cli
from tests.faults.conftest import counts, one_line_error

WRITTEN = (
    "audit_events",
    "boundaries",
    "factor_editions",
    "kpi_values",
    "materiality_respondents",
    "materiality_responses",
)
FACTOR_META = ["--edition", "x-1", "--series", "user.x", "--publisher", "p", "--title", "t"]


def _survey(cli: Cli, tmp_path: Path) -> None:
    make_survey(cli, tmp_path)


def _uploader(cli: Cli, _tmp_path: Path) -> None:
    with cli.db.write() as session:
        add_user(session, username="olga", role="data_owner", actor="setup")


# command name → (setup, the command's arguments around FILE)
COMMANDS: dict[str, tuple[Callable[[Cli, Path], None] | None, list[str]]] = {
    "materiality responses import": (
        _survey,
        ["materiality", "responses", "import", "FILE", "--year", "2025"],
    ),
    "materiality respondents import": (
        _survey,
        ["materiality", "respondents", "import", "FILE", "--year", "2025"],
    ),
    "materiality respond": (_survey, ["materiality", "respond", "FILE", "--token", "t0ken"]),
    "boundary create --members": (
        None,
        ["boundary", "create", "b-2025", "--year", "2025", "--members", "FILE"],
    ),
    "factors import": (None, ["factors", "import", "FILE", *FACTOR_META, "--citation", "c"]),
    "request upload": (_uploader, ["request", "upload", "FILE", "--as", "olga"]),
    "suppliers import": (None, ["suppliers", "import", "suppliers", "FILE"]),
}


def _run(cli: Cli, tmp_path: Path, command: str, file: Path, fault: str = ""):  # type: ignore[no-untyped-def]
    """Run ``command`` on ``file`` after its setup, with ``ESG_FAULT_POINT=fault`` if given;
    returns the result and the row counts from before."""
    setup, args = COMMANDS[command]
    if setup is not None:
        setup(cli, tmp_path)
    before = counts(cli.db, *WRITTEN)
    with pytest.MonkeyPatch.context() as patch:
        if fault:
            patch.setenv(ENV, fault)
        result = cli(*[str(file) if a == "FILE" else a for a in args], expect=None)
    return result, before


def _binary(path: Path) -> Path:
    path.write_bytes(random.Random(13).randbytes(4096))
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unexpected_parser_failure_is_one_line_and_writes_nothing(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    file = tmp_path / "answers.csv"
    file.write_text("entity,share\nSZ1,1\n", encoding="utf-8")
    result, before = _run(cli, tmp_path, command, file, fault="ingest.parse:bug")
    message = one_line_error(result, Exit.INTERNAL)
    assert message.startswith(
        "error: answers.csv: internal error (RuntimeError: fault injected at ingest.parse); "
        "nothing was imported; this is a bug in esgledger: please report it with "
    ), message
    log = Path(message.rsplit(" ", 1)[1])
    assert "fault injected at ingest.parse" in log.read_text(encoding="utf-8")
    assert counts(cli.db, *WRITTEN) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_failing_disk_keeps_its_own_exit_code(cli: Cli, tmp_path: Path, command: str) -> None:
    """The guard catches bugs only: a full disk stays exit code 5, as the docs promise."""
    file = tmp_path / "answers.csv"
    file.write_text("entity,share\nSZ1,1\n", encoding="utf-8")
    result, before = _run(cli, tmp_path, command, file, fault="ingest.parse:enospc")
    assert "the disk is full" in one_line_error(result, Exit.STORAGE)
    assert counts(cli.db, *WRITTEN) == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_binary_file_is_refused_with_its_reason(
    cli: Cli, tmp_path: Path, command: str, suffix: str
) -> None:
    file = _binary(tmp_path / f"answers{suffix}")
    result, before = _run(cli, tmp_path, command, file)
    assert result.exit_code == Exit.BAD_INPUT, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("error: answers") for line in lines), lines
    assert "not UTF-8" in lines[0] or "not a zip archive" in lines[0], lines
    assert counts(cli.db, *WRITTEN) == before


def test_restore_fails_in_one_line_and_leaves_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "backup.zip"
    cli("backup", str(archive))
    folder = tmp_path / "restored"
    folder.mkdir()
    target = Cli(Database(str(folder / "esg.db")))
    monkeypatch.setenv(ENV, "restore.loaded:bug")
    message = one_line_error(target("restore", str(archive), expect=None), Exit.INTERNAL)
    assert message.startswith(
        "error: backup.zip: internal error (RuntimeError: fault injected at restore.loaded); "
        "nothing was imported; this is a bug in esgledger: please report it with "
    ), message
    assert list(folder.iterdir()) == []
    monkeypatch.delenv(ENV)
    binary = _binary(tmp_path / "backup-copy.zip")
    refused = target("restore", str(binary), expect=Exit.BAD_INPUT)
    assert "is not an esgledger backup (not a zip archive)" in refused.stderr
    assert list(folder.iterdir()) == []
