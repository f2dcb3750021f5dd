"""What a run implies per unit of activity (``checks.energy.implied``) is the same whether
the run stored its result rows or recomputes them from its inputs, and counts only the
run's year though other years hold rows of the same activity."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from esgledger.calc.runs import get_run, results_stored
from esgledger.checks.context import CheckContext
from esgledger.checks.energy import implied
from esgledger.checks.factors import implied_factor_rules, implied_factors
from esgledger.ledger.db import Database
from tests.checks.test_implied_kept import forget_kept_sums
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
    run_id = ws.calc(2025)["run_id"]
    forget_kept_sums(ws.db, run_id)  # a run stored before runs kept their sums
    recomputed, by_inputs = _implied(ws, run_id)
    assert (stored, recomputed) == (True, False)
    assert by_rows is not None and by_rows[1] == 1500.0  # 2025 only: not 700 or 900 MWh more
    assert by_inputs == by_rows


def test_the_factors_rule_recomputes_each_run_once(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three implied factors of two years from runs that stored no result rows: each run is
    recomputed from its inputs once, not once per factor (#18: at 10,000 entities six
    recomputations took 34 of the 57 CPU seconds of ``esg check``), and the factors are
    those each implied sum gives on its own."""
    ws.activities(
        [
            ("SZ1", 2024, "fuel.natural_gas", 20000, "m3"),
            ("SZ1", 2025, "fuel.natural_gas", 25000, "m3"),
            ("HQ", 2025, "electricity.purchased", 300000, "kWh"),
        ]
    )
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "0")
    runs = {year: ws.calc(year)["run_id"] for year in (2024, 2025)}
    for run_id in runs.values():  # runs stored before runs kept their sums (test_implied_kept)
        forget_kept_sums(ws.db, run_id)
    sent: list[str] = []

    def seen(conn: object, cursor: object, sql: str, *args: object) -> None:
        sent.append(sql)

    with ws.db.read() as session:
        event.listen(ws.db.engine, "before_cursor_execute", seen)
        try:
            ctx = CheckContext(session, 2025)
            now, before = implied_factors(ctx, 2025), implied_factors(ctx, 2024)
            implied_factor_rules(ctx)  # what esg check runs: no recomputation more
        finally:
            event.remove(ws.db.engine, "before_cursor_execute", seen)
        alone = {
            year: implied(
                CheckContext(session, year),
                get_run(session, runs[year]),
                ("fuel.natural_gas",),
                "energy_direct",
                "m3",
            )
            for year in runs
        }
    # a recomputation reads the entities' countries once (calc.runs.load_inputs)
    assert sum("entities.subdivision" in s for s in sent) == 2
    assert set(now) == set(before) == {"electricity_tce", "natural_gas_tce", "grid_scope2"}
    for year, found in ((2025, now), (2024, before)):
        gas = alone[year]
        assert gas is not None and gas[1] == (25000.0 if year == 2025 else 20000.0)
        assert found["natural_gas_tce"] == gas[0] * 1000.0 / gas[1]
