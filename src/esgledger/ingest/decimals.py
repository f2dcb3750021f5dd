"""How many decimals a figure was printed with: the rounding every check must allow for.

A published 12,983.6 stands for anything from 12,983.55 to 12,983.65, so its printed
precision travels with it. CSV cells keep the text as typed ("1,200.50" → 2 decimals). An
XLSX cell arrives as the number Excel stored, its trailing zeros gone and sometimes with
binary noise (0.30000000000000004): the noise is dropped at 12 significant digits, and a
``decimals`` column states the printed precision when the number format shows more.
"""

from __future__ import annotations

import re

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
