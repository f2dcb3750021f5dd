"""#15: purchase ledgers, travel logs, freight logs and certificates/PPAs enter through the
activity import, their Scope 3 columns checked (one line per bad cell, nothing written), and
each format has an XLSX template that imports back once filled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from esgledger.cli.main import app
from tests.calc.scope3.workspace import ENTITIES
from tests.conftest import Cli
from tests.factories import ENTITY_HEADER, write_csv


@pytest.fixture
def sites(cli: Cli, tmp_path: Path) -> Cli:
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, ENTITIES)))
    return cli


def template(cli: Cli, *args: str, expect: int = 0) -> str:
    """``esg scope3 template …``: it needs no workspace (no --db)."""
    result = cli.runner.invoke(app, ["scope3", "template", *args], catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result.output


@pytest.mark.parametrize("kind", ["purchases", "travel", "freight", "instruments"])
def test_a_filled_template_imports_and_calculates(sites: Cli, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.xlsx"
    result = json.loads(template(sites, kind, "--out", str(out), "--json"))
    wb = load_workbook(out)
    assert wb.sheetnames == ["activities", "columns", "values"]
    header = [c.value for c in wb["activities"][1]]
    assert header[:6] == ["entity", "start", "end", "activity", "quantity", "unit"]
    assert result["columns"] == len(header) and wb["activities"].max_row == 1
    guide = {r[0]: r for r in wb["columns"].iter_rows(min_row=2, values_only=True)}
    assert set(guide) == set(header)
    assert all(guide[c][4] is not None for c in ("entity", "activity", "unit"))
    assert wb["activities"].data_validations.dataValidation  # drop-downs for the closed sets
    # the guide's example row, with the test's site, typed into the data sheet;
    example = [guide[c][4] or "" for c in header]
    # 2022: spend of later years needs the cited US price index to reach the factor's 2022
    # dollars, which the factor library does not ship yet
    example[:3] = ["SZ", "2022-03-01", "2022-03-31"]
    if kind == "instruments":  # a certificate must be of the reporting year (criterion 4)
        example[header.index("vintage")] = "2022"
    wb["activities"].append(example)
    wb.save(out)
    sites("import", "activities", str(out))
    calc = json.loads(sites("calc", "--year", "2022", "--json").stdout)
    if kind == "instruments":
        assert calc["scope2_instruments"]["rejected"] == []
        assert calc["scope2_instruments"]["qualifying_mwh"] == 1200
        return
    cat = {"purchases": "cat1", "travel": "cat6", "freight": "cat9"}[kind]
    assert calc["scope3"]["by_category"][cat]["status"] == "calculated"
    assert calc["scope3"]["by_category"][cat]["tco2e"] > 0


def test_an_unknown_format_is_refused(sites: Cli, tmp_path: Path) -> None:
    output = template(sites, "invoices", "--out", str(tmp_path / "x.xlsx"), expect=2)
    assert "unknown format 'invoices'; use one of purchases, travel, freight" in output
    assert not (tmp_path / "x.xlsx").exists()


HEADER = ["entity", "start", "end", "activity", "quantity", "unit", "naics",
          "supplier_kgco2e", "direction", "purpose", "price_year"]  # fmt: skip
GOOD = ["SZ", "2025-01-01", "2025-01-31", "spend.purchased_goods", "100", "USD", "334310",
        "", "", "", "2022"]  # fmt: skip
BAD_CELLS = {
    "naics": (["33431"], "naics '33431' is not a 6-digit NAICS code (e.g. 334310 or 334310.without_margins)"),
    "supplier_kgco2e": (["334310", "-5"], "supplier_kgco2e is negative"),
    "supplier_kgco2e text": (["334310", "lots"], "'lots' is not a number"),
    "direction": (
        ["", "", "sideways"], "direction 'sideways' is not one of upstream, downstream"
    ),
    "purpose": (
        ["", "", "", "leisure"], "purpose 'leisure' is not one of business, commuting"
    ),
    "price_year": (
        ["334310", "", "", "", "22"],
        "price_year '22' is not a year 1990 … 2099 (the year whose prices the amount is "
        "stated in)",
    ),
}  # fmt: skip
ACTIVITY = {"direction": ("freight.sea", "t*km"), "purpose": ("travel.rail", "person*km")}


@pytest.mark.parametrize("case", sorted(BAD_CELLS))
def test_a_bad_scope3_cell_refuses_the_file_naming_row_and_column(
    sites: Cli, tmp_path: Path, case: str
) -> None:
    cells, says = BAD_CELLS[case]
    column = case.split()[0]
    bad = [*GOOD[:6], *cells, *[""] * (5 - len(cells))]
    if column in ACTIVITY:
        bad[3:6] = [ACTIVITY[column][0], "100", ACTIVITY[column][1]]
    path = write_csv(tmp_path / "ledger.csv", HEADER, [GOOD, bad])
    result = sites("import", "activities", str(path), expect=2)
    assert f"ledger.csv, row 3, column '{column}': {says}" in result.output
    assert "nothing was imported" in result.output and "Traceback" not in result.output
    with sites.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM activity_records")).scalar() == 0
