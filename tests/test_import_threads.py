"""Importing the product starts no worker threads (#20).

Processes are forked from one that imported the product (the fault suite's fork server, a
pre-forking server): a fork copies only the calling thread, so a thread pool started at
import (Polars' is started by the first expression it evaluates) is left in the child with
its locks held, and the child's first Polars call waits for ever. A module may import
Polars, never compute with it at import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import os
import polars  # its own threads (allocator, cleaner) start with it, and are fork-safe
baseline = {open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")}
import tests.faults.warm  # every command and what it loads
names = [open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")]
print(sorted(n for n in names if n not in baseline))
"""


def test_importing_every_command_starts_no_polars_pool() -> None:
    found = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]", f"threads started at import: {found}"
