"""Issue #11 finding 8: `esg kpi` prints every number whole — on an 80-column terminal and
when its output is redirected — with the reported and recomputed figures side by side.

The terminal end to end (a real pseudo-terminal, ``esg kpi`` in a process of its own, on
SQLite and PostgreSQL); the redirected output printed from a series built in memory."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from rich.console import Console

from esgledger.cli.kpi_cmd import print_series
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace
from tests.checks.workspace import kpi as typed
from tests.kpi.plain import Ledger, kpi

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    workspace = Workspace(db, tmp_path)
    workspace.activities(
        [
            ("SZ1", y, "electricity.purchased", 87394.12 + y - 2023, "MWh")
            for y in (2023, 2024, 2025)
        ]
        + [("SZ1", 2025, "water.discharge", 1234567.89, "t")]
    )
    workspace.kpis(
        typed("water.discharge.total", "1,234,568.39", "t"),  # reported beside the records
        typed("economy.revenue", "12,345,678.91", "RMB million"),
        typed("ghg.scope1", "3,456.78", "tCO2e", 2023),  # a published prior year, nothing else
    )
    return workspace


def command(db: Database) -> list[str]:
    return [sys.executable, "-m", "esgledger.cli", "kpi", "--year", "2025", "--db", db.url]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**env, "TERM": "xterm-256color", **extra}


def run_in_terminal(cmd: list[str], columns: int) -> str:
    """Run ``cmd`` on a real pseudo-terminal of ``columns`` columns; its screen output."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    proc = subprocess.Popen(cmd, stdin=child, stdout=child, stderr=child, env=environment())
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    assert proc.wait(timeout=120) == 0
    return ANSI.sub("", b"".join(chunks).decode("utf-8")).replace("\r\n", "\n")


def assert_whole_numbers(out: str) -> None:
    assert "…" not in out
    for number in ("87,394.12", "87,395.12", "87,396.12", "12,345,678.91", "3,456.78"):
        assert number in out, number
    assert "1,234,568.39" in out  # the reported figure beside the recomputed one
    assert "1,234,567.89" in out and "+0.50" in out  # recomputed and the difference
    assert "— " in out or "—\n" in out  # not available figures show as a dash, not 0.00


def test_an_80_column_terminal_shows_every_number_whole(ws: Workspace) -> None:
    out = run_in_terminal(command(ws.db), 80)
    assert_whole_numbers(out)
    assert "Reported and recomputed" in out
    table_lines = [line for line in out.splitlines() if "87,394.12" in line]
    assert table_lines and all(len(line) <= 80 for line in table_lines)


def test_redirected_output_shows_every_number_whole() -> None:
    """Printed as ``esg kpi --year 2025`` prints to a file or a pipe (Rich's 80 columns, no
    terminal), from the same figures held in memory (:mod:`tests.kpi.plain`, #20)."""
    ledger = Ledger()
    for y in (2023, 2024, 2025):
        ledger.activity("SZ1", y, "electricity.purchased", 87394.12 + y - 2023, "MWh")
    ledger.activity("SZ1", 2025, "water.discharge", 1234567.89, "t")
    ledger.kpis(
        kpi("water.discharge.total", 1234568.39, "t", decimals=2),  # reported beside the records
        kpi("economy.revenue", 12345678.91, "RMB million", decimals=2),
        kpi("ghg.scope1", 3456.78, "tCO2e", 2023, decimals=2),  # a published prior year
    )
    buffer = io.StringIO()
    print_series(ledger.series(2025), Console(file=buffer, width=80, soft_wrap=True))
    out = buffer.getvalue()
    assert_whole_numbers(out)
    assert "0.00 " not in out.replace("0.00 t", "")  # no made-up zeros
