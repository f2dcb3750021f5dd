"""How many decimals a figure was printed with: the rounding every check must allow for.

A published 12,983.6 stands for anything from 12,983.55 to 12,983.65, so its printed
precision travels with it. CSV cells keep the text as typed ("1,200.50" → 2 decimals). An
XLSX cell arrives as the number Excel stored, its trailing zeros gone and sometimes with
binary noise (0.30000000000000004): its number format says how many decimals it prints
(``#,##0.00`` → 2); with a ``General`` format the noise is dropped at 12 significant digits.
A ``decimals`` column, when filled, overrides both.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_DECIMALS = 9
SIGNIFICANT = 12
_PLAIN = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.(\d*))?$")


def printed_decimals(text: str) -> int | None:
    """Decimals of a number as written; None when the text is not a plain decimal number."""
    text = text.strip()
    match = _PLAIN.match(text)
    if not text or match is None or not any(c.isdigit() for c in text):
        return None
    fraction = match.group(4) or ""
    if len(fraction) <= MAX_DECIMALS:
        return len(fraction)
    rounded = f"{float(text.replace(',', '')):.{SIGNIFICANT}g}"  # binary noise from a workbook
    return min(len(rounded.split(".")[1]) if "." in rounded else 0, MAX_DECIMALS)


_FORMAT_DECIMALS = re.compile(r"0\.(0+)")


def format_decimals(number_format: str) -> int | None:
    """Decimals an Excel number format prints (``#,##0.00`` → 2, ``0`` → 0); None for
    ``General``, text, percentages and anything else that does not fix the decimals."""
    fmt = number_format.split(";")[0]
    if "%" in fmt or "@" in fmt or not fmt or fmt.lower() == "general" or "0" not in fmt:
        return None
    match = _FORMAT_DECIMALS.search(fmt)
    return min(len(match.group(1)), MAX_DECIMALS) if match else 0


def xlsx_value_decimals(path: Path, sheet: str | None, kind: str, rows: int) -> list[int | None]:
    """Per data row, the decimals of the ``value`` cell's number format in the sheet
    :func:`esgledger.ingest.readers.read_table` reads (``sheet``, else one named ``kind``,
    else the only one); [] when there is no such sheet or column. Read-only: bounded memory."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # the reader has already refused what openpyxl cannot open
        return []
    try:
        names = book.sheetnames
        chosen = sheet or (kind if kind in names else (names[0] if len(names) == 1 else None))
        if chosen not in names:
            return []
        lines = book[chosen].iter_rows(max_row=rows + 1)
        header = [str(c.value or "").strip().lower() for c in next(lines, ())]
        if "value" not in header:
            return []
        column = header.index("value")
        out: list[int | None] = []
        for line in lines:
            cell = line[column] if column < len(line) else None
            fmt = getattr(cell, "number_format", None)
            numeric = isinstance(getattr(cell, "value", None), int | float)
            out.append(format_decimals(fmt) if numeric and fmt else None)
        return out + [None] * (rows - len(out))
    finally:
        book.close()
