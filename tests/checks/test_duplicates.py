"""The same figure reported twice with different values (class 1): stored rows, reported
against calculated values, and numbers typed in the narrative."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from esgledger.ledger.db import Database
from esgledger.ledger.models import KpiValue
from tests.checks.workspace import ROOT, Workspace, kpi, only, rules


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def test_a_reported_value_of_a_calculated_metric_that_disagrees(ws: Workspace) -> None:
    ws.activities([("SZ1", 2025, "water.discharge", 1000, "t")])
    ws.kpis(kpi("water.discharge.total", "1000.00", "t", 2024, source="EHS workbook"))
    ws.activities([("SZ1", 2024, "water.discharge", 1000.004, "t")])  # within ½ of 0.01
    ws.kpis(kpi("water.discharge.total", "900.00", "t", source="EHS workbook"))
    assert ws.check(2024, claims={}) == []
    findings = ws.check(2025, claims={})
    assert rules(findings) == ["duplicate.values"]
    (f,) = findings
    assert (f.severity, f.metrics, f.entity, f.year) == (
        "error",
        ["water.discharge.total"],
        ROOT,
        2025,
    )
    assert (f.expected, f.found) == (1000.0, 900.0)
    assert "'EHS workbook'" in f.explanation and f.dims == {"versions": "reported,calculated"}


def test_history_rows_from_two_sources_without_a_restatement(ws: Workspace) -> None:
    ws.kpis(
        kpi("packaging.wood", "120.00", "t", source="Logistics"),
        kpi("packaging.metal", "12.00", "t", source="Logistics"),
    )
    # A restatement through the import links the rows and gives a reason: no duplicate.
    ws.kpis(kpi("packaging.metal", "13.00", "t", restatement_reason="Wrong weighing slip"))
    assert ws.check(2025, claims={}) == []
    # A second writer (a form, say) replaces the value without linking or explaining it.
    with ws.db.write() as session:
        old = session.scalar(select(KpiValue).where(KpiValue.metric_id == "packaging.wood"))
        old.is_current = False
        session.flush()
        session.add(
            KpiValue(
                entity_id=ROOT,
                year=2025,
                metric_id="packaging.wood",
                value=135.0,
                unit="t",
                source="Procurement",
            )
        )
    (f,) = ws.check(2025, claims={})
    assert (f.rule, f.severity, f.metrics, f.entity) == (
        "duplicate.values",
        "error",
        ["packaging.wood"],
        ROOT,
    )
    assert (f.expected, f.found) == (120.0, 135.0)
    assert "'Logistics' (batch" in f.explanation and "'Procurement'" in f.explanation


NARRATIVE = """# Environment

In 2025, total water discharge was 1,020 t, while total water withdrawal reached
{{kpi:water.withdrawal.total:2025}} t under GB/T 2589-2020 and ISO 14001.

Packaging: wooden packaging weighed 120.0 t (Scope 1 is unaffected), up 12.5% on 2024.
"""


def test_numbers_typed_in_the_narrative(ws: Workspace, tmp_path: Path) -> None:
    ws.activities(
        [
            ("SZ1", 2025, "water.municipal", 5000, "t"),
            ("SZ1", 2025, "water.discharge", 1000.4, "t"),
        ]
    )
    ws.kpis(kpi("packaging.wood", "120.00", "t"))
    folder = tmp_path / "narrative"
    folder.mkdir()
    (folder / "environment.md").write_text(NARRATIVE, encoding="utf-8")
    assert ws.check(2025, claims={}) == []  # no narrative given: nothing to compare
    findings = ws.check(2025, claims={}, narrative=folder)
    assert rules(findings) == ["narrative.mismatch"]
    (f,) = findings
    assert (f.severity, f.metrics, f.entity, f.year) == (
        "error",
        ["water.discharge.total"],
        None,
        2025,
    )
    assert (f.expected, f.found) == (1000.4, 1020.0)
    assert f.dims == {"file": "environment.md", "number": "1,020"}
    assert "{{kpi:water.discharge.total:2025}}" in f.fix
    # The tagged number, the years, the standards' numbers and the change rate pass; so
    # does "120.0 t", the value at the precision written.
    (folder / "environment.md").write_text(NARRATIVE.replace("1,020", "1,000"), encoding="utf-8")
    assert only(ws.check(2025, claims={}, narrative=folder), "narrative.mismatch") == []
