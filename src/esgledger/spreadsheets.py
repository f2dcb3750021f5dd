"""Workbooks we hand to people: text anyone typed stays text, never a live formula.

openpyxl stores any string starting with ``=`` as a formula, so a data owner's note
``=cmd|' /C calc'!A0`` or an entity named ``=HYPERLINK(…)`` would run in the reader's
spreadsheet program. We write no formulas of our own, so every workbook passes through
:func:`keep_text` before it is saved: such cells become plain text cells holding exactly the
characters typed (nothing is prefixed, so a template still imports back unchanged).
Shared like :mod:`esgledger.errors`: any package that writes a workbook uses it.
"""

from __future__ import annotations

from openpyxl import Workbook


def keep_text(wb: Workbook) -> Workbook:
    """Turn every formula cell of ``wb`` into a text cell with the same characters."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return wb
