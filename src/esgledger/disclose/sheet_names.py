"""Short, unique worksheet names for long titles.

Excel allows 31 characters, none of ``[]:*?/\\``, no leading or trailing apostrophe, and
compares names without letter case. Cutting titles at 31 characters made two tables share
a name or lose their meaning; here a title that fits is kept, a longer one is shortened at a
word with "…", and a name already taken gets the next number. The workbook's Contents sheet
lists every name beside its full title. The same titles in the same order always give the
same names, so a workbook stays byte-reproducible.
"""

from __future__ import annotations

import re

MAX_LENGTH = 31
RESERVED = {"history"}  # Excel keeps this name for its change history


def clip(text: str, width: int) -> str:
    """``text`` within ``width`` characters, shortened at a word with "…" when it is longer."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;-–—(") + "…"


def allowed(title: str) -> str:
    text = re.sub(r"[\[\]:*?/\\]", " ", title)
    text = re.sub(r"\s+", " ", text).strip().strip("'").strip()
    return text or "Sheet"


def sheet_names(titles: list[str]) -> list[str]:
    """One name per title, in order, unique without letter case."""
    used: set[str] = set()
    names = []
    for title in titles:
        text = allowed(title)
        name, n = clip(text, MAX_LENGTH), 1
        while name.casefold() in used or name.casefold() in RESERVED:
            n += 1
            name = f"{clip(text, MAX_LENGTH - len(str(n)) - 1)} {n}"
        used.add(name.casefold())
        names.append(name)
    return names
