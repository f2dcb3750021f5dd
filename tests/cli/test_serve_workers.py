"""Issue #14: `esg serve` uses the machine. The server is CPU-bound under load and one
process runs Python on one core at a time, so the default is one server process per CPU
core this process may use, at most four (each process may open twice `ESG_DB_POOL_SIZE`
database connections; PostgreSQL allows 100 by default); `--workers N` still decides."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from esgledger.cli import serve_cmd
from esgledger.cli.main import app
from tests.conftest import Cli


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What `esg serve` hands uvicorn, without listening on a port."""
    calls: list[dict[str, Any]] = []

    def run(app: Any, **options: Any) -> None:
        calls.append({"app": app, **options})

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.delenv("ESG_DATABASE_URL", raising=False)
    return calls


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 2), (3, 3), (4, 4), (16, 4)])
def test_the_default_is_one_process_per_usable_core_at_most_four(
    monkeypatch: pytest.MonkeyPatch, cores: int, expected: int
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    assert serve_cmd.default_workers() == expected


def test_serve_without_workers_starts_one_process_per_core(
    cli: Cli, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    cli("serve", "--port", "8765")
    (call,) = started
    assert call["workers"] == 2 and call["factory"] is True
    assert call["app"] == "esgledger.server:app_from_settings"  # each process builds its own
    assert call["port"] == 8765


def test_workers_one_serves_in_this_process(cli: Cli, started: list[dict[str, Any]]) -> None:
    cli("serve", "--workers", "1")
    (call,) = started
    assert "workers" not in call and not isinstance(call["app"], str)


def test_a_wrong_workspace_fails_in_one_line_before_any_process_starts(
    tmp_path: Path, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and started == []
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 2
