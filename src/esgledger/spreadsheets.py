"""Workbooks we hand to people: text anyone typed stays text, never a live formula.

openpyxl stores any string starting with ``=`` as a formula, so a data owner's note
``=cmd|' /C calc'!A0`` or an entity named ``=HYPERLINK(…)`` would run in the reader's
spreadsheet program. We write no formulas of our own, so every workbook passes through
:func:`keep_text` before it is saved: such cells become plain text cells holding exactly the
characters typed (nothing is prefixed, so a template still imports back unchanged).
CSV files have no cell types: their text cells go through :func:`safe_text`, which prefixes
a formula-like text with a quote. Shared like :mod:`esgledger.errors`: any package that
writes a workbook or a CSV file uses it, and :func:`storable` for the typed control
characters a workbook cannot hold at all.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def keep_text(wb: Workbook) -> Workbook:
    """Turn every formula cell of ``wb`` into a text cell with the same characters."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return wb


def storable(value: object) -> object:
    """Text with the control characters a workbook's XML cannot hold (a bell, a vertical tab,
    an escape) written as visible ``\\xNN``: openpyxl refuses them, which failed a whole
    report over one typed character. Tabs and newlines are kept; other values pass as given."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """A CSV cell that a spreadsheet program shows as text, never runs as a formula.

    A CSV file has no cell types, so a text starting like a formula is prefixed with a
    single quote (OWASP's advice); other text passes unchanged. Numbers are written as
    numbers by the caller, so a negative value is not touched.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text
