"""The demo runs the engine, and `esg calc explain` walks its figures down to rows.

Read from the session's whole demo (``demo_build``, tests/conftest.py), not a build of its
own (#20): the calculation is the demo's first stage, and no later stage stores a run."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from esgledger.cli.main import app
from tests.conftest import DemoBuild


@pytest.fixture(scope="module")
def demo_db(demo_build: DemoBuild) -> str:
    return str(demo_build.db_path)


def esg(*args: str) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_runs_are_stored_for_each_year(demo_db: str) -> None:
    runs = esg("calc", "runs", "--db", demo_db)
    assert [r["year"] for r in runs] == [2023, 2024, 2025]
    assert [r["boundary"] for r in runs] == ["2023-ghg", "2024-ghg", "2025-ghg"]
    assert all(
        r["totals"]["scope1_tco2e"] > 0 and r["totals"]["scope2_market_tco2e"] > 0 for r in runs
    )


def test_explain_walks_the_demo_scope2_down_to_rows_and_factors(demo_db: str) -> None:
    run = esg("calc", "runs", "--db", demo_db)[-1]
    shown = esg("calc", "show", "--run", str(run["run_id"]), "--db", demo_db)
    explained = esg(
        "calc",
        "explain",
        "--run",
        str(run["run_id"]),
        "--metric",
        "ghg.scope2_location",
        "--limit",
        "5000",
        "--db",
        demo_db,
    )
    figure = explained["figures"]["scope2_location"]
    entity_sum = sum(e["scope2_location_tco2e"] for e in shown["by_entity"].values())
    assert figure["value"] == pytest.approx(entity_sum, rel=1e-9)
    assert figure["rows"] == explained["rows_shown"] > 100
    china = [r for r in explained["rows"] if r["factors"][0]["series"] == "cn.mee_grid"]
    abroad = [r for r in explained["rows"] if r["factors"][0]["series"] == "owid.ember_grid"]
    assert china and abroad
    for row in china[:20]:
        factor = row["factors"][0]
        assert row["value"] == pytest.approx(
            row["quantity"] * row["multiplier"] * factor["value"], rel=1e-12
        )
        assert factor["citation"] and "MEE/NBS" in factor["citation"]
        # FY2025, cut-off 2026-04-30: mee-grid-2023 records no publication date, so the latest
        # edition published by the cut-off is the 2022 one, and the rule says why
        assert "latest edition published by 2026-04-30 (mee-grid-2022" in row["rule"]
        assert "mee-grid-2023 left out: no publication date" in row["rule"]
