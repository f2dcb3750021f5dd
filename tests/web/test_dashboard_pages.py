"""The dashboard on a real workspace: the figures `esg kpi` gives, per role, empty and demo.

:func:`build_workspace` (also used by ``test_read_pages``) imports a small group through the
CLI (two plants, two years of activity data and headcounts), runs a calculation per year and
issues data requests, so every panel has real numbers to show.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from esgledger.auth.permissions import Principal
from esgledger.calc.runs import list_runs, run_summary
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from esgledger.server import create_app
from esgledger.web.templating import number
from esgledger.workflow.requests import issue_requests
from tests.conftest import Cli, DemoBuild
from tests.factories import write_csv
from tests.web.conftest import log_in, make_user

YEAR = 2024
ENTITIES = [
    ["GRP", "Example Group", "", "CN", "CN-GD", "group"],
    ["A", "Plant Alpha", "GRP", "CN", "CN-GD", "site"],
    ["B", "Plant Beta", "GRP", "CN", "CN-HB", "site"],
]
ENTITY_HEADER = ["id", "name", "parent", "country", "subdivision", "kind"]
ACT_HEADER = ["entity", "start", "end", "activity", "quantity", "unit", "use", "volume_basis"]
KPI_HEADER = ["entity", "year", "metric", "value", "unit"]
CARDS = (
    "energy.total",
    "ghg.scope1",
    "ghg.scope2_location",
    "ghg.scope2_market",
    "water.withdrawal.total",
    "workforce.headcount",
)
HEADCOUNT = {("A", 2023): 410, ("B", 2023): 190, ("A", 2024): 436, ("B", 2024): 201}


def build_workspace(cli: Cli, tmp_path: Path) -> dict[str, Any]:
    """Entities, monthly activity data for 2023-2024, headcounts, one run per year, and two
    data requests for plant A (one overdue); returns the runs by year."""
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, ENTITIES)))
    rows: list[list[object]] = []
    for year, growth in ((2023, 1.0), (2024, 1.17)):
        for month in range(1, 13):
            start, end = f"{year}-{month:02d}-01", f"{year}-{month:02d}-28"
            rows += [
                ["A", start, end, "electricity.purchased", 800.5 * growth + month, "MWh", "", ""],
                ["A", start, end, "fuel.diesel", (1.2 + month / 10) * growth, "t", "mobile", ""],
                ["B", start, end, "electricity.purchased", 310.25 * growth, "MWh", "", ""],
                ["B", start, end, "fuel.natural_gas", 9.5 * growth + month, "10^4 m3", "stationary", "normal"],
                ["B", start, end, "water.municipal", 1200 * growth, "m3", "", ""],
            ]  # fmt: skip
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", ACT_HEADER, rows)))
    kpis = [[e, y, "workforce.headcount", v, "person"] for (e, y), v in HEADCOUNT.items()]
    cli("import", "kpis", str(write_csv(tmp_path / "k.csv", KPI_HEADER, kpis)))
    cli("calc", "--year", "2023")
    cli("calc", "--year", "2024")
    make_user(cli.db, "olga", "data_owner", ("A",))
    with cli.db.write() as session:
        boss = Principal("setup", "admin")
        for metric, due in (("workforce.headcount", 2020), ("economy.revenue", 2099)):
            issue_requests(
                session,
                boss,
                year=YEAR,
                metrics=[metric],
                owner="olga",
                due=dt.date(due, 1, 31),
                entities=["A"],
                issued_on=dt.date(2020, 1, 2),
            )
    with cli.db.read() as session:
        runs = {r.year: run_summary(r) for r in list_runs(session)}
    return {"runs": runs}


@pytest.fixture
def workspace(dashboard_workspace: dict[str, Any]) -> dict[str, Any]:
    """:func:`build_workspace`'s group, filled once per run and copied (tests/web/conftest.py)."""
    return dashboard_workspace


def series_rows(db: Database, year: int = YEAR, years: int = 3) -> dict[str, dict[str, Any]]:
    """``esg kpi --json`` by metric (group figures only)."""
    with db.read() as session:
        series = kpi_series(session, year, years=years)
    return {r["metric"]: r for r in series["kpis"] if not r["dims"]}


def card(page: str, metric: str) -> dict[str, str]:
    """The figure, change and trend a dashboard card shows, as text."""
    found = re.search(
        rf'<div class="card" data-metric="{re.escape(metric)}">.*?<div class="figure">(.*?) <span'
        r'.*?<div class="label">(.*?) vs .*?<div class="trend muted">(.*?)</div>',
        page,
        re.S,
    )
    assert found, f"no card for {metric}"
    text = [html.unescape(re.sub(r"<[^>]+>", "", g)).strip() for g in found.groups()]
    return {"figure": text[0], "change": text[1], "trend": text[2]}


def test_dashboard_cards_are_the_kpi_series_figures(
    db: Database, web: TestClient, workspace: dict[str, Any]
) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    page = web.get("/").text  # the newest year with data is the default
    assert "<h1>Dashboard 2024</h1>" in page
    rows = series_rows(db)
    shown = 0
    for metric in CARDS:
        row = rows[metric]
        got = card(page, metric)
        assert got["figure"] == number(row["values"]["2024"], row["precision"]), metric
        assert got["change"] == f"{row['change_pct']:+.1f}%", metric
        assert f"2023: {number(row['values']['2023'], row['precision'])}" in got["trend"]
        shown += 1
    assert shown == 6
    assert rows["workforce.headcount"]["values"]["2024"] == 637  # 436 + 201, as imported
    assert 'data-metric="waste.hazardous.total"' not in page  # no data: no card

    run = workspace["runs"][YEAR]
    emissions = page.split('data-testid="emissions"')[1].split("</section>")[0]
    scope1 = re.search(r'"scope1_tco2e"><td>[^<]*</td><td class="num">([^<]+)<', emissions)
    assert scope1 and scope1.group(1) == number(run["totals"]["scope1_tco2e"], 2)
    assert run["totals"]["scope1_tco2e"] > 0
    assert f"run {run['run_id']}" in emissions and "Plant Beta" in emissions and "<svg" in page
    older = web.get("/?year=2023").text
    assert card(older, "ghg.scope1")["figure"] == number(
        series_rows(db, 2023)["ghg.scope1"]["values"]["2023"], 2
    )


def test_dashboard_panels_requests_findings_and_reports(
    db: Database, web: TestClient, workspace: dict[str, Any]
) -> None:
    make_user(db, "rita", "reviewer")
    log_in(web, "rita")
    page = web.get("/?year=2024").text
    requests = page.split('data-testid="requests"')[1].split("</section>")[0]
    assert "<strong>0</strong> of 2 approved or locked" in requests
    assert "1 overdue" in requests
    assert re.search(r'data-state="draft">2<', requests)
    findings = page.split('data-testid="findings"')[1].split("</section>")[0]
    assert re.search(r'data-count="error">\d+ errors', findings)
    assert "/findings?year=2024" in findings
    assert "/reports/download?year=2024&amp;format=pdf" in page
    assert "No materiality assessment up to 2024" in page


def test_data_owner_sees_own_requests_and_entities_only(
    db: Database, web: TestClient, workspace: dict[str, Any]
) -> None:
    log_in(web, "olga")
    page = web.get("/").text
    mine = page.split('data-testid="my-requests"')[1].split("</section>")[0]
    assert "1 overdue" in mine and "2020-01-31" in mine and "2099-01-31" in mine
    assert "workforce.headcount" in mine and "economy.revenue" in mine
    values = page.split('data-testid="my-values"')[1].split("</section>")[0]
    assert 'data-entity="A" data-metric="workforce.headcount"' in values
    assert f">{number(HEADCOUNT[('A', 2024)], 0)}<" in values
    assert 'data-entity="B"' not in values and "Plant Beta" not in page
    assert 'data-testid="kpi-cards"' not in page and 'data-testid="emissions"' not in page
    assert "/audit" not in page  # not in the navigation either


ROLES = ("admin", "esg_manager", "reviewer", "auditor", "data_owner")


def test_empty_workspace_dashboard_says_no_data(db: Database, web: TestClient) -> None:
    for role in ROLES:
        make_user(db, f"u_{role}", role)
        web.cookies.clear()
        log_in(web, f"u_{role}")
        response = web.get("/")
        assert response.status_code == 200, (role, response.text)
        assert "Traceback" not in response.text
        if role == "data_owner":
            assert "No open data requests." in response.text
        else:
            assert 'data-testid="no-data"' in response.text, role
    assert web.get("/?year=2031").status_code == 200
    bad = web.get("/?year=soon")
    assert bad.status_code == 422 and "year must be a whole number" in bad.text


# --- the demo group, built once per run (tests.conftest.demo_build), read only ---


@pytest.fixture(scope="module")
def demo_client(demo_build: DemoBuild) -> Iterator[tuple[Database, TestClient]]:
    db = Database(str(demo_build.db_path))
    with TestClient(
        create_app(db.url), raise_server_exceptions=False, follow_redirects=False
    ) as client:
        log_in(client, "auditor", demo_build.password("auditor"))
        yield db, client
    db.dispose()


def test_demo_dashboard_shows_the_demo_scope1(demo_client: tuple[Database, TestClient]) -> None:
    db, client = demo_client
    with db.read() as session:  # the dashboard opens on the newest calculated year
        year = max(run.year for run in list_runs(session))
    rows = series_rows(db, year)
    page = client.get("/").text
    assert f"<h1>Dashboard {year}</h1>" in page
    scope1 = rows["ghg.scope1"]["values"][str(year)]
    assert scope1 and scope1 > 1000
    assert card(page, "ghg.scope1")["figure"] == number(scope1, 2)
    assert card(page, "energy.total")["figure"] == number(
        rows["energy.total"]["values"][str(year)], rows["energy.total"]["precision"]
    )
    assert page.count("<svg") >= 2  # emissions by scope and the materiality matrix


@pytest.mark.parametrize(
    "path",
    [
        "/kpis",
        "/emissions",
        "/findings",
        "/materiality",
        "/risks",
        "/targets",
        "/reports",
        "/audit",
        "/audit?page=2",
    ],
)
def test_demo_read_pages_answer(demo_client: tuple[Database, TestClient], path: str) -> None:
    _db, client = demo_client
    response = client.get(path)
    assert response.status_code == 200, response.text[-500:]
    assert "no-data" not in response.text, path
