"""A user mistake is one line per problem on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "activities", "missing.csv"], "missing.csv: file not found"),
        (["boundary", "show", "NOPE"], "unknown boundary 'NOPE'; `esg boundary list` lists them"),
        (["activities", "list", "--year", "abc"], "Invalid value"),
    ],
)
def test_user_errors_exit_2(cli: Cli, args: list[str], message: str) -> None:
    result = cli(*args, expect=2)
    assert message in result.output
    assert "Traceback" not in result.output


def test_unreachable_postgres_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "esgledger.cli",
            "entities",
            "list",
            "--db",
            "postgresql+psycopg://esg@127.0.0.1:1/nowhere",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "error: cannot open database postgresql+psycopg://esg@127.0.0.1:1/nowhere"
    )


def test_unsupported_url(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "esgledger.cli", "init", "--db", "mysql://x@y/z"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: unsupported database 'mysql'; use a SQLite path or postgresql+psycopg://user@host/db"
    )


def test_default_workspace_is_esg_db_in_the_working_folder(tmp_path: Path) -> None:
    env_free = {"PATH": "", "HOME": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "esgledger.cli", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env_free,
        )

    assert run("init").returncode == 0
    assert (tmp_path / "esg.db").exists()
    status = json.loads(run("db", "status", "--json").stdout)
    assert status["up_to_date"] is True
