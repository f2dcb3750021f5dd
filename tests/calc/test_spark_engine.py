"""Issue #18: `esg calc --engine spark` runs a real Spark (local mode) and stores the very
figures the local engine stores.

Each test has a copy of the demo's entities and 2024 activity file on each backend (every
activity type of the demo, rows with attributes, and water and waste rows without a factor,
so the run is incomplete); one Spark session serves the whole module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select

from esgledger.calc.issue_groups import GROUP_SCHEMA, listed_issues
from esgledger.calc.spark.session import spark_session
from esgledger.ledger.db import Database
from esgledger.ledger.issue_models import CalculationIssueGroup
from esgledger.ledger.models import CalculationCoefficient, CalculationRun
from tests.calc.demo_year import NAME, YEAR, fill_demo_year
from tests.conftest import Cli
from tests.filled import filled_db


@pytest.fixture(scope="module", autouse=True)
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One local Spark for the module, two cores (what this machine has to share)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("ESG_SPARK_MASTER", "local[2]")
    patch.setenv("ESG_SPARK_PARTITIONS", "3")  # more than one partition, entities split
    session = spark_session()
    yield session
    session.stop()
    patch.undo()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As the suite's ``db``, a copy of the demo's 2024 ledger filled once per run (the
    chunked-run module's too), where each test imported the same two files (#20)."""
    yield from filled_db(request, tmp_path, NAME, fill_demo_year)


@pytest.fixture
def demo_year(cli: Cli) -> Cli:
    """The demo's entities and its 2024 activity file in the test's workspace."""
    return cli


def calc(cli: Cli, *args: str) -> dict[str, Any]:
    """``esg calc --json``: exit 1, the demo's water and waste rows have no factor."""
    return json.loads(cli("calc", "--year", str(YEAR), *args, "--json", expect=1).stdout)


GROUP_FRAME = {"id": pl.Int64, "run_id": pl.Int64, **GROUP_SCHEMA}


def stored(db: Database, run_id: int) -> tuple[list[tuple], list[tuple]]:
    """A run's coefficient and issue rows, without their own ids and run id."""
    with db.read() as session:
        coefs = session.execute(
            select(CalculationCoefficient).where(CalculationCoefficient.run_id == run_id)
        ).scalars()
        coef_rows = sorted(
            tuple(v for k, v in vars(c).items() if k not in ("_sa_instance_state", "run_id"))
            for c in coefs
        )
        groups = session.execute(
            select(*CalculationIssueGroup.__table__.c).where(CalculationIssueGroup.run_id == run_id)
        ).all()
        # every unresolved row listed from its group (#18: stored a group at a time)
        issues = (
            listed_issues(pl.DataFrame([g._asdict() for g in groups], schema=GROUP_FRAME))
            .select("activity_id", "entity_id", "activity", "quantity", "reason")
            .rows()
        )
    return coef_rows, [tuple(i) for i in issues]


def test_spark_gives_the_local_figures_to_the_bit(demo_year: Cli, db: Database) -> None:
    local = calc(demo_year)
    spark = calc(demo_year, "--engine", "spark")
    assert spark["activity_rows"] == local["activity_rows"] > 2000
    for part in ("totals", "by_entity", "by_gas", "by_activity", "scope3"):
        assert spark[part] == local[part], part  # == on floats: the same bits
    assert len(local["by_entity"]) > 10 and local["totals"]["scope2_market_tco2e"] > 0
    assert spark["unresolved"] == local["unresolved"] != []
    assert spark["incomplete"] and spark["incomplete_figures"] == local["incomplete_figures"]
    assert spark["editions"] == local["editions"]
    assert spark["input_digest"] == local["input_digest"]
    assert stored(db, spark["run_id"]) == stored(db, local["run_id"])
    # no row per activity × gas is gathered to the driver: explain recomputes them
    with db.read() as session:
        lineage = json.loads(session.get(CalculationRun, spark["run_id"]).totals).get("lineage")
    assert lineage == "recomputed"

    def explained(run_id: int) -> dict[str, Any]:
        args = ("calc", "explain", "--run", str(run_id), "--entity", "SZ-BA", "--json")
        return json.loads(demo_year(*args).stdout)

    figures = explained(spark["run_id"])["figures"]
    assert figures == explained(local["run_id"])["figures"] and figures


def test_an_unknown_engine_is_refused_and_nothing_stored(demo_year: Cli, db: Database) -> None:
    result = demo_year("calc", "--year", str(YEAR), "--engine", "dask", expect=2)
    assert "--engine 'dask'" in result.output and "local, spark" in result.output
    with db.read() as session:
        assert session.execute(select(CalculationRun.id)).first() is None
