"""A run too large to store its result rows keeps the sums the factor checks read (#18).

``esg check`` back-calculates three factors from the runs of the year and the year before.
A run that stored no result rows was recomputed whole from its inputs for them, on every
``esg check`` (about half of its CPU time at 10,000 entities). Such a run now keeps the
exact sums in its totals: the same, to the bit, as its stored rows or a recomputation
give, and the checks read no activity row for them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event, update

from esgledger.calc.implied import IMPLIED_KEY, IMPLIED_SPECS
from esgledger.calc.runs import get_run, results_stored
from esgledger.checks.context import CheckContext
from esgledger.checks.energy import implied
from esgledger.checks.factors import implied_factors
from esgledger.ledger.db import Database
from esgledger.ledger.models import CalculationRun
from esgledger.ledger.run_totals import stored_totals
from tests.checks.workspace import Workspace

YEAR = 2025


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    """Awkward amounts in several units of each activity, other activities beside them,
    and rows of other years that no sum of the year may count."""
    workspace = Workspace(db, tmp_path)
    rows: list[tuple[object, ...]] = []
    for year in (YEAR - 1, YEAR, YEAR + 1):
        for i, entity in enumerate(("HQ", "SZ1", "WH1", "VN1")):
            k = year - YEAR + i + 2
            rows += [
                (entity, year, "electricity.purchased", 1234.567 * k + 0.1, "MWh")
                if i % 2
                else (entity, year, "electricity.purchased", 98765.4321 / k, "kWh"),
                (entity, year, "electricity.onsite_solar", 333.3333 * k, "kWh"),
                (entity, year, "fuel.natural_gas", 20000.07 / k, "m3"),
                (entity, year, "fuel.diesel", 12.345 * k, "t"),
                (entity, year, "water.municipal", 4000.5, "m3"),
            ]
    workspace.activities(rows)
    return workspace


def _sums(ws: Workspace, run_id: int) -> dict[str, tuple[float, float] | None]:
    with ws.db.read() as session:
        run = get_run(session, run_id)
        ctx = CheckContext(session, run.year)
        return {
            name: implied(ctx, run, activities, quantity, unit, co2e=co2e)
            for name, (activities, quantity, unit, co2e) in IMPLIED_SPECS.items()
        }


def forget_kept_sums(db: Database, run_id: int) -> None:
    """Make the run one stored before runs kept their sums."""
    with db.write() as session:
        run = get_run(session, run_id)
        totals = json.loads(run.totals)
        totals.pop(IMPLIED_KEY, None)
        session.execute(
            update(CalculationRun)
            .where(CalculationRun.id == run_id)
            .values(totals=json.dumps(totals, sort_keys=True))
        )


def test_a_run_without_rows_keeps_the_sums_its_rows_give(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_rows = _sums(ws, ws.calc(YEAR)["run_id"])
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "0")  # the next runs store no result rows
    kept_id = ws.calc(YEAR)["run_id"]
    recomputed_id = ws.calc(YEAR)["run_id"]
    forget_kept_sums(ws.db, recomputed_id)
    with ws.db.read() as session:
        kept_run = get_run(session, kept_id)
        assert not results_stored(kept_run)
        assert set(stored_totals(kept_run.totals)[IMPLIED_KEY]) == set(IMPLIED_SPECS)
    kept, recomputed = _sums(ws, kept_id), _sums(ws, recomputed_id)
    assert all(pair is not None for pair in by_rows.values()), by_rows
    # the same floats, not close ones: the report prints what the checks compare
    assert kept == by_rows
    assert recomputed == by_rows


def test_a_run_with_rows_keeps_no_sums(ws: Workspace) -> None:
    """Runs that store their rows are read as before: their totals do not change."""
    run_id = ws.calc(YEAR)["run_id"]
    with ws.db.read() as session:
        assert IMPLIED_KEY not in stored_totals(get_run(session, run_id).totals)


def test_the_factor_checks_read_no_activity_row_of_a_run_that_kept_its_sums(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "0")
    for year in (YEAR - 1, YEAR):
        ws.calc(year)
    sent: list[str] = []

    def seen(conn: object, cursor: object, sql: str, *args: object) -> None:
        sent.append(sql)

    with ws.db.read() as session:
        event.listen(ws.db.engine, "before_cursor_execute", seen)
        try:
            ctx = CheckContext(session, YEAR)
            now, before = implied_factors(ctx, YEAR), implied_factors(ctx, YEAR - 1)
        finally:
            event.remove(ws.db.engine, "before_cursor_execute", seen)
    assert set(now) == set(before) == {"electricity_tce", "natural_gas_tce", "grid_scope2"}
    assert not [s for s in sent if "activity_records" in s or "entities.subdivision" in s]


@pytest.mark.parametrize("chunk_rows", ["1", "12"], ids=["entity-chunks", "two-entity-chunks"])
def test_a_chunked_run_keeps_the_sums_a_whole_recomputation_gives(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, chunk_rows: str
) -> None:
    """A year larger than ``ESG_CALC_CHUNK_ROWS`` is computed a chunk of entities at a time
    and stores no result rows: it keeps the sums too, added up across its chunks to the bit
    of one exactly rounded sum over every row (#18)."""
    by_rows = _sums(ws, ws.calc(YEAR)["run_id"])
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", chunk_rows)
    chunked_id = ws.calc(YEAR)["run_id"]
    recomputed_id = ws.calc(YEAR)["run_id"]
    forget_kept_sums(ws.db, recomputed_id)
    with ws.db.read() as session:
        chunked_run = get_run(session, chunked_id)
        assert not results_stored(chunked_run)
        assert set(stored_totals(chunked_run.totals)[IMPLIED_KEY]) == set(IMPLIED_SPECS)
    kept, recomputed = _sums(ws, chunked_id), _sums(ws, recomputed_id)
    assert all(pair is not None for pair in by_rows.values()), by_rows
    assert kept == by_rows
    assert recomputed == by_rows
