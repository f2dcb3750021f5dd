"""Workbooks we hand to people: text anyone typed stays text, never a live formula.

openpyxl stores any string starting with ``=`` as a formula, so a data owner's note
``=cmd|' /C calc'!A0`` or an entity named ``=HYPERLINK(…)`` would run in the reader's
spreadsheet program. We write no formulas of our own, so every workbook passes through
:func:`keep_text` before it is saved: such cells become plain text cells holding exactly the
characters typed (nothing is prefixed, so a template still imports back unchanged).
CSV files have no cell types: their text cells go through :func:`safe_text`, which prefixes
a formula-like text with a quote. Shared like :mod:`esgledger.errors`: any package that
writes a workbook or a CSV file uses it.
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """A CSV cell that a spreadsheet program shows as text, never runs as a formula.

    A CSV file has no cell types, so a text starting like a formula is prefixed with a
    single quote (OWASP's advice); other text passes unchanged. Numbers are written as
    numbers by the caller, so a negative value is not touched.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text
