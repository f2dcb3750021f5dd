"""#19: a check rule of ``checks.csv`` explains its finding, and says how to fix it, in the
reader's language: its Chinese from ``catalog/data/i18n/checks.zh.csv`` with the same figures
filled in, and the rounding sentence after it. ``esg check`` keeps the English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.checks.explained import finding_in, fix_in
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi, only

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b(?:is|was|the|of|but|than|with|from|as|has|a|are|more|Check)\b")


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def test_rule_findings_are_worded_in_chinese(ws: Workspace) -> None:
    ws.kpis(
        kpi("governance.board.size", 9, "person"),
        kpi("governance.board.women", 11, "person"),
        kpi("wastewater.cod", "12.50", "t"),
        kpi("wastewater.bod", "20.25", "t"),
    )
    findings = ws.check(2025, claims={})
    women = only(findings, "part.women_le_board")[0]
    bod = only(findings, "part.bod_le_cod")[0]
    assert finding_in(women, "zh").startswith("女性董事人数（11）多于董事会成员人数（9）。")
    assert "生化需氧量（20.25 吨）大于化学需氧量（12.50 吨）" in finding_in(bod, "zh")
    for finding in (women, bod):
        zh, fix = finding_in(finding, "zh"), fix_in(finding, "zh")
        assert CJK.search(zh) and not ENGLISH.search(zh), zh
        assert CJK.search(fix) and not ENGLISH.search(fix), fix
        assert finding_in(finding, "en") == finding.explanation
        assert fix_in(finding, "en") == finding.fix
    assert women.explanation.startswith("There are more women on the board (11) than board")
    assert women.fix == "Check the board composition against the annual report."
