"""#19: the built-in checks (year-on-year jumps, the entities' sum, a reported figure against
its recomputation, a typed number in the narrative, a changed definition, the rounding
sentence) explain their findings and fixes in the reader's language; ``esg check`` keeps the
English, worded from the same message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.checks.explained import finding_in, fix_in
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi, only

CJK = re.compile(r"[\u4e00-\u9fff]")
# English words a Chinese sentence must not keep (codes, ids, units and quotes are data)
ENGLISH = re.compile(
    r"\b(?:is|was|the|of|but|than|with|from|as|has|are|more|moved|says|entities|difference|"
    r"reported|calculated|rounding|Check|Correct|Replace|Restate)\b"
)
NARRATIVE = "Packaging: wooden packaging weighed 130.0 t in 2025.\n"
NOTE = "definition changed: now includes contractors"


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def _chinese(text: str, *data: str) -> bool:
    for kept in data:
        text = text.replace(kept, "")
    return bool(CJK.search(text)) and not ENGLISH.search(text)


def test_built_in_checks_are_worded_in_chinese(ws: Workspace, tmp_path: Path) -> None:
    ws.activities([("SZ1", 2025, "water.discharge", 1000, "t")])
    ws.kpis(
        kpi("packaging.plastics", "100.00", "t", 2024),
        kpi("packaging.plastics", "140.00", "t"),
        kpi("packaging.wood", "120.00", "t"),
        kpi("water.discharge.total", "900.00", "t", source="EHS workbook"),
        kpi("workforce.headcount", 100, "person"),
        kpi("workforce.headcount", 30, "person", entity="WH1"),
        kpi("workforce.headcount", 40, "person", entity="VN1"),
        kpi("workforce.new_hires", 12, "person", note=NOTE),
    )
    (tmp_path / "narrative").mkdir()
    (tmp_path / "narrative" / "env.md").write_text(NARRATIVE, encoding="utf-8")
    findings = ws.check(2025, claims={}, narrative=tmp_path / "narrative")
    picked = {
        rule: only(findings, rule)
        for rule in (
            "yoy.jump",
            "duplicate.values",
            "narrative.mismatch",
            "definition.changed",
            "sum.entities",
        )
    }
    assert all(picked.values()), [f.rule for f in findings]
    for rule, (finding, *_) in picked.items():
        zh, fix = finding_in(finding, "zh"), fix_in(finding, "zh")
        assert _chinese(zh, NOTE, NARRATIVE.strip(), "'EHS workbook'"), (rule, zh)
        assert _chinese(fix), (rule, fix)
        assert finding_in(finding, "en") == finding.explanation
        assert fix_in(finding, "en") == finding.fix
    assert "塑料" in finding_in(picked["yoy.jump"][0], "zh")
    assert "+40.0 %" in picked["yoy.jump"][0].explanation
    duplicate = finding_in(picked["duplicate.values"][0], "zh")
    assert "由活动数据计算的数值" in duplicate and "差额为" in duplicate, duplicate
    assert "吨" in duplicate
