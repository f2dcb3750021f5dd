"""Issue #11 finding 3: the report appendix shows a figure without records as not available
(never 0.00), and marks partial and incomplete figures with a footnote."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.disclose.report import ReportModel, build_report
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def appendix_row(model: ReportModel, metric: str) -> tuple[list[str], list[str]]:
    """(cells, footnote texts) of a metric's appendix row."""
    (row,) = [r for t in model.appendix for r in t.rows if r.metric == metric]
    return row.cells, [model.footnotes[int(m) - 1] for m in row.marks]


def test_not_available_partial_and_incomplete_figures_in_the_appendix(ws: Workspace) -> None:
    ws.boundary("2025-env", 2025, "environment", "SZ1", "WH1")
    ws.activities(
        [
            ("SZ1", 2025, "water.municipal", 5000, "t"),
            ("SZ1", 2025, "electricity.purchased", 1000, "MWh"),
            ("VN1", 2025, "heat.purchased", 500, "GJ"),  # unresolved: no grid factor for VN heat
        ]
    )
    ws.calc(2025)
    with ws.db.read() as session:
        model = build_report(session, 2025, years=1)
    cells, notes = appendix_row(model, "water.withdrawal.municipal")
    assert cells == ["5,000.00"]
    assert notes == [
        "Municipal water 2025 is partial: no 2025 activity data for 1 member(s) (WH1)."
    ]
    consumption = [r for t in model.appendix for r in t.rows if r.metric == "water.consumption"]
    assert consumption == []  # no discharge records: not available in every year, not 0.00
    cells, notes = appendix_row(model, "ghg.scope2_market")
    assert cells[0] != "—"
    assert any("incomplete: the calculation left activity rows unresolved" in n for n in notes)
