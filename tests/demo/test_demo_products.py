"""Issue #15: the demo sells cameras and recorders in over 100 countries; its 2025 use phase
(category 11) is what the product data implies with the cited grid factors, and the largest
Scope 3 category."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from esgledger.cli.main import app
from esgledger.demo.products import CATALOGUE
from tests.conftest import DemoBuild

FACTORS = Path(__file__).parents[2] / "src/esgledger/catalog/data/factors"
MEE_2022_CN = 0.5366  # MEE/NBS 2022 national average, t CO2/MWh (newest by the 2025 cut-off)


def _owid_newest() -> dict[str, float]:
    """Each country's OWID/Ember factor of the newest data year shipped, t CO2e/MWh."""
    out: dict[str, tuple[int, float]] = {}
    for path in sorted(FACTORS.glob("owid-ember-grid-*-cc332.csv")):
        year = int(path.name.split("-")[3])
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if year >= out.get(row["region"], (0, 0.0))[0]:
                    out[row["region"]] = (year, float(row["value"]))
    return {country: value for country, (_year, value) in out.items()}


def test_use_phase_is_what_the_product_data_implies(demo_build: DemoBuild) -> None:
    models = {code: (life, modes) for code, _n, (_l, life, _h), modes, _m in CATALOGUE}
    grid = {**_owid_newest(), "CN": MEE_2022_CN}
    with (demo_build.out / "inputs" / "product-sales-2025.csv").open(encoding="utf-8") as fh:
        sales = list(csv.DictReader(fh))
    assert len({s["country"] for s in sales}) > 100
    by_hand = math.fsum(
        float(s["quantity"])
        * math.fsum(w * h for _mode, w, h in models[s["product"]][1])
        / 1000
        * models[s["product"]][0]
        * grid[s["country"]]
        / 1000
        for s in sales
    )
    result = CliRunner().invoke(
        app, ["calc", "runs", "--db", str(demo_build.db_path), "--json"], catch_exceptions=False
    )
    run = max(
        (r for r in json.loads(result.stdout) if r["year"] == 2025), key=lambda r: r["run_id"]
    )
    shown = CliRunner().invoke(
        app, ["calc", "show", "--run", str(run["run_id"]), "--db", str(demo_build.db_path), "--json"],
        catch_exceptions=False,
    )  # fmt: skip
    categories = json.loads(shown.stdout)["scope3"]["by_category"]
    cat11 = categories["cat11"]
    assert cat11["tco2e"] == pytest.approx(by_hand, rel=1e-9)
    assert cat11["incomplete"] is False and cat11["range"]["low_tco2e"] < by_hand
    figures = {k: c["tco2e"] for k, c in categories.items() if c["tco2e"] is not None}
    assert max(figures, key=figures.__getitem__) == "cat11"
    assert categories["cat12"]["status"] == "calculated"
