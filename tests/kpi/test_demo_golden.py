"""The demo's KPI tables and findings stay exactly what they were before the KPI tables and
the checks read columns instead of ORM objects (#18): a speed-up must not move a figure.

The golden files were written by ``esg kpi --json`` and ``esg check --json`` of the code
before that change; regenerate them only for a change that is meant to alter figures:

    .venv/bin/python tests/kpi/test_demo_golden.py DEMO_DB
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from esgledger.cli.main import app
from tests.conftest import DemoBuild

GOLDEN = Path(__file__).parent / "data"
COMMANDS = {
    "kpi-2025": ["kpi", "--year", "2025"],
    "kpi-2024-one-year": ["kpi", "--year", "2024", "--years", "1"],
    "check-2025": ["check", "--year", "2025", "--include-acknowledged"],
    "check-2024": ["check", "--year", "2024", "--include-acknowledged"],
}


def stable(found: Any) -> Any:
    """The output without the moments the demo was built (an acknowledgement's ``at``)."""
    if isinstance(found, dict):
        return {k: "(when built)" if k == "at" else stable(v) for k, v in found.items()}
    if isinstance(found, list):
        return [stable(v) for v in found]
    return found


def esg_json(db: str, args: list[str]) -> Any:
    result = CliRunner().invoke(app, [*args, "--db", db, "--json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output  # check exits 1 on open errors
    return stable(json.loads(result.stdout))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_demo_gives_the_golden_output(demo_build: DemoBuild, name: str) -> None:
    expected = json.loads((GOLDEN / f"demo-{name}.json").read_text(encoding="utf-8"))
    assert esg_json(str(demo_build.db_path), COMMANDS[name]) == expected


if __name__ == "__main__":
    for golden, command in COMMANDS.items():
        out = GOLDEN / f"demo-{golden}.json"
        out.write_text(
            json.dumps(esg_json(sys.argv[1], command), indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {out}")
