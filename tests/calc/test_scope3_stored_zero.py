"""#15: runs stored before Scope 3 said "not available" hold ``scope3_tco2e: 0.0`` for a
Scope 3 no row computed. Reading such a run (``esg calc show``, ``esg calc runs``, KPIs,
pages, the report: all through ``stored_totals``) gives no figure, with the reason that the
run was stored before and how to get a figure; the stored text is left as it was (its audit
digest vouches for it). A run that did compute Scope 3 keeps its figure, even 0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from esgledger.ledger.run_totals import STORED_BEFORE, stored_totals
from tests.calc.workspace import calc_runner, year_row
from tests.conftest import Cli


def _as_stored_before(cli: Cli, run_id: int) -> None:
    """Give a run the shape runs had before: a 0.0 total and no reason."""
    with cli.db.write() as s:
        totals = json.loads(s.execute(text("SELECT totals FROM calculation_runs WHERE id = :i"), {"i": run_id}).scalar_one())  # fmt: skip
        totals["totals"]["scope3_tco2e"] = 0.0
        totals["scope3"].pop("total_reason")
        s.execute(text("UPDATE calculation_runs SET totals = :t WHERE id = :i"), {"t": json.dumps(totals), "i": run_id})  # fmt: skip


@pytest.fixture
def old_run(cli: Cli, tmp_path: Path) -> dict[str, Any]:
    run = calc_runner(cli, tmp_path)([year_row("SZ", "electricity.purchased", 1000, "MWh")])
    assert run["totals"]["scope3_tco2e"] is None  # a run stored now: no figure
    _as_stored_before(cli, run["run_id"])
    return run


def test_a_run_stored_with_a_zero_scope3_reads_as_not_available(cli: Cli, old_run: dict[str, Any]) -> None:  # fmt: skip
    run = str(old_run["run_id"])
    shown = json.loads(cli("calc", "show", "--run", run, "--json").stdout)
    assert shown["totals"]["scope3_tco2e"] is None
    reason = shown["scope3"]["total_reason"]
    assert STORED_BEFORE in reason and "run `esg calc` for its year again" in reason
    printed = " ".join(cli("calc", "show", "--run", run).stdout.split())
    assert "stored before" in printed and "Scope 3 0" not in printed
    kpis = json.loads(cli("kpi", "--year", "2024", "--years", "1", "--json").stdout)
    [total] = [k for k in kpis["kpis"] if k["metric"] == "ghg.scope3" and not k["dims"]]
    figure = total["figures"]["2024"]
    assert figure["value"] is None and STORED_BEFORE in figure["note"]


def test_a_computed_zero_and_a_run_stored_now_are_read_as_stored() -> None:
    computed = {
        "totals": {"scope3_tco2e": 0.0},
        "scope3": {"by_category": {"cat1": {"status": "calculated", "tco2e": 0.0}}},
    }
    assert stored_totals(json.dumps(computed))["totals"]["scope3_tco2e"] == 0.0
    now = {"totals": {"scope3_tco2e": None}, "scope3": {"by_category": {}, "total_reason": "x"}}
    assert stored_totals(json.dumps(now))["scope3"]["total_reason"] == "x"
