"""Issue #18: `esg calc` over a year larger than ``ESG_CALC_CHUNK_ROWS`` runs on the chunked
path (whole entities a chunk at a time, the input digest over a streamed pass) and stores
the run the in-memory path stores: the same figures to the bit, the same digest, editions,
coefficients and issues, and `esg calc explain` recomputes the same rows.

The demo's entities and 2024 activity file are imported on each backend; a chunk of 150
rows splits its 2,000-odd rows into many chunks and stream batches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.files import write_csv
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.ledger.db import Database
from esgledger.ledger.models import CalculationCoefficient, CalculationIssue, CalculationRun
from tests.conftest import Cli

YEAR = 2024
CHUNK_ROWS = "150"


@pytest.fixture
def demo_year(cli: Cli, tmp_path: Path) -> Cli:
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entity_rows())))
    cli(
        "import",
        "activities",
        str(write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, activity_rows(YEAR))),
    )
    return cli


def calc(cli: Cli) -> dict[str, Any]:
    """``esg calc --json``: exit 1, the demo's water and waste rows have no factor."""
    return json.loads(cli("calc", "--year", str(YEAR), "--json", expect=1).stdout)


def stored(db: Database, run_id: int) -> tuple[dict[str, Any], list[tuple], list[tuple]]:
    """A run's stored totals, coefficient rows and issue rows, without ids of its own."""
    with db.read() as session:
        totals = json.loads(session.get(CalculationRun, run_id).totals)
        coefs = sorted(
            tuple(v for k, v in vars(c).items() if k not in ("_sa_instance_state", "run_id"))
            for c in session.scalars(
                select(CalculationCoefficient).where(CalculationCoefficient.run_id == run_id)
            )
        )
        issues = session.execute(
            select(
                CalculationIssue.activity_id,
                CalculationIssue.entity_id,
                CalculationIssue.quantity,
                CalculationIssue.reason,
            )
            .where(CalculationIssue.run_id == run_id)
            .order_by(CalculationIssue.id)
        ).all()
    return totals, coefs, [tuple(i) for i in issues]


@pytest.mark.parametrize("boundary", [False, True], ids=["all-entities", "boundary"])
def test_esg_calc_in_chunks_stores_the_in_memory_run(
    demo_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch, boundary: bool
) -> None:
    if boundary:  # rows of entities outside the boundary are in the year, not in the run
        args = ("--year", str(YEAR), "--family", "energy_ghg", "--include", "PSD")
        demo_year("boundary", "create", "2024-ghg", *args, "--exclude", "WH")
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "0")  # in memory
    whole = calc(demo_year)
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", CHUNK_ROWS)
    chunked = calc(demo_year)
    assert chunked["activity_rows"] == whole["activity_rows"] > 10 * int(CHUNK_ROWS)
    wuhan = [e for e in whole["by_entity"] if e.startswith("WH")]
    assert bool(wuhan) is not boundary and chunked["boundary"] == whole["boundary"]
    for part in ("totals", "by_entity", "by_gas", "by_activity", "scope3", "unresolved"):
        assert chunked[part] == whole[part], part  # == on floats: the same bits
    assert whole["totals"]["scope2_market_tco2e"] > 0 and whole["scope3"]["by_category"]
    assert chunked["incomplete"] and chunked["incomplete_figures"] == whole["incomplete_figures"]
    assert chunked["editions"] == whole["editions"]
    assert chunked["input_digest"] == whole["input_digest"]  # streamed, the same bytes hashed
    chunked_totals, chunked_coefs, chunked_issues = stored(db, chunked["run_id"])
    whole_totals, whole_coefs, whole_issues = stored(db, whole["run_id"])
    assert chunked_coefs == whole_coefs and chunked_issues == whole_issues != []
    # no row per activity × gas was ever gathered: the run's rows are recomputed on demand
    assert chunked_totals.pop("lineage") == "recomputed" and "lineage" not in whole_totals
    assert chunked_totals == whole_totals

    def explained(run_id: int) -> dict[str, Any]:
        args = ("calc", "explain", "--run", str(run_id), "--entity", "SZ-BA", "--json")
        return json.loads(demo_year(*args).stdout)

    figures = explained(chunked["run_id"])["figures"]
    assert figures == explained(whole["run_id"])["figures"] and figures


def test_a_year_within_the_chunk_size_runs_in_memory(
    demo_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "100000")
    run = calc(demo_year)
    totals, _, _ = stored(db, run["run_id"])
    assert "lineage" not in totals  # result rows stored: the in-memory path ran
