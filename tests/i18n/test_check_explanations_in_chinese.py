"""#19: the checks name their explanation's message, so every place that shows a finding
(the findings page, the dashboard, a report edition) words it in the reader's language —
here the status checks: a restated prior year, a preliminary value, a label without a value
and a scope-qualified figure combined with group totals. ``esg check`` keeps its English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.checks.explained import finding_in
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi, rules

CJK = re.compile(r"[\u4e00-\u9fff]")
NOTE = "Overseas subsidiaries only"  # a user's note: data, printed as entered
ENGLISH = re.compile(r"\b(?:is|was|the|of|but|only|with|from|as|has|a)\b")


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def test_status_findings_are_explained_in_chinese(ws: Workspace) -> None:
    ws.kpis(
        kpi("economy.revenue", "1000.00", "RMB million", 2024),
        kpi("economy.revenue", "1080.00", "RMB million"),
        kpi("economy.cash_dividend", "0.05", "RMB billion", preliminary="yes"),
        kpi("air.vocs", "/", "t"),
        kpi("workforce.headcount", 1000, "person"),
        kpi("workforce.new_hires", 120, "person", note=NOTE),
    )
    ws.kpis(kpi("economy.revenue", "1012.50", "RMB million", 2024,
                restatement_reason="同一控制下企业合并"))  # fmt: skip
    findings = ws.check(2025, claims={})
    assert set(rules(findings)) == {
        "missing.value", "preliminary.value", "restated.prior_year", "scope.qualified"
    }  # fmt: skip
    for finding in findings:
        zh = finding_in(finding, "zh")
        assert CJK.search(zh) and not ENGLISH.search(zh.replace(NOTE, "")), (finding.rule, zh)
        assert finding_in(finding, "en") == finding.explanation
    restated = next(f for f in findings if f.rule == "restated.prior_year")
    assert "同一控制下企业合并" in finding_in(restated, "zh")
    assert "1,012.50" in finding_in(restated, "zh")
