"""Issue #15: exchange rates and price indexes come in as a cited factor edition (``esg
factors import``); a spend line is converted with them, checked by hand, and a bad rate
file is refused with row and column, writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli
from tests.factories import write_csv

CEMENT = 3.924  # EPA v1.3 NAICS 327310 SEF+MEF, kg CO2e / 2022 USD
# Test-only edition: rates chosen for easy hand arithmetic, not published figures.
RATE_2024, INDEX_2022, INDEX_2024 = 0.14, 100.0, 105.0
HEADER = ["kind", "activity", "parameter", "region", "variant", "value", "unit"]
RATES = [
    ["exchange_rate", "currency.CNY", "usd_per_unit", "GLOBAL", "2024", RATE_2024, "USD/CNY"],
    ["price_index", "USD", "index", "GLOBAL", "2022", INDEX_2022, "dimensionless"],
    ["price_index", "USD", "index", "GLOBAL", "2024", INDEX_2024, "dimensionless"],
]


def _import(cli: Cli, path: Path, expect: int = 0) -> str:
    return cli(
        "factors", "import", str(path), "--edition", "test-rates-2024", "--series",
        "user.rates", "--publisher", "Test", "--title", "Test rates",
        "--citation", "test-only values for hand arithmetic", expect=expect,
    ).output  # fmt: skip


def test_imported_rates_convert_a_spend_line_by_hand(cli: Cli, tmp_path: Path) -> None:
    calc = scope3_runner(cli, tmp_path)
    _import(cli, write_csv(tmp_path / "rates.csv", HEADER, RATES))
    out = calc([row("SZ", 2024, "spend.purchased_goods", 1_000_000, "RMB", naics="327310")], 2024)
    cat1 = out["scope3"]["by_category"]["cat1"]
    expected = 1_000_000 * RATE_2024 * INDEX_2022 / INDEX_2024 * CEMENT / 1000
    assert cat1["tco2e"] == pytest.approx(expected, rel=1e-12)
    assert sorted(cat1["factor_editions"]) == ["epa-scf-v1.3", "test-rates-2024"]
    run = str(out["run_id"])
    explained = json.loads(
        cli("calc", "explain", "--run", run, "--metric", "ghg.scope3.cat1", "--json").stdout
    )
    assert (
        "exchange_rate currency.CNY 2024 = 0.14 (test-rates-2024)" in explained["rows"][0]["rule"]
    )


def test_a_bad_rate_file_is_refused_with_row_and_column(cli: Cli, tmp_path: Path) -> None:
    bad = [
        ["exchange_rate", "currency.CNY", "usd_per_unit", "GLOBAL", "FY24", RATE_2024, "USD/CNY"],
        ["exchange_rate", "CNY", "usd_per_unit", "GLOBAL", "2024", RATE_2024, "USD/CNY"],
        ["exchange_rate", "currency.EUR", "usd_per_unit", "GLOBAL", "2024", 1.08, "USD/CNY"],
        ["price_index", "USD", "index", "GLOBAL", "2024", INDEX_2024, "kg"],
    ]
    text = _import(cli, write_csv(tmp_path / "bad.csv", HEADER, bad), expect=2)
    assert "row 2, column 'variant': variant 'FY24' must be the rate's year (YYYY)" in text
    assert "row 3, column 'activity': exchange rate activity 'CNY' must be currency." in text
    assert "row 4, column 'unit': unit 'USD/CNY' must be USD/EUR" in text
    assert "row 5, column 'unit'" in text and "Traceback" not in text
    listed = cli("factors", "list", "--json").stdout
    assert "test-rates-2024" not in listed  # nothing was written
