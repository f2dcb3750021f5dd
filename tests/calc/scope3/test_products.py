"""Issue #15: use of sold products (category 11) and end-of-life (12) from product models and
units sold, computed by hand from the cited factors; a sale in a country without a cited
grid factor is unresolved with the reason, never a zero."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from esgledger.cli.main import app
from tests.calc.scope3.workspace import ENTITIES
from tests.conftest import Cli
from tests.factories import ENTITY_HEADER, write_csv

PRODUCT_HEADER = [
    "product", "name", "lifetime_years", "lifetime_low_years", "lifetime_high_years",
    "part", "item", "power_w", "hours_per_year", "mass_kg", "treatment",
]  # fmt: skip
CAMERA = [
    ["CAM-A", "Dome camera", "5", "3", "7", "use", "active", "5", "8000", "", ""],
    ["CAM-A", "Dome camera", "5", "3", "7", "use", "standby", "1", "760", "", ""],
    ["CAM-A", "Dome camera", "5", "3", "7", "material", "plastic", "", "", "0.4", "landfill"],
    ["CAM-A", "Dome camera", "5", "3", "7", "material", "metal", "", "", "0.2", "open_loop"],
]
SALES_HEADER = ["entity", "start", "end", "activity", "quantity", "unit", "product", "country"]
KWH_YEAR = (5 * 8000 + 1 * 760) / 1000  # 40.76 kWh per camera and year
DE_2023 = 0.38095  # OWID/Ember 2023, Germany, t CO2e/MWh (owid-ember-grid-2023-cc332)
CN_2022 = 0.5366  # MEE/NBS 2022 national average, t CO2/MWh (mee-grid-2022)
PLASTIC_LANDFILL = 8.98311  # DESNZ 2025 plastics, average, landfill, kg CO2e/t
METAL_OPEN_LOOP = 4.68568  # DESNZ 2025 metal, open-loop recycling, kg CO2e/t


def sale(product: str, country: str, units: float, entity: str = "SZ") -> list[object]:
    return [entity, "2024-01-01", "2024-12-31", "product.sold", units, "piece", product, country]


def _workspace(
    cli: Cli, tmp_path: Path, sales: list[list[object]], expect: int = 0
) -> dict[str, Any]:
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, ENTITIES)))
    cli("import", "products", str(write_csv(tmp_path / "p.csv", PRODUCT_HEADER, CAMERA)))
    cli("import", "activities", str(write_csv(tmp_path / "s.csv", SALES_HEADER, sales)))
    return json.loads(cli("calc", "--year", "2024", "--json", expect=expect).stdout)


def test_use_phase_and_end_of_life_by_hand(cli: Cli, tmp_path: Path) -> None:
    out = _workspace(cli, tmp_path, [sale("CAM-A", "DE", 1000), sale("CAM-A", "CN", 200)])
    cat11 = out["scope3"]["by_category"]["cat11"]
    de = 1000 * KWH_YEAR * 5 * DE_2023 / 1000
    cn = 200 * KWH_YEAR * 5 * CN_2022 / 1000
    assert cat11["status"] == "calculated" and cat11["method"] == "direct_use_phase"
    assert cat11["tco2e"] == pytest.approx(de + cn, rel=1e-12)
    assert cat11["range"]["low_tco2e"] == pytest.approx((de + cn) * 3 / 5, rel=1e-12)
    assert cat11["range"]["high_tco2e"] == pytest.approx((de + cn) * 7 / 5, rel=1e-12)
    assert sorted(cat11["factor_editions"]) == ["mee-grid-2022", "owid-ember-grid-2023-cc332"]
    assert cat11["incomplete"] is False
    cat12 = out["scope3"]["by_category"]["cat12"]
    per_unit = (0.4 * PLASTIC_LANDFILL + 0.2 * METAL_OPEN_LOOP) / 1e6  # kg × kg/t → t
    assert cat12["tco2e"] == pytest.approx(1200 * per_unit, rel=1e-12)
    assert cat12["method"] == "waste_type" and cat12["factor_editions"] == ["desnz-ghg-cf-2025"]
    assert out["totals"]["scope3_tco2e"] == pytest.approx(de + cn + 1200 * per_unit, rel=1e-12)


def test_a_country_without_a_cited_grid_factor_is_unresolved(cli: Cli, tmp_path: Path) -> None:
    out = _workspace(cli, tmp_path, [sale("CAM-A", "DE", 1000), sale("CAM-A", "LI", 50)], 1)
    cat11 = out["scope3"]["by_category"]["cat11"]
    assert cat11["tco2e"] == pytest.approx(1000 * KWH_YEAR * 5 * DE_2023 / 1000, rel=1e-12)
    assert cat11["incomplete"] is True and cat11["unresolved_rows"] == 1
    assert "no cited grid factor for LI in 2024" in cat11["unresolved_reasons"][0]
    assert out["incomplete"] is True and out["scope3"]["incomplete"] is True
    assert out["scope3"]["by_category"]["cat12"]["incomplete"] is False


def test_explain_cat11_names_product_country_and_factor(cli: Cli, tmp_path: Path) -> None:
    run = str(_workspace(cli, tmp_path, [sale("CAM-A", "DE", 1000)])["run_id"])
    out = json.loads(
        cli("calc", "explain", "--run", run, "--metric", "ghg.scope3.cat11", "--json").stdout
    )
    [line] = out["rows"]
    assert (line["product"], line["country"], line["method"]) == ("CAM-A", "DE", "direct_use_phase")
    [factor] = line["factors"]
    assert factor["value"] == DE_2023 and factor["edition"] == "owid-ember-grid-2023-cc332"
    assert "held constant over the lifetime" in line["rule"]
    assert "lifetime 3–7 years" in line["rule"]
    assert out["figures"]["scope3.cat11"]["range"]["low_tco2e"] == pytest.approx(
        1000 * KWH_YEAR * 3 * DE_2023 / 1000, rel=1e-12
    )


def test_a_bad_product_file_names_row_and_column_and_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    bad = [
        *CAMERA,
        ["CAM-B", "Recorder", "5", "6", "7", "use", "active", "20", "8760", "", ""],
        ["CAM-C", "Recorder", "5", "3", "7", "use", "active", "x", "9000", "", ""],
        ["CAM-C", "Recorder", "5", "3", "7", "material", "glass", "", "", "1", "landfill"],
    ]
    result = cli("import", "products", str(write_csv(tmp_path / "p.csv", PRODUCT_HEADER, bad)),
                 expect=2)  # fmt: skip
    text = result.output
    assert "row 6, column 'lifetime_years'" in text
    assert "row 7, column 'power_w': 'x' is not a number" in text
    assert "row 7, column 'hours_per_year'" in text
    assert "row 8, column 'item': material 'glass'" in text
    assert "4 problems; nothing was imported" in text and "Traceback" not in text
    good = write_csv(tmp_path / "ok.csv", PRODUCT_HEADER, CAMERA)
    added = json.loads(cli("import", "products", str(good), "--json").stdout)
    assert added["added"] == ["CAM-A"]  # the refused file stored nothing


def test_a_changed_model_needs_a_new_code(cli: Cli, tmp_path: Path) -> None:
    cli("import", "products", str(write_csv(tmp_path / "p.csv", PRODUCT_HEADER, CAMERA)))
    again = json.loads(
        cli("import", "products", str(write_csv(tmp_path / "q.csv", PRODUCT_HEADER, CAMERA)),
            "--json").stdout
    )  # fmt: skip
    assert again == {"batch_id": None, "added": [], "unchanged": 1}
    changed = [[r[0], r[1], "6", "3", "7", *r[5:]] for r in CAMERA]
    result = cli("import", "products", str(write_csv(tmp_path / "r.csv", PRODUCT_HEADER, changed)),
                 expect=2)  # fmt: skip
    assert "row 2, column 'product'" in result.output and "new product code" in result.output


def test_sales_rows_need_product_and_country(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, ENTITIES)))
    rows = [sale("CAM-A", "XX", 10), sale("", "DE", 10)]
    path = write_csv(tmp_path / "s.csv", SALES_HEADER, rows)
    text = cli("import", "activities", str(path), expect=2).output
    assert "row 2, column 'country': country 'XX' is not an ISO 3166-1 alpha-2 code" in text
    assert "row 3, column 'product': product is empty" in text


def test_the_xlsx_template_imports_back(cli: Cli, tmp_path: Path) -> None:
    template = tmp_path / "products.xlsx"
    made = CliRunner().invoke(app, ["products", "template", str(template)])  # no workspace
    assert made.exit_code == 0, made.output
    added = json.loads(cli("import", "products", str(template), "--json").stdout)
    assert added["added"] == ["IPC-B4"]
    [model] = json.loads(cli("products", "list", "--json").stdout)
    assert model["kwh_per_year"] == pytest.approx((4.0 * 4380 + 5.5 * 4380) / 1000, rel=1e-12)
    assert model["materials"] == [{"material": "plastic", "treatment": "landfill", "mass_kg": 0.25}]
