"""Checking a CSV's structure before parsing: separator, cells per row, quotes.

Polars pads a short row with empty cells and reports a long row or an open quote without a
row number; these checks name the row, so the user can find it in a spreadsheet. Files
without quotes are checked by counting separators per line (vectorised); files with quotes
go through Python's ``csv`` module, which knows where each quoted cell ends.
"""

from __future__ import annotations

import csv
import io

import polars as pl

from esgledger.errors import ImportRejected, Problem
from esgledger.ingest.checker import KEEP

OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def check_structure(text: str, source: str) -> None:
    """Refuse a CSV that is not comma-separated, or whose rows differ in cell count."""
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    _refuse_other_separator(header, source)
    problems, total = (
        _ragged_rows(text, len(header)) if '"' not in text else _quoted(text, len(header))
    )
    if total:
        raise ImportRejected(source, problems, total)


def _refuse_other_separator(header: list[str], source: str) -> None:
    if len(header) != 1:
        return
    for sep, name in OTHER_SEPARATORS.items():
        if sep in header[0]:
            raise ImportRejected(
                source,
                [
                    Problem(
                        1,
                        None,
                        f"the header is one column separated by {name}; esgledger reads "
                        "comma-separated files (Excel: Save As → CSV UTF-8 (comma delimited))",
                    )
                ],
            )


def _wrong_count(row: int, found: int, wanted: int) -> Problem:
    return Problem(
        row,
        None,
        f"the row has {found} cells, the header {wanted}; look for a missing or extra comma",
    )


def _ragged_rows(text: str, wanted: int) -> tuple[list[Problem], int]:
    lines = pl.Series("line", text.split("\n"), dtype=pl.Utf8).str.strip_suffix("\r")
    frame = pl.DataFrame(lines).with_row_index("row", offset=1)
    if frame.height and frame["line"][-1] == "":
        frame = frame.head(-1)  # the newline ending the last row
    cells = pl.col("line").str.count_matches(",", literal=True) + 1
    bad = frame.filter((pl.col("line") != "") & (cells != wanted))
    shown = bad.head(KEEP).select("row", cells.alias("cells")).iter_rows()
    return [_wrong_count(row, found, wanted) for row, found in shown], bad.height


def _quoted(text: str, wanted: int) -> tuple[list[Problem], int]:
    problems: list[Problem] = []
    total = 0
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    try:
        for row, record in enumerate(reader, start=1):
            if record and len(record) != wanted:
                total += 1
                if len(problems) < KEEP:
                    problems.append(_wrong_count(row, len(record), wanted))
    except csv.Error as exc:
        total += 1
        if "unexpected end of data" in str(exc):
            reason = 'a quoted cell starting in this row is never closed; look for a stray "'
        elif "field limit" in str(exc):
            reason = f"a cell is longer than {csv.field_size_limit():,} characters"
        else:
            reason = f'misplaced quote ({exc}); write a quote inside a quoted cell as ""'
        problems.append(Problem(row + 1, None, reason))
    return problems, total
