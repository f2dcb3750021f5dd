"""Issue #18: a run reads its rows as columns and a large run recomputes its lineage.

The demo's 2024 activity file (every activity type the demo has, a few thousand rows) is
imported on each backend; the columnar read must give the very frame the row-by-row read
gave, and a run that stored no result rows must explain to the same bits as one that did.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import func, select, update

from esgledger.calc.columnar_read import read_activities
from esgledger.calc.engine import compute
from esgledger.calc.library import FactorLibrary
from esgledger.calc.lineage import recomputed_results
from esgledger.calc.options import RunOptions
from esgledger.calc.runs import get_run, load_inputs
from esgledger.checks.context import CheckContext
from esgledger.checks.factors import implied_factors
from esgledger.ledger.activities import live
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord, CalculationResult
from tests.calc.demo_year import NAME, YEAR, fill_demo_year
from tests.conftest import Cli
from tests.filled import filled_db

# the frame every run read before issue #18, written out here so a change of the reader shows
ROW_BY_ROW_SCHEMA = {
    "id": pl.Int64,
    "entity_id": pl.Utf8,
    "start": pl.Date,
    "activity": pl.Utf8,
    "quantity": pl.Float64,
    "unit": pl.Utf8,
    "attributes": pl.Utf8,
}


def row_by_row(session, year: int) -> pl.DataFrame:
    """The read every run made before issue #18: one ORM row per activity row."""
    stmt = (
        select(
            ActivityRecord.id,
            ActivityRecord.entity_id,
            ActivityRecord.start,
            ActivityRecord.activity,
            ActivityRecord.quantity,
            ActivityRecord.unit,
            ActivityRecord.attributes,
        )
        .where(
            live(),
            ActivityRecord.start >= dt.date(year, 1, 1),
            ActivityRecord.start <= dt.date(year, 12, 31),
        )
        .order_by(ActivityRecord.id)
    )
    return pl.DataFrame(
        session.execute(stmt).all(),
        schema=ROW_BY_ROW_SCHEMA,
        orient="row",
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As the suite's ``db``; for a test of the demo's year, a copy of the workspace
    :func:`~tests.calc.demo_year.fill_demo_year` filled once per run (shared with the
    chunked-run and Spark modules), where each test imported the same two files (#20)."""
    if "demo_year" in request.fixturenames:
        yield from filled_db(request, tmp_path, NAME, fill_demo_year)
        return
    yield request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def demo_year(cli: Cli) -> Cli:
    """The demo's entities and its 2024 activity file, one row voided."""
    cli("activities", "void", "--id", "5", "--reason", "test: a voided row counts nowhere")
    return cli


def calc(cli: Cli, *args: str) -> dict:
    """``esg calc --json``; it exits 1 as the demo's water and waste rows have no factor."""
    return json.loads(cli("calc", "--year", str(YEAR), *args, "--json", expect=1).stdout)


def test_columnar_read_is_the_row_by_row_read_bit_for_bit(demo_year: Cli, db: Database) -> None:
    with db.read() as session:
        old = row_by_row(session, YEAR)
        new = read_activities(session, YEAR)
        inputs = load_inputs(session, RunOptions(year=YEAR))
        library = FactorLibrary.load(session)
    assert old.height > 2000 and 5 not in old["id"].to_list()
    assert old["activity"].n_unique() >= 15  # every demo activity type of the year
    assert (old["attributes"] != "").any()
    assert_frame_equal(new, old, check_exact=True)
    assert new["quantity"].to_numpy().tobytes() == old["quantity"].to_numpy().tobytes()
    # and so the engine's results are those of the row-by-row read, bit for bit
    entities = inputs.entities
    before = compute(old, entities, library, RunOptions(year=YEAR))
    after = compute(inputs.activities, entities, library, RunOptions(year=YEAR))
    assert_frame_equal(after.results, before.results, check_exact=True)
    assert after.totals == before.totals and after.by_entity == before.by_entity


def test_hostile_cells_and_huge_quantities_read_unchanged(demo_year: Cli, db: Database) -> None:
    """Cells the text transfer must quote and floats past the exact digits of text."""
    cells = [
        (10, 1.7976931348623157e308, '{"use":"a,b"}'),
        (11, 1.0027331208796678e152, 'it\'s, "NULL"\nnext line'),
        (12, 5e-324, "NULL"),
        (13, 0.1 + 0.2, ""),
    ]
    with db.write() as session:
        for row_id, quantity, attributes in cells:
            session.execute(
                update(ActivityRecord)
                .where(ActivityRecord.id == row_id)
                .values(quantity=quantity, attributes=attributes)
            )
    with db.read() as session:
        old, new = row_by_row(session, YEAR), read_activities(session, YEAR)
    assert_frame_equal(new, old, check_exact=True)
    got = new.filter(pl.col("id").is_in([c[0] for c in cells])).sort("id")
    assert got["quantity"].to_list() == [c[1] for c in cells]
    assert got["attributes"].to_list() == [c[2] for c in cells]


def test_a_year_without_rows_reads_as_an_empty_frame(db: Database) -> None:
    with db.read() as session:
        frame = read_activities(session, 1999)
    assert frame.height == 0 and frame.schema == pl.Schema(ROW_BY_ROW_SCHEMA)


def test_a_large_run_stores_no_rows_and_explains_to_the_same_bits(
    demo_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = calc(demo_year)
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "100")  # the demo year is "large" now
    large = calc(demo_year)
    assert large["totals"] == stored["totals"] and large["by_gas"] == stored["by_gas"]
    assert large["input_digest"] == stored["input_digest"]
    with db.read() as session:
        kept = session.scalar(
            select(func.count()).where(CalculationResult.run_id == large["run_id"])
        )
        assert kept == 0
        rows = recomputed_results(session, get_run(session, large["run_id"]))
        old = pl.DataFrame(
            session.execute(
                select(
                    CalculationResult.activity_id,
                    CalculationResult.coef_id,
                    CalculationResult.quantity,
                    CalculationResult.value,
                    CalculationResult.co2e,
                    CalculationResult.covered,
                    CalculationResult.entity_id,
                )
                .where(CalculationResult.run_id == stored["run_id"])
                .order_by(CalculationResult.id)
            ).all(),
            schema=rows.schema,
            orient="row",
        )
    assert_frame_equal(rows, old, check_exact=True)
    for metric in ("ghg.scope1", "scope2_market", "energy_total_tce"):
        args = ("calc", "explain", "--metric", metric, "--json")
        a = json.loads(demo_year(*args, "--run", str(stored["run_id"])).stdout)
        b = json.loads(demo_year(*args, "--run", str(large["run_id"])).stdout)
        assert a["figures"] == b["figures"] and a["rows"] == b["rows"]
        assert b["rows"] and all(f["rows"] > 0 for f in b["figures"].values())


def test_explaining_a_large_run_whose_inputs_changed_is_refused(
    demo_year: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "100")
    run = calc(demo_year)["run_id"]
    demo_year("activities", "void", "--id", "2000", "--reason", "test: changed after the run")
    result = demo_year("calc", "explain", "--run", str(run), "--json", expect=2)
    assert "inputs changed since it was calculated" in result.output
    assert "Traceback" not in result.output


def test_checks_read_a_large_run_as_they_read_a_stored_one(
    demo_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The implied-factor checks read result rows; a run that stored none must give them the
    same rows, recomputed, and not an empty set (which would silently skip the checks)."""
    calc(demo_year)
    with db.read() as session:
        stored = implied_factors(CheckContext(session=session, year=YEAR), YEAR)
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "100")
    calc(demo_year)  # the latest run now, with no result rows stored
    with db.read() as session:
        large = implied_factors(CheckContext(session=session, year=YEAR), YEAR)
    assert set(stored) == {"electricity_tce", "natural_gas_tce", "grid_scope2"}
    assert large == stored
