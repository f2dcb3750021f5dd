"""#15: Scope 3 and each of its 15 categories are lines of the KPI appendix, read from the
run with their status: a calculated category has its tonnes, an excluded one says excluded
with the screening's reason, a relevant one without data says not available — never 0 —
and the Scope 3 total is then incomplete. The catalog links them to GRI 305-3, IFRS S2
29(a) and ESRS E1-6 and names them in Chinese."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from esgledger.catalog import metrics
from esgledger.catalog.frameworks import metric_links
from esgledger.kpi.scope import Scopes
from esgledger.kpi.series import EntityFigures
from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli
from tests.scope3.screening_files import screening_rows, write_screening

CEMENT = 3.924  # EPA v1.3 NAICS 327310, SEF+MEF, kg CO2e per 2022 USD (see tests/calc/scope3)


def _figures(cli: Cli) -> dict[str, dict[str, Any]]:
    out = json.loads(cli("kpi", "--year", "2022", "--years", "1", "--json").stdout)
    return {k["metric"]: k["figures"]["2022"] for k in out["kpis"] if not k["dims"]}


def test_categories_are_appendix_lines_with_their_status(cli: Cli, tmp_path: Path) -> None:
    calc = scope3_runner(cli, tmp_path)
    screening = screening_rows({1: "spend_based", 7: "distance_based"})
    cli(
        "scope3", "screening", "import", str(write_screening(tmp_path, screening)), "--year", "2022"
    )
    rows = [row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310")]
    calc(rows, 2022, "--allow-incomplete", expect=0)
    figures = _figures(cli)
    cat1 = figures["ghg.scope3.cat1"]
    assert cat1["value"] == pytest.approx(1000 * CEMENT / 1000, rel=1e-12)
    assert cat1["status"] == "reported" and "spend based" in cat1["note"]
    cat14 = figures["ghg.scope3.cat14"]
    assert (cat14["value"], cat14["status"]) == (None, "not_applicable")
    assert (
        cat14["note"] == "excluded by the Scope 3 screening: no_activity: no category 14 activity"
    )
    cat7 = figures["ghg.scope3.cat7"]
    assert (cat7["value"], cat7["status"], cat7["incomplete"]) == (None, "missing", True)
    assert cat7["note"].startswith("not available: screened relevant")
    total = figures["ghg.scope3"]
    assert total["value"] == pytest.approx(cat1["value"], rel=1e-12) and total["incomplete"]
    assert "screened relevant but without a figure: cat7" in total["note"]


def test_without_a_run_the_lines_are_not_available(cli: Cli, tmp_path: Path) -> None:
    scope3_runner(cli, tmp_path)
    line = _figures(cli)["ghg.scope3.cat11"]
    assert line["value"] is None and line["status"] == "missing"
    assert line["note"] == "no calculation run for 2022; run `esg calc --year 2022`"


def test_the_catalog_links_scope3_to_its_disclosures() -> None:
    catalog = metrics()
    assert [f"ghg.scope3.cat{n}" in catalog for n in range(1, 16)] == [True] * 15
    assert catalog["ghg.scope3"].gri == ("305-3",) == catalog["ghg.scope3.cat11"].gri
    links = {(link.framework, link.code) for link in metric_links() if link.metric == "ghg.scope3"}
    assert links == {("esrs-e1", "E1-6"), ("esrs-e1", "E1-6 51"), ("ifrs-s2", "29(a)")}


def test_scope3_has_no_like_for_like_from_per_entity_totals(cli: Cli, tmp_path: Path) -> None:
    """The run keeps Scope 3 per category, not per entity (its ``by_entity`` has 0 there):
    a like-for-like sum over entities would compare zeros, so there is none."""
    calc = scope3_runner(cli, tmp_path)
    calc([row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310")], 2022)
    with cli.db.read() as session:
        figures = EntityFigures(session, 2022, Scopes(session, 2022), {})
        assert figures.values(metrics()["ghg.scope3"]) is None
        assert figures.values(metrics()["ghg.scope1"]) is not None
