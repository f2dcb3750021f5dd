"""#18: esgledger sets how long Polars' jemalloc keeps freed pages before anything loads
Polars (``esgledger.allocator``); an operator's own setting is kept; and the Polars
installed reads the variable under that name and in that form (Polars puts its own
settings first and the variable's after them, so the variable's win)."""

from __future__ import annotations

import os
import subprocess
import sys

from esgledger.allocator import SETTING, VARIABLE


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != VARIABLE}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**clean, **env}
    )


SHOWN = "import os, esgledger; print(os.environ.get('_RJEM_MALLOC_CONF'))"


def test_importing_esgledger_first_sets_the_allocator() -> None:
    assert _run(SHOWN).stdout.strip() == SETTING


def test_an_operators_setting_is_kept() -> None:
    assert _run(SHOWN, **{VARIABLE: "dirty_decay_ms:0"}).stdout.strip() == "dirty_decay_ms:0"


def test_polars_loaded_first_is_left_alone() -> None:
    code = "import polars, os, esgledger; print(os.environ.get('_RJEM_MALLOC_CONF'))"
    assert SETTING not in _run(code).stdout  # Polars' own (it sets the variable as it loads)


def test_the_installed_polars_reads_the_setting() -> None:
    """jemalloc prints its options at exit when asked: they are the setting's, not Polars'
    own (500 and 1000 ms)."""
    code = "import esgledger, polars; polars.Series(range(10)).sum()"
    printed = _run(code, **{VARIABLE: f"{SETTING},stats_print:true"}).stderr
    for option in SETTING.split(","):
        name, value = option.split(":")
        assert f"opt.{name}: {value}" in printed, printed[:2000]
