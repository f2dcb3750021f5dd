"""The read-only pages on a real workspace: KPIs, emissions, findings, assessments, reports
and the audit log show the services' numbers, and each role sees what the matrix allows."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import update

from esgledger.calc.explain import explain
from esgledger.checks import acknowledge, run_checks
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.web.templating import number
from tests.assess.conftest import financial_rows, impact_rows, make_survey, responses_file
from tests.conftest import Cli
from tests.web.conftest import log_in, make_user
from tests.web.test_dashboard_pages import HEADCOUNT, YEAR, series_rows
from tests.web.test_report_previews import fetch_preview

READ_PAGES = ("/kpis", "/emissions", "/findings", "/materiality", "/risks", "/targets",
              "/reports", "/audit")  # fmt: skip
# What each role gets on each page (the permission matrix; data owners are scoped).
DENIED = {
    "admin": set(),
    "esg_manager": set(),
    "reviewer": set(),
    "auditor": set(),
    "data_owner": {"/emissions", "/materiality", "/risks", "/targets", "/reports", "/audit"},
}


@pytest.fixture
def workspace(dashboard_workspace: dict[str, Any]) -> dict[str, Any]:
    """:func:`build_workspace`'s group, filled once per run and copied (tests/web/conftest.py)."""
    return dashboard_workspace


def cell(row_html: str, year: str) -> str:
    found = re.search(rf'data-year="{year}"[^>]*>([^<]*)<', row_html)
    assert found, row_html
    return found.group(1).strip()


def row_of(page: str, attr: str) -> str:
    assert attr in page, attr
    return page.split(attr, 1)[1].split("</tr>", 1)[0]


def test_kpi_table_is_the_kpi_series(db: Database, web: TestClient, workspace: dict) -> None:
    make_user(db, "ann", "auditor")
    log_in(web, "ann")
    page = web.get(f"/kpis?year={YEAR}&years=2").text
    rows = series_rows(db, YEAR, years=2)
    checked = 0
    for metric in ("energy.total", "ghg.scope1", "ghg.scope2_market", "workforce.headcount"):
        row, html = rows[metric], row_of(page, f'<tr data-metric="{metric}">')
        for year in ("2023", "2024"):
            assert cell(html, year) == number(row["values"][year], row["precision"]), metric
            checked += 1
        assert f"{row['change_pct']:+.1f}%" in html
        assert 'data-year="2022"' not in html  # two years asked, two shown
    assert checked == 8
    energy_only = web.get(f"/kpis?year={YEAR}&area=energy").text
    assert 'data-metric="energy.total"' in energy_only
    assert 'data-metric="workforce.headcount"' not in energy_only
    assert web.get("/kpis?years=99").status_code == 422


def test_emissions_by_entity_and_one_entity(db: Database, web: TestClient, workspace: dict) -> None:
    make_user(db, "rita", "reviewer")
    log_in(web, "rita")
    run = workspace["runs"][YEAR]
    page = web.get("/emissions").text
    assert f'data-testid="run-id">{run["run_id"]}<' in page
    for entity in ("A", "B"):
        html = row_of(page, f'<tr data-entity="{entity}">')
        figures = run["by_entity"][entity]
        assert number(figures["scope1_tco2e"], 2) in html
        assert number(figures["scope2_location_tco2e"], 2) in html
    total = row_of(page, '<tr data-figure="scope2_market_tco2e">')
    assert number(run["totals"]["scope2_market_tco2e"], 2) in total
    assert "fuel.natural_gas" in page and "CO2" in page  # by activity type and by gas

    one = web.get(f"/emissions?run={run['run_id']}&entity=B").text
    with db.read() as session:
        expected = explain(session, run["run_id"], entity="B")["figures"]
    breakdown = one.split('data-testid="entity-breakdown"')[1].split("</section>")[0]
    assert "Plant Beta" in breakdown
    scope1 = row_of(breakdown, '<tr data-figure="scope1">')
    assert number(expected["scope1"]["value"], 2) in scope1 and expected["scope1"]["value"] > 0
    older = workspace["runs"][2023]
    assert f'data-testid="run-id">{older["run_id"]}<' in web.get("/emissions?year=2023").text
    assert web.get(f"/emissions?run={run['run_id']}&entity=NOPE").status_code == 404
    assert web.get("/emissions?run=9999").status_code == 404


def test_findings_hide_acknowledged_unless_asked(
    db: Database, web: TestClient, workspace: dict
) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    with db.read() as session:
        found = [f for f in run_checks(session, YEAR) if f.acknowledged is None]
    assert found
    page = web.get(f"/findings?year={YEAR}").text
    errors = sum(f.severity == "error" for f in found)
    assert f'data-count="error">{errors} errors' in page
    assert f'data-count="warning">{len(found) - errors} warnings' in page
    for f in found:
        assert f'data-key="{f.key}"' in page
    first = found[0]
    with db.write() as session:
        acknowledge(session, first, comment="known and explained", actor="mia")
    hidden = web.get(f"/findings?year={YEAR}").text
    assert f'data-key="{first.key}"' not in hidden and 'data-count="acknowledged">1 ' in hidden
    shown = web.get(f"/findings?year={YEAR}&acknowledged=1").text
    assert f'data-key="{first.key}"' in shown and "known and explained" in shown
    only = web.get(f"/findings?year={YEAR}&severity=warning").text
    assert 'class="severity-error">error<' not in only


def test_materiality_risks_and_targets(cli: Cli, web: TestClient, tmp_path: Path) -> None:
    make_survey(cli, tmp_path)
    make_user(cli.db, "ann", "auditor")
    log_in(web, "ann")
    before = web.get("/materiality").text
    assert 'data-testid="materiality-empty"' in before  # topics but no answers: no 500
    assert "0 answers so far" in before and "no impact responses" not in before
    path = responses_file(tmp_path, impact_rows() + financial_rows())
    cli("materiality", "responses", "import", path, "--year", "2025")
    cli("materiality", "score", "--year", "2025")
    page = web.get("/materiality").text
    assert "<svg" in page
    # the hand-computed scores of tests/assess: impact A=1, B=0.375; financial B=1, C=0.6
    assert re.search(r'data-topic="A">.*?data-axis="impact">1 ', page, re.S)
    assert re.search(r'data-topic="B">.*?data-axis="impact">0.375 ', page, re.S)
    assert re.search(r'data-topic="C">.*?data-axis="financial">0.6 ', page, re.S)
    assert web.get("/materiality?id=999").status_code == 404
    risks = web.get("/risks")
    assert risks.status_code == 200 and "No open risks" in risks.text
    targets = web.get("/targets")
    assert targets.status_code == 200 and "No targets yet" in targets.text


def test_report_downloads(db: Database, web: TestClient, workspace: dict) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    listing = web.get("/reports").text
    assert f"/reports/download?year={YEAR}&amp;format=xlsx" in listing
    got = fetch_preview(web, YEAR, "xlsx")  # rendered in the background (issue #14)
    assert got.status_code == 200
    disposition = got.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="esg-report-{YEAR}.xlsx"')
    book = load_workbook(io.BytesIO(got.content), read_only=True)
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert sum(HEADCOUNT[(e, YEAR)] for e in "AB") in cells
    html = fetch_preview(web, YEAR, "html")
    assert html.status_code == 200 and "<html" in html.text.lower()
    bad = web.get(f"/reports/download?year={YEAR}&format=doc")
    assert bad.status_code == 422 and "use html, pdf or xlsx" in bad.text


def test_audit_log_pages_filters_and_a_broken_chain(
    db: Database, web: TestClient, workspace: dict
) -> None:
    make_user(db, "ann", "auditor")
    log_in(web, "ann")
    page = web.get("/audit").text
    assert 'data-ok="true"' in page
    assert re.search(r'data-testid="head"[^>]*>\d+:[0-9a-f]{64}</code>', page)
    ids = [int(i) for i in re.findall(r'<tr data-event="(\d+)">', page)]
    assert ids == sorted(ids, reverse=True) and len(ids) == min(50, max(ids))
    runs = web.get("/audit?action=calc.run").text
    assert len(re.findall(r"<td>calc.run</td>", runs)) == 2
    assert "import.kpis</td>" not in runs
    if max(ids) > 50:
        assert 'rel="next"' in page and web.get("/audit?page=2").status_code == 200
    with db.write() as session:  # tamper with history: the page must say so
        session.execute(update(AuditEvent).where(AuditEvent.id == 2).values(actor="mallory"))
    broken = web.get("/audit").text
    assert 'data-ok="false"' in broken and "broken at event 2" in broken


def test_data_owner_reads_only_granted_entities(
    db: Database, web: TestClient, workspace: dict
) -> None:
    log_in(web, "olga")  # data owner of plant A
    kpis = web.get(f"/kpis?year={YEAR}").text
    assert 'data-entity="A" data-metric="workforce.headcount"' in kpis
    assert number(HEADCOUNT[("A", YEAR)], 0) in kpis
    assert 'data-entity="B"' not in kpis and number(HEADCOUNT[("B", YEAR)], 0) not in kpis
    findings = web.get(f"/findings?year={YEAR}")
    assert findings.status_code == 200
    assert "<td>group</td>" not in findings.text and "<td>B</td>" not in findings.text
    for path in sorted(DENIED["data_owner"]):
        response = web.get(path)
        assert response.status_code == 403, path
        assert 'data-testid="error"' in response.text


@pytest.mark.parametrize("role", sorted(DENIED))
def test_empty_workspace_pages_answer_per_role(db: Database, web: TestClient, role: str) -> None:
    make_user(db, "someone", role)
    log_in(web, "someone")
    # a data owner without any grant (none possible: no entities yet) reads nothing
    denied = DENIED[role] | ({"/kpis", "/findings"} if role == "data_owner" else set())
    for path in READ_PAGES:
        response = web.get(path)
        expected = 403 if path in denied else 200
        assert response.status_code == expected, (role, path, response.text[-300:])
        assert "Traceback" not in response.text
    if role == "auditor":
        assert 'data-testid="no-data"' in web.get("/kpis").text
        assert 'data-testid="no-data"' in web.get("/emissions").text
        assert 'data-testid="no-data"' in web.get("/reports").text
        assert 'data-ok="true"' in web.get("/audit").text
