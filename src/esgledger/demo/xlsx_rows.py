"""A minimal XLSX writer for sheets of plain text and numbers (the demo's CMRT files).

openpyxl spends about 23 ms of CPU on a three-sheet CMRT file (cell objects, temporary files
of its write-only mode, a style table), which made the demo's 470 CMRT files cost ~11 CPU s.
A sheet of text and numbers needs none of that: a few fixed parts and one XML part per sheet,
text as inline strings (``t="inlineStr"``, spaces kept), numbers as numbers. The readers
(openpyxl, :mod:`esgledger.ingest.xlsx_guard`) read them as they read openpyxl's files.

Only what this writer says it can write is written here: :func:`plain` tells whether every
cell is text without a leading ``=`` (openpyxl saves that as a formula), without characters
XML cannot carry, or a number; the caller writes anything else with openpyxl.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from esgledger.ingest.xlsx_guard import column_letters

Row = Sequence[object]
# Characters XML 1.0 cannot carry (openpyxl refuses them as well).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def plain(rows: Sequence[Row]) -> bool:
    """True when every cell is None, a finite number or text this writer keeps exactly."""
    for row in rows:
        for value in row:
            if value is None or type(value) is int:
                continue
            if type(value) is float and math.isfinite(value):
                continue
            if not isinstance(value, str) or value.startswith("=") or ILLEGAL.search(value):
                return False
    return True


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[Row]]]) -> Path:
    """Write ``sheets`` (name, rows from row 1 and column A) as an XLSX at ``path``; every
    row must be :func:`plain`."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
        for n in range(1, len(sheets) + 1)
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>{overrides}</Types>'
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    entries = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _) in enumerate(sheets, start=1)
    )
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        f"<sheets>{entries}</sheets></workbook>"
    )
    book_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for n, (_, rows) in enumerate(sheets, start=1):
            zf.writestr(f"xl/worksheets/sheet{n}.xml", _sheet(rows))
    return path


def _sheet(rows: Sequence[Row]) -> str:
    out = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(r, c, v) for c, v in enumerate(row, start=1) if v is not None)
        if cells:
            out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


def _cell(row: int, column: int, value: object) -> str:
    ref = f"{column_letters(column)}{row}"
    if isinstance(value, str):
        text = escape(value)
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'
