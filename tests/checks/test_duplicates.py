"""The same figure reported twice with different values (class 1): reported against
calculated values, and numbers typed in the narrative (stored history rows that disagree:
``test_rules_plain``, on rows built in memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.plain import ROOT
from tests.checks.plain import PlainWorkspace as Workspace
from tests.checks.workspace import kpi, only, rules


@pytest.fixture
def ws() -> Workspace:
    """The rows and activity sums in memory: the rules on plain inputs."""
    return Workspace()


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
