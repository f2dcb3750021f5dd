"""CMRT rule class: typed text that looks like a formula or an error, and the workbook's
bounds (read with the XLSX guard the imports share) (#16)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from esgledger.errors import ImportRejected
from esgledger.ingest.cmrt_rules import check
from esgledger.ingest.cmrt_workbook import read_workbook
from tests.suppliers.cmrt_files import TODAY, Cmrt, cmrt_file, lines


def test_text_starting_with_equals_or_hash_is_refused(tmp_path: Path) -> None:
    path = cmrt_file(tmp_path / "s.xlsx")
    wb = load_workbook(path)
    for sheet, ref, text in (("Declaration", "D12", "#N/A"), ("Smelter List", "D4", "=1+1")):
        cell = wb[sheet][ref]
        cell.value = text
        cell.data_type = "s"  # typed text, not a formula or an error
    wb.save(path)
    found = lines(check(read_workbook(path), TODAY).errors)
    assert found == [
        "s.xlsx, row 12, column 'Declaration!D': the cell starts with '#'; type the answer as text",
        "s.xlsx, row 4, column 'Smelter List!D': the cell starts with '='; type the answer as text",
    ]


def test_a_sheet_missing_is_refused_whole(tmp_path: Path) -> None:
    path = cmrt_file(tmp_path / "s.xlsx", Cmrt(sheets=("Declaration", "Product List")))
    with pytest.raises(ImportRejected, match="no sheet 'Smelter List'"):
        read_workbook(path)


def test_a_stray_far_cell_is_refused_before_reading(tmp_path: Path) -> None:
    path = cmrt_file(tmp_path / "s.xlsx")
    wb = load_workbook(path)
    wb["Smelter List"]["ZZ900000"] = "x"
    wb.save(path)
    with pytest.raises(ImportRejected, match="the sheet reaches cell ZZ900000"):
        read_workbook(path)


def test_an_error_cell_is_named_by_sheet_row_and_column(tmp_path: Path) -> None:
    path = cmrt_file(tmp_path / "s.xlsx")
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet2.xml"
    parts[sheet] = parts[sheet].replace(
        b"</sheetData>", b'<row r="9"><c r="F9" t="e"><v>#REF!</v></c></row></sheetData>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(ImportRejected) as exc:
        read_workbook(path)
    assert "s.xlsx, row 9, column 'Smelter List!F': the cell holds the Excel error #REF!" in str(
        exc.value
    )


def test_not_a_workbook_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_text("hello")
    with pytest.raises(ImportRejected, match="not a zip archive"):
        read_workbook(path)
