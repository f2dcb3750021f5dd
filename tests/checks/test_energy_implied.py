"""What a run implies per unit of activity (``checks.energy.implied``) is the same whether
the run stored its result rows or recomputes them from its inputs, and counts only the
run's year though other years hold rows of the same activity."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.calc.runs import get_run, results_stored
from esgledger.checks.context import CheckContext
from esgledger.checks.energy import implied
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace

ELECTRICITY = ("electricity.purchased",)


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    workspace = Workspace(db, tmp_path)
    workspace.activities(
        [
            ("SZ1", 2024, "electricity.purchased", 700, "MWh"),
            ("SZ1", 2025, "electricity.purchased", 1000, "MWh"),
            ("WH1", 2025, "electricity.purchased", 500, "MWh"),
            ("WH1", 2026, "electricity.purchased", 900, "MWh"),
        ]
    )
    return workspace


def _implied(ws: Workspace, run_id: int) -> tuple[bool, tuple[float, float] | None]:
    with ws.db.read() as session:
        run = get_run(session, run_id)
        ctx = CheckContext(session, 2025)
        found = implied(ctx, run, ELECTRICITY, "scope2_location", "MWh", co2e=True)
        return results_stored(run), found


def test_a_recomputed_run_implies_what_a_stored_one_does(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored, by_rows = _implied(ws, ws.calc(2025)["run_id"])
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "0")  # the next run stores no result rows
    recomputed, by_inputs = _implied(ws, ws.calc(2025)["run_id"])
    assert (stored, recomputed) == (True, False)
    assert by_rows is not None and by_rows[1] == 1500.0  # 2025 only: not 700 or 900 MWh more
    assert by_inputs == by_rows
