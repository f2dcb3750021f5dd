"""#15: a Scope 3 with no resolved row has no figure: its total is "not available" with the
reason (never 0) in the stored run, ``esg calc``, ``esg kpi``, the emissions page and the
report; a category whose every row is unresolved likewise, and a total that misses one is
incomplete wherever it is shown."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.calc.scope3.workspace import Scope3Calc, row, scope3_runner
from tests.conftest import Cli
from tests.web.conftest import log_in, make_user

CEMENT = 3.924  # EPA v1.3 NAICS 327310, SEF+MEF, kg CO2e per 2022 USD (see test_methods)
NO_RATE = "no cited CNY→USD exchange rate for 2022"


@pytest.fixture
def calc(cli: Cli, tmp_path: Path) -> Scope3Calc:
    return scope3_runner(cli, tmp_path)


def _unresolved_only(calc: Scope3Calc) -> dict:
    rows = [
        row("SZ", 2022, "spend.purchased_goods", 7000, "RMB", naics="327310"),
        row("SZ", 2022, "spend.capital_goods", 3000, "RMB", naics="327310"),
    ]
    return calc(rows, 2022, "--allow-incomplete")


def _kpis(cli: Cli) -> dict[str, dict]:
    out = json.loads(cli("kpi", "--year", "2022", "--years", "1", "--json").stdout)
    return {k["metric"]: k["figures"]["2022"] for k in out["kpis"] if not k["dims"]}


def test_a_scope3_of_unresolved_rows_only_is_not_available_in_the_run(
    calc: Scope3Calc, cli: Cli
) -> None:
    out = _unresolved_only(calc)
    assert out["totals"]["scope3_tco2e"] is None  # not 0.0
    assert "scope3_tco2e" in out["incomplete_figures"]
    reason = out["scope3"]["total_reason"]
    assert reason.startswith("not available: no Scope 3 row could be computed")
    assert "2 rows unresolved" in reason
    for key in ("cat1", "cat2"):
        block = out["scope3"]["by_category"][key]
        assert (block["tco2e"], block["status"], block["unresolved_rows"]) == (
            None,
            "not_available",
            1,
        )
        assert NO_RATE in block["reason"]
    shown = json.loads(cli("calc", "show", "--run", str(out["run_id"]), "--json").stdout)
    assert shown["totals"]["scope3_tco2e"] is None
    assert shown["scope3"]["total_reason"] == reason
    printed = cli("calc", "show", "--run", str(out["run_id"])).stdout
    line = next(ln for ln in printed.splitlines() if "Scope 3" in ln)
    assert "not available" in line and "0.00" not in line


def test_a_run_without_scope3_rows_has_no_scope3_figure(calc: Scope3Calc) -> None:
    out = calc([row("SZ", 2022, "refrigerant.hfc_134a", 1, "kg")], 2022, "--allow-incomplete")
    assert out["totals"]["scope3_tco2e"] is None
    assert out["scope3"]["total_reason"] == "not available: no Scope 3 activity rows in the run"


def test_kpi_of_unresolved_only_scope3_is_not_available_with_the_reason(
    calc: Scope3Calc, cli: Cli
) -> None:
    _unresolved_only(calc)
    figures = _kpis(cli)
    total = figures["ghg.scope3"]
    assert (total["value"], total["status"], total["incomplete"]) == (None, "missing", True)
    assert "no Scope 3 row could be computed" in total["note"]
    cat1 = figures["ghg.scope3.cat1"]
    assert (cat1["value"], cat1["status"], cat1["incomplete"]) == (None, "missing", True)
    assert NO_RATE in cat1["note"]


def test_a_category_of_unresolved_rows_leaves_the_total_incomplete_not_short(
    calc: Scope3Calc, cli: Cli
) -> None:
    rows = [
        row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310"),
        row("SZ", 2022, "spend.capital_goods", 3000, "RMB", naics="327310"),
    ]
    out = calc(rows, 2022, "--allow-incomplete")
    assert out["scope3"]["by_category"]["cat2"]["tco2e"] is None
    assert out["totals"]["scope3_tco2e"] == pytest.approx(CEMENT, rel=1e-12)
    assert "scope3_tco2e" in out["incomplete_figures"] and out["scope3"]["incomplete"]
    total = _kpis(cli)["ghg.scope3"]
    assert total["value"] == pytest.approx(CEMENT, rel=1e-12) and total["incomplete"] is True


def test_report_prints_not_available_for_an_unresolved_only_scope3(
    calc: Scope3Calc, cli: Cli, tmp_path: Path
) -> None:
    _unresolved_only(calc)
    out = tmp_path / "report"
    cli("report", "--year", "2022", "--format", "html", "--out", str(out), "--preview")
    report = (out / "esg-report-2022.html").read_text(encoding="utf-8")
    flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report))
    assert "not available tCO2e" not in flat
    assert (
        "from calculation run 1: not available (no Scope 3 row could be computed "
        "(2 rows unresolved)) (incomplete" in flat
    )
    # the appendix gives no figure for it either, and says the figure is incomplete
    assert "no 2022 value for Scope 3 (other indirect) emissions" in flat


def test_emissions_page_says_not_available_with_the_reason(
    calc: Scope3Calc, cli: Cli, web: TestClient
) -> None:
    _unresolved_only(calc)
    make_user(cli.db, "mia", "esg_manager")
    log_in(web, "mia")
    for path in ("/emissions?year=2022", "/?year=2022"):
        page = web.get(path).text
        start = page.index('<tr data-figure="scope3_tco2e">')
        cell = html.unescape(re.sub(r"<[^>]+>", " ", page[start : page.index("</tr>", start)]))
        cell = " ".join(cell.split())
        assert "not available" in cell, path
        assert "no Scope 3 row could be computed (2 rows unresolved)" in page[start:], path
        assert not re.search(r"\b0\.00\b", cell), path


def _entity_cell(page: str, entity: str) -> str:
    """The Scope 3 cell (the last) of ``entity``'s row in the by-entity table, as text."""
    start = page.index(f'<tr data-entity="{entity}">')
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page[start : page.index("</tr>", start)], re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cells[-1])).split())


def test_emissions_page_gives_each_entity_its_scope3_never_a_blank_zero(
    calc: Scope3Calc, cli: Cli, web: TestClient
) -> None:
    # SZ's cement is computed; UK1's is in CNY with no cited rate: unresolved, so its figure
    # is not available, and an entity with no Scope 3 row shows none (not 0.00)
    rows = [
        row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310", price_year="2022"),
        row("UK1", 2022, "spend.purchased_goods", 7000, "RMB", naics="327310"),
        row("GRP", 2022, "electricity.purchased", 10, "MWh"),
    ]
    calc(rows, 2022, "--allow-incomplete")
    make_user(cli.db, "mia", "esg_manager")
    log_in(web, "mia")
    page = web.get("/emissions?year=2022").text
    assert _entity_cell(page, "SZ") == f"{1000 * CEMENT / 1000:,.2f}".rstrip("0").rstrip(".")
    assert _entity_cell(page, "UK1").startswith("not available")
    assert _entity_cell(page, "GRP") == "–"
