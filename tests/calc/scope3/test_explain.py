"""Issue #15: ``esg calc explain --metric ghg.scope3.catN`` traces a category to its rows,
methods and cited factors; a category without a figure says "not available", never 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli

CEMENT = 3.924  # EPA v1.3 NAICS 327310 SEF+MEF, kg CO2e / 2022 USD


def test_explain_a_category_down_to_rows_methods_and_factors(cli: Cli, tmp_path: Path) -> None:
    calc = scope3_runner(cli, tmp_path)
    rows = [
        row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310",
            supplier_kgco2e="1500"),
    ]  # fmt: skip
    run = str(calc(rows, 2022)["run_id"])
    out = json.loads(
        cli("calc", "explain", "--run", run, "--metric", "ghg.scope3.cat1", "--json").stdout
    )
    figure = out["figures"]["scope3.cat1"]
    assert figure["value"] == pytest.approx(1.5) and figure["method"] == "supplier_specific"
    by_method = {r["method"]: r for r in out["rows"]}
    assert by_method["supplier_specific"]["used"] is True
    spend = by_method["spend_based"]
    assert spend["used"] is False and spend["value"] == pytest.approx(CEMENT, rel=1e-12)
    [factor] = spend["factors"]
    assert factor["edition"] == "epa-scf-v1.3" and factor["value"] == CEMENT
    assert "Supply Chain Greenhouse Gas Emission Factors" in factor["citation"]
    assert spend["activity_id"] == by_method["supplier_specific"]["activity_id"]
    text = cli("calc", "explain", "--run", run, "--metric", "ghg.scope3.cat11").stdout
    assert "scope3.cat11: not available" in text and " 0.0000 " not in text


def test_an_unknown_category_is_refused(cli: Cli, tmp_path: Path) -> None:
    calc = scope3_runner(cli, tmp_path)
    run = str(calc([], 2022)["run_id"])
    result = cli("calc", "explain", "--run", run, "--metric", "ghg.scope3.cat16", expect=2)
    assert "cannot explain 'ghg.scope3.cat16'" in result.output
