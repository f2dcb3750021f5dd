"""Checking a CSV's structure before parsing: separator, cells per row, quotes.

Polars pads a short row with empty cells and reports a long row or an open quote without a
row number; these checks name the row, so the user can find it in a spreadsheet. Files
without quotes are checked by counting commas per line (numpy over the bytes); files with
quotes go through Python's ``csv`` module, which knows where each quoted cell ends. Both
go a block of lines at a time (the comma count) or a line at a time (the quoted file, and the
UTF-8 check): over a 10⁷-row file the whole file's comma positions took about 3 GB (#18).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

import numpy as np

from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected, Problem
from esgledger.ingest import refusals as R
from esgledger.ingest.checker import KEEP

# bytes of whole lines checked at once (a longer line is a block of its own)
BLOCK = 8 << 20

# The separators' names are catalog words: a Chinese reader gets them in Chinese.
OTHER_SEPARATORS = {";": N_("semicolons"), "\t": N_("tabs"), "|": N_("vertical bars")}
OTHER_SEPARATOR = N_(
    "the header is one column separated by %(separator)s; esgledger reads comma-separated "
    "files (Excel: Save As → CSV UTF-8 (comma delimited))"
)
WRONG_COUNT = N_(
    "the row has %(found)s cells, the header %(wanted)s; look for a missing or extra comma"
)
NEVER_CLOSED = N_('a quoted cell starting in this row is never closed; look for a stray "')
TOO_LONG = N_("a cell is longer than %(limit)s characters")
MISPLACED = N_('misplaced quote (%(error)s); write a quote inside a quoted cell as ""')


def check_structure(data: bytes, source: str, *, block: int = BLOCK) -> None:
    """Refuse a CSV (UTF-8 ``data``) that is not comma-separated, or whose rows differ in
    cell count; ``block``: the bytes of whole lines counted at once."""
    newline = data.find(b"\n")  # not split(): that copied the whole rest of the file
    first_line = data[: newline if newline >= 0 else None].decode("utf-8")
    header = next(csv.reader(io.StringIO(first_line)), [])
    _refuse_other_separator(header, source)
    if b'"' in data:
        problems, total = _quoted(data, len(header))
    else:
        problems, total = _ragged_rows(data, len(header), block)
    if total:
        raise ImportRejected(source, problems, total)


def check_utf8(data: bytes, source: str, *, block: int = BLOCK) -> None:
    """Refuse ``data`` that is not UTF-8, naming the line of the first bad byte; decoded a
    block of whole lines at a time (a newline byte is never inside a UTF-8 character), the
    text let go after each."""
    view = memoryview(data)
    for start, end in line_blocks(data, block):
        try:
            codecs.utf_8_decode(view[start:end], "strict", True)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, start + exc.start) + 1
            raise R.refused(source, R.NOT_UTF8_AT, line=line) from None


def line_blocks(data: bytes, block: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` offsets of ``data`` in blocks of about ``block`` bytes, each ending
    just after a newline (the last at the end of ``data``)."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", min(start + max(block, 1), len(data)) - 1)
        end = len(data) if end < 0 else end + 1
        yield start, end
        start = end


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
                        OTHER_SEPARATOR % {"separator": name},
                        OTHER_SEPARATOR,
                        words={"separator": name},
                    )
                ],
            )


def _wrong_count(row: int, found: int, wanted: int) -> Problem:
    values = {"found": found, "wanted": wanted}
    return Problem(row, None, WRONG_COUNT % values, WRONG_COUNT, values)


def _ragged_rows(data: bytes, wanted: int, block: int) -> tuple[list[Problem], int]:
    """Commas per line, without building a string per line (a million rows in a blink), a
    block of whole lines at a time."""
    shown: list[Problem] = []
    total, lines = 0, 0
    for start, end in line_blocks(data, block):
        found, count, held = _ragged_block(data[start:end], wanted, lines)
        shown += found[: KEEP - len(shown)]
        total += count
        lines += held
    return shown, total


def _ragged_block(data: bytes, wanted: int, before: int) -> tuple[list[Problem], int, int]:
    """The rows of ``data`` (whole lines, ``before`` lines came first) whose cell count is
    not ``wanted``: the first few, their number, and the lines of the block."""
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == ord("\n"))
    if not len(ends) or ends[-1] != len(buf) - 1:
        ends = np.append(ends, len(buf))  # the last line, without a newline
    starts = np.concatenate(([0], ends[:-1] + 1))
    commas = np.bincount(
        np.searchsorted(ends, np.flatnonzero(buf == ord(","))), minlength=len(ends)
    )
    length = ends - starts
    carriage = np.zeros(len(ends), dtype=bool)
    carriage[length > 0] = buf[ends[length > 0] - 1] == ord("\r")
    blank = (length - carriage) == 0
    bad = np.flatnonzero((commas + 1 != wanted) & ~blank)
    shown = [_wrong_count(before + int(i) + 1, int(commas[i]) + 1, wanted) for i in bad[:KEEP]]
    return shown, len(bad), len(ends)


def _quoted(data: bytes, wanted: int) -> tuple[list[Problem], int]:
    """Cells per record through the ``csv`` module, the file decoded as it is read (not
    held as text beside its bytes)."""
    problems: list[Problem] = []
    total = 0
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    reader = csv.reader(text, strict=True)
    row = 0
    try:
        for row, record in enumerate(reader, start=1):
            if record and len(record) != wanted:
                total += 1
                if len(problems) < KEEP:
                    problems.append(_wrong_count(row, len(record), wanted))
    except csv.Error as exc:
        total += 1
        values: dict[str, object]
        if "unexpected end of data" in str(exc):
            message, values = NEVER_CLOSED, {}
        elif "field limit" in str(exc):
            message, values = TOO_LONG, {"limit": f"{csv.field_size_limit():,}"}
        else:
            message, values = MISPLACED, {"error": str(exc)}
        problems.append(Problem(row + 1, None, message % values, message, values))
    return problems, total
