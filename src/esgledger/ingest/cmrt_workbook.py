"""Reading a supplier's CMRT or EMRT workbook: the Declaration, Smelter List and Product List
sheets, with bounded memory.

Each sheet is streamed through :mod:`esgledger.ingest.xlsx_guard` first (size, cell count and
shared-string limits; error cells and formulas saved without a value), then read row by row
with openpyxl's read-only reader, keeping each cell's place: the templates are laid out by
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
from esgledger.ingest import xlsx_guard
from esgledger.ingest.checker import refuse

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
        raise refuse(source, f"file not found: {path}")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise refuse(source, f"unsupported file type {path.suffix!r}; a CMRT or EMRT is .xlsx")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise refuse(source, f"cannot read the file: {exc.strerror}") from None
    _guard(data, source)
    return CmrtWorkbook(source, hashlib.sha256(data).hexdigest(), _cells(data, source))


def _guard(data: bytes, source: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = xlsx_guard.list_parts(zf)
            names = {s.name: s for s in parts.sheets}
            missing = [s for s in (DECLARATION, SMELTERS) if s not in names]
            if missing:
                raise refuse(
                    source,
                    f"not a CMRT/EMRT: no sheet {', '.join(repr(m) for m in missing)} "
                    f"(the workbook has {', '.join(names) or 'no sheets'})",
                )
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
    except zipfile.BadZipFile:
        raise refuse(
            source, "cannot read as XLSX: not a zip archive (is it an old .xls?)"
        ) from None
    except xlsx_guard.Refused as exc:
        raise refuse(source, str(exc)) from None


def _cells(data: bytes, source: str) -> dict[str, SheetCells]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        raise refuse(source, f"cannot read as XLSX: {str(exc).splitlines()[0][:200]}") from None
    out: dict[str, SheetCells] = {}
    try:
        for name in SHEETS:
            if name in book.sheetnames:
                out[name] = _sheet(book[name], name, source)
    finally:
        book.close()
    return out


def _sheet(ws: Any, name: str, source: str) -> SheetCells:
    sheet = SheetCells(name)
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if r > MAX_ROWS:
            raise refuse(source, f"sheet {name!r} has more than {MAX_ROWS:,} rows")
        for c, value in enumerate(row, start=1):
            cell = _value(value)
            if cell != "":
                sheet.cells[(r, c)] = cell
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
