"""#16: the CMRT reader parses each sheet with openpyxl's own sheet parser but builds no
workbook; every cell must stay what ``load_workbook`` in read-only mode gives, for the
template-shaped files and for a file Excel-like writers make (shared strings, date-styled
numbers, the 1904 epoch, an explicit ``<dimension>``, a hidden extra sheet)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from esgledger.ingest.cmrt_workbook import SHEETS, read_workbook
from tests.suppliers.cmrt_files import Cmrt, cmrt_file, company, smelter


def _openpyxl_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """Every non-blank cell as openpyxl's read-only workbook gives it (the earlier reader)."""
    from esgledger.ingest.cmrt_workbook import _value

    book = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    out = {}
    for name in SHEETS:
        if name in book.sheetnames:
            cells = {}
            for r, row in enumerate(book[name].iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    if (cell := _value(value)) != "":
                        cells[(r, c)] = cell
            out[name] = cells
    book.close()
    return out


def _ours(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    return {name: sheet.cells for name, sheet in read_workbook(path).sheets.items()}


def test_template_files_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    spec = Cmrt(fields=company(**{"Effective Date (*):": dt.datetime(2025, 3, 4)}),
                smelters=[smelter("Tin", "CID000001", "Alpha Tin"),
                          smelter("Gold", "CID000002", "Beta Gold", "JAPAN")],
                products=[["P-1", "Solder wire", ""]])  # fmt: skip
    path = cmrt_file(tmp_path / "s.xlsx", spec)
    ours = _ours(path)
    assert ours == _openpyxl_cells(path)
    assert ours["Declaration"]  # something was read: the comparison is not of two blanks


def test_shared_strings_dates_and_the_1904_epoch_read_as_openpyxl_reads_them(
    tmp_path: Path,
) -> None:
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    declaration = book.active
    declaration.title = "Declaration"
    declaration["B8"], declaration["D8"] = "Company Name (*):", "Pearl River Castings"
    declaration["B20"], declaration["D20"] = "Effective Date (*):", dt.datetime(2025, 1, 15)
    declaration["D21"] = 12.0  # a whole float, read as "12"
    declaration["D22"] = 0.25
    declaration["D23"] = True
    declaration["D24"] = "  padded  "
    smelters = book.create_sheet("Smelter List")
    smelters["A5"], smelters["B5"] = "CID000001", "Tin"
    smelters["C6"] = dt.date(2024, 12, 31)
    book.create_sheet("Notes").sheet_state = "hidden"
    path = tmp_path / "excel-like.xlsx"
    book.save(path)
    ours = _ours(path)
    assert ours == _openpyxl_cells(path)
    assert ours["Declaration"][(20, 4)] == dt.datetime(2025, 1, 15)  # the 1904 epoch applied
    assert ours["Declaration"][(21, 4)] == "12" and ours["Declaration"][(23, 4)] == "True"
    assert ours["Smelter List"][(5, 1)] == "CID000001"


def test_a_cell_beyond_a_stale_dimension_is_read_not_dropped(tmp_path: Path) -> None:
    """openpyxl's read-only reader stops at the size a sheet's ``<dimension>`` claims; a
    file claiming less than it holds kept cells out of the check without a word."""
    import re
    import zipfile

    book = Workbook()
    book.active.title = "Declaration"
    book.active["A1"], book.active["D10"] = "x", "far"
    book.create_sheet("Smelter List")["A1"] = "y"
    book.save(tmp_path / "a.xlsx")
    with (zipfile.ZipFile(tmp_path / "a.xlsx") as src,
          zipfile.ZipFile(tmp_path / "b.xlsx", "w") as out):  # fmt: skip
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data)
            out.writestr(item, data)
    assert (10, 4) not in _openpyxl_cells(tmp_path / "b.xlsx")["Declaration"]
    assert _ours(tmp_path / "b.xlsx")["Declaration"] == {(1, 1): "x", (10, 4): "far"}
