"""#17 the report's social registers section: figures from the KPI series (the appendix's),
OHS rates computed by hand, "not available" with a reason, disclosures claimed only for
what is printed, no 418-1 claim; and what the demo's report prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.disclose.social_registers import social_section
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace
from tests.conftest import DemoBuild
from tests.registers import complaint_files as cf
from tests.registers.ohs_files import load as load_ohs


@pytest.fixture
def ws(sqlite_db: Database, tmp_path: Path) -> Workspace:
    return Workspace(sqlite_db, tmp_path)


def _section(ws: Workspace) -> dict | None:
    with ws.db.read() as session:
        return social_section(kpi_series(session, 2025, years=1))


def test_nothing_registered_prints_nothing(ws: Workspace) -> None:
    assert _section(ws) is None


def test_ohs_rates_by_hand_and_claims_only_what_is_printed(ws: Workspace) -> None:
    load_ohs(ws)  # 4 recordable injuries over 1,200,000 hours
    cf.load(ws)
    cf.load_answers(ws)
    found = _section(ws)
    assert found is not None
    blocks = {b["id"].removeprefix("social-registers-"): b for b in found["blocks"]}
    assert set(blocks) == {"ohs", "complaints"}  # no whistleblowing or vulnerability figures
    ohs = blocks["ohs"]
    assert ohs["answers"] == "gri-2021:403-9"
    assert [(r["base"], r["text"]) for r in ohs["rates"]] == [("200,000", "0.67"),
                                                              ("1,000,000", "3.33")]  # fmt: skip
    complaints = blocks["complaints"]
    assert complaints["answers"] == ""  # not 418-1: privacy complaints are not told apart
    rows = {r["metric"]: r for r in complaints["rows"]}
    assert rows["customer.complaints.received"]["text"] == "4"
    assert rows["customer.complaints.closed_within_sla_share"]["text"] == "75.0"
    assert rows["customer.nps.score"]["text"] == "0.0"
    assert [(s["segment"], s["nps"]) for s in complaints["segments"]] == [
        ("domestic_distribution", "25.0"),
        ("non_distribution", "-50.0"),
    ]


def test_an_unavailable_figure_says_why(ws: Workspace) -> None:
    cf.load(ws, slas=False)  # no SLA for any severity: within-SLA cannot be judged
    found = _section(ws)
    assert found is not None
    rows = {r["metric"]: r for r in found["blocks"][0]["rows"]}
    share = rows["customer.complaints.closed_within_sla_share"]
    assert share["value"] is None and "customer.complaints.closed_within_sla" in share["note"]
    assert rows["customer.nps.score"]["value"] is None


def test_the_demo_report_prints_the_section_in_both_editions(demo_build: DemoBuild) -> None:
    report = demo_build.out / "report"
    html = next(report.glob("esg-report-????.html")).read_text(encoding="utf-8")
    start = html.index('id="social-registers"')
    section = html[start : html.index("</section>", start)]
    assert 'data-answers="gri-2021:403-9"' in section
    assert "gri-2021:418-1" not in section
    for metric in ("ohs.recordable_injuries", "customer.complaints.received",
                   "cybersecurity.vulnerabilities.fixed"):  # fmt: skip
        assert f'data-metric="{metric}"' in section
    assert 'data-rate="200,000"' in section
    zh = next(report.glob("esg-report-????.zh.html")).read_text(encoding="utf-8")
    assert "社会类登记册" in zh and "每200,000工时可记录工伤率" in zh
