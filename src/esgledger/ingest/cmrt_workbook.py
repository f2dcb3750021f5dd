"""Reading a supplier's CMRT or EMRT workbook: the Declaration, Smelter List and Product List
sheets, with bounded memory.

Each sheet is streamed through :mod:`esgledger.ingest.xlsx_guard` first (size, cell count and
shared-string limits; error cells and formulas saved without a value), then read row by row
with openpyxl's sheet parser, keeping each cell's place: the templates are laid out by
position, and calamine drops the empty rows and columns before the first value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esgledger.errors import ImportRejected, Problem
from esgledger.ingest import refusals as R
from esgledger.ingest import xlsx_guard

DECLARATION = "Declaration"
SMELTERS = "Smelter List"
PRODUCTS = "Product List"
SHEETS = (DECLARATION, SMELTERS, PRODUCTS)
MAX_ROWS = 20_000  # rows read from one sheet; a template's lists are far shorter
Cell = str | dt.datetime | dt.date


@dataclass
class SheetCells:
    """The non-blank cells of a sheet by (row, column), both 1-based."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    last_row: int = 0

    def text(self, row: int, column: int) -> str:
        value = self.cells.get((row, column))
        return value.isoformat() if isinstance(value, dt.date) else (value or "")


@dataclass(frozen=True)
class CmrtWorkbook:
    source: str
    sha256: str
    sheets: dict[str, SheetCells]


def read_workbook(path: str | Path) -> CmrtWorkbook:
    """The three sheets of a template file, or :class:`ImportRejected` naming what is wrong."""
    path = Path(path)
    source = path.name
    if not path.is_file():
        raise R.refused(source, R.NOT_FOUND, path=str(path))
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise R.refused(source, R.UNSUPPORTED_CMRT, suffix=path.suffix)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise R.refused(source, R.UNREADABLE, error=exc.strerror) from None
    parts = _guard(data, source)
    return CmrtWorkbook(source, hashlib.sha256(data).hexdigest(), _cells(data, source, parts))


def _guard(data: bytes, source: str) -> xlsx_guard.WorkbookParts:
    """Stream the sheets the reader will read through the guard; the parts it found."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = xlsx_guard.list_parts(zf)
            names = {s.name: s for s in parts.sheets}
            missing = [s for s in (DECLARATION, SMELTERS) if s not in names]
            if missing:
                said = ", ".join(repr(m) for m in missing)
                if not names:
                    raise R.refused(source, R.NOT_CMRT_EMPTY, missing=said)
                raise R.refused(source, R.NOT_CMRT, missing=said, sheets=", ".join(names))
            xlsx_guard.check_shared_strings(zf, parts.shared_strings)
            problems: list[Problem] = []
            total = 0
            for name in SHEETS:
                if name in names:
                    scan = xlsx_guard.scan_sheet(zf, names[name].part)
                    total += scan.issue_total
                    problems += [
                        Problem(
                            i.row,
                            f"{name}!{xlsx_guard.column_letters(i.column)}",
                            i.reason,
                            i.message_id,
                            i.values,
                        )
                        for i in scan.issues
                    ]
            if total:
                raise ImportRejected(source, problems, total)
            return parts
    except zipfile.BadZipFile:
        raise R.refused(source, R.NOT_XLSX) from None
    except xlsx_guard.Refused as exc:
        raise exc.rejected(source) from None


def _cells(data: bytes, source: str, parts: xlsx_guard.WorkbookParts) -> dict[str, SheetCells]:
    """The three sheets' cells, each read by openpyxl's own sheet parser with the workbook's
    shared strings, date formats and epoch, so every value is the one ``load_workbook`` in
    read-only mode gives. No workbook is built: that cost as much as reading the cells,
    nearly half of it a second pass over each whole sheet looking for a size the reader
    does not need (files without a ``<dimension>``), the rest themes, properties and named
    styles. A sheet is read whole even when its ``<dimension>`` claims less (openpyxl's
    read-only reader cut it there without a word)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            strings, dates, epoch = _workbook_context(zf, parts.shared_strings)
            places = {s.name: s.part for s in parts.sheets}
            return {
                name: _sheet(zf, places[name], name, source, strings, dates, epoch)
                for name in SHEETS
                if name in places
            }
    except ImportRejected:
        raise
    except Exception as exc:  # openpyxl's parsers raise many types for a damaged part
        raise R.refused(
            source, R.NOT_XLSX_BECAUSE, error=(str(exc).splitlines() or [""])[0][:200]
        ) from None


def _workbook_context(zf: zipfile.ZipFile, shared: str | None) -> tuple[list[str], Any, Any]:
    """What a cell's value depends on beyond its sheet: the shared strings, the styles that
    are date formats, and the date epoch (1900 or 1904), each read as openpyxl reads it."""
    from openpyxl.packaging.workbook import WorkbookPackage
    from openpyxl.reader.strings import read_string_table
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
    from openpyxl.xml.functions import fromstring

    strings: list[str] = []
    if shared is not None:
        with zf.open(shared) as src:
            strings = read_string_table(src)
    dates: Any = set()
    if "xl/styles.xml" in zf.namelist():
        stylesheet = Stylesheet.from_tree(fromstring(zf.read("xl/styles.xml")))
        if stylesheet.cell_styles:  # openpyxl keeps its defaults otherwise
            dates = (stylesheet.date_formats, stylesheet.timedelta_formats)
    package = WorkbookPackage.from_tree(fromstring(zf.read("xl/workbook.xml")))
    epoch = CALENDAR_MAC_1904 if package.properties.date1904 else CALENDAR_WINDOWS_1900
    return strings, dates, epoch


def _sheet(
    zf: zipfile.ZipFile,
    part: str,
    name: str,
    source: str,
    strings: list[str],
    dates: Any,
    epoch: Any,
) -> SheetCells:
    from openpyxl.worksheet._reader import WorkSheetParser

    date_formats, timedelta_formats = dates or (set(), set())
    sheet = SheetCells(name)
    with zf.open(part) as src:
        parser = WorkSheetParser(src, strings, data_only=True, epoch=epoch,
                                 date_formats=date_formats,
                                 timedelta_formats=timedelta_formats)  # fmt: skip
        for _index, row in parser.parse():
            for found in row:
                r = found["row"]
                if r > MAX_ROWS:
                    raise R.refused(source, R.TOO_MANY_ROWS, sheet=name, most=f"{MAX_ROWS:,}")
                cell = _value(found["value"])
                if cell != "":
                    sheet.cells[(r, found["column"])] = cell
                    sheet.last_row = r
    return sheet


def _value(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
