"""#16 the demo's CMRT files are written by a small XLSX writer: the intake reads from each
the cells it reads from the same file written by openpyxl, and a cell the writer cannot keep
(a date, a formula, a character XML cannot carry) sends the file to openpyxl."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl.utils.exceptions import IllegalCharacterError

from esgledger.demo.cmrt_files import Cmrt, cmrt_file, company, openpyxl_file, sheets_of, smelter
from esgledger.demo.supplier_cmrt_data import ROUNDS, cmrt_files
from esgledger.demo.supplier_data import suppliers
from esgledger.demo.xlsx_rows import plain
from esgledger.ingest.cmrt_workbook import read_workbook


def _cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    return {name: sheet.cells for name, sheet in read_workbook(path).sheets.items()}


def _same_cells(tmp_path: Path, spec: Cmrt, name: str) -> None:
    fast = cmrt_file(tmp_path / f"{name}.xlsx", spec)
    slow = openpyxl_file(tmp_path / f"{name}-openpyxl.xlsx", sheets_of(spec))
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(fast).namelist()  # the small writer
    assert _cells(fast) == _cells(slow), name


def test_the_demo_files_read_the_same_as_openpyxl_wrote_them(tmp_path: Path) -> None:
    base = suppliers({})
    for year in sorted(ROUNDS):
        sent = cmrt_files(base, year)
        for n, demo in enumerate(sent[::25]):  # refused ones and corrected ones among them
            _same_cells(tmp_path, demo.spec, f"{year}-{n}")


def test_awkward_text_and_numbers_read_the_same(tmp_path: Path) -> None:
    odd = ["CID000003", "Tin", "  Spaced & <Tin> \"Co\"  ", "Ünïcödé 锡业", "CHINA", 42, 3.25,
           "line\nbreak", "'quoted'"]  # fmt: skip
    spec = Cmrt(smelters=[odd, smelter("Gold", "CID000002", "Beta Gold")],
                products=[["P-1", "Widget & Co"], [7, 1.5]])  # fmt: skip
    assert all(plain(rows) for _, rows in sheets_of(spec))
    _same_cells(tmp_path, spec, "odd")


def test_a_date_or_a_formula_is_written_by_openpyxl(tmp_path: Path) -> None:
    for n, value in enumerate((dt.datetime(2026, 2, 1), "=1+1")):
        spec = Cmrt(fields=company(**{"Effective Date (*):": value}))
        assert not plain(sheets_of(spec)[0][1])
        path = cmrt_file(tmp_path / f"{n}.xlsx", spec)
        assert "xl/styles.xml" in zipfile.ZipFile(path).namelist()  # openpyxl's
    # A character XML cannot carry: refused by openpyxl, as before the small writer.
    bell = Cmrt(fields=company(**{"Company Name (*):": "bell\x07"}))
    with pytest.raises(IllegalCharacterError):
        cmrt_file(tmp_path / "bell.xlsx", bell)
