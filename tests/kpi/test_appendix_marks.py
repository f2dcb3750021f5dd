"""Issue #11 finding 3: the report appendix shows a figure without records as not available
(never 0.00), and marks partial and incomplete figures with a footnote.

The appendix of a series built in memory (:mod:`tests.kpi.plain`), its run the engine's,
computed in memory (:mod:`tests.kpi.plain_runs`, #20); the whole report is rendered from a
workspace end to end in tests/disclose."""

from __future__ import annotations

from esgledger.disclose.report import AppendixTable, Footnotes, appendix_tables
from tests.checks.workspace import ACTIVITY_HEADER, activity_cells
from tests.kpi.plain import Ledger


def appendix_row(
    tables: list[AppendixTable], notes: Footnotes, metric: str
) -> tuple[list[str], list[str]]:
    """(cells, footnote texts) of a metric's appendix row."""
    (row,) = [r for t in tables for r in t.rows if r.metric == metric]
    return row.cells, [notes.texts[int(m) - 1] for m in row.marks]


def test_not_available_partial_and_incomplete_figures_in_the_appendix() -> None:
    ledger = Ledger()
    ledger.boundary("2025-env", 2025, "environment", "SZ1", "WH1")
    rows = [
        ("SZ1", 2025, "water.municipal", 5000, "t"),
        ("SZ1", 2025, "electricity.purchased", 1000, "MWh"),
        ("VN1", 2025, "heat.purchased", 500, "GJ"),  # unresolved: no grid factor for VN heat
    ]
    ledger.import_activities(ACTIVITY_HEADER, activity_cells(rows))
    ledger.calc(2025)
    notes = Footnotes()
    tables = appendix_tables(ledger.series(2025, years=1), notes)
    cells, marks = appendix_row(tables, notes, "water.withdrawal.municipal")
    assert cells == ["5,000.00"]
    assert marks == [
        "Municipal water 2025 is partial: no 2025 activity data for 1 member(s) (WH1)."
    ]
    consumption = [r for t in tables for r in t.rows if r.metric == "water.consumption"]
    assert consumption == []  # no discharge records: not available in every year, not 0.00
    cells, marks = appendix_row(tables, notes, "ghg.scope2_market")
    assert cells[0] != "—"
    assert any("incomplete: the calculation left activity rows unresolved" in n for n in marks)
