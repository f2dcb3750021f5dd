"""A workbook's rows one at a time, as text, for imports that read a large file in chunks
(:mod:`.training_stream`): the sheet is chosen and guarded as every XLSX import's is
(:func:`esgledger.ingest.readers.checked_sheet`), then read with openpyxl in read-only mode,
so memory follows the row, not the sheet (but for the workbook's table of distinct texts,
which openpyxl holds whole: each distinct text once). Cells become the text the whole-file
reader gives them: a date and time as ``YYYY-MM-DD HH:MM:SS``, a whole number without a
decimal point, ``true``/``false``, an empty cell as ``""``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from esgledger.ingest import refusals as R
from esgledger.ingest.readers import checked_sheet


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d 00:00:00")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(path: Path, source: str, *, sheet: str | None, kind: str) -> Iterator[list[str]]:
    """The chosen sheet's rows as lists of text, the header first; trailing empty cells of a
    row are dropped (the caller pads to the header)."""
    from openpyxl import load_workbook

    chosen = checked_sheet(path, source, sheet=sheet, kind=kind)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise R.refused(
            source, R.SHEET_UNREADABLE, sheet=chosen.name, error=R.first_line(exc)
        ) from None
    try:
        for values in book[chosen.name].iter_rows(values_only=True):
            cells = [cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            yield cells
    finally:
        book.close()
