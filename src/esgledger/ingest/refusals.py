"""The catalog messages of a file refused whole before any row is read (#19), shared by the
readers, so a page or an API client asking for Chinese gets the refusal in Chinese while the
CLI prints the English line it always did (:func:`refused`)."""

from __future__ import annotations

from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected
from esgledger.ingest.checker import refuse

NOT_FOUND = N_("file not found: %(path)s")
UNSUPPORTED = N_("unsupported file type %(suffix)r; use .csv, .xlsx or .parquet")
UNSUPPORTED_CMRT = N_("unsupported file type %(suffix)r; a CMRT or EMRT is .xlsx")
UNREADABLE = N_("cannot read the file: %(error)s")
EMPTY = N_("the file is empty")
NO_ROWS = N_("the file has a header but no data rows")
NOT_UTF8_AT = N_("not UTF-8 (bad byte at line %(line)s); save the file as UTF-8 CSV")
NOT_UTF8 = N_("not UTF-8; save the file as UTF-8 CSV")
NOT_CSV = N_("cannot read as CSV: %(error)s")
NOT_XLSX = N_("cannot read as XLSX: not a zip archive (is it an old .xls?)")
NOT_XLSX_BECAUSE = N_("cannot read as XLSX: %(error)s")
NOT_PARQUET = N_("cannot read as Parquet: %(error)s")
NO_SHEET = N_("no sheet %(sheet)r; the workbook has %(sheets)s")
SEVERAL_SHEETS = N_(
    "no sheet named %(kind)r and several sheets (%(sheets)s); name the sheet or pass --sheet"
)
SEVERAL_SHEETS_HIDDEN = N_(
    "no sheet named %(kind)r and several sheets (%(sheets)s; hidden: %(hidden)s); name the "
    "sheet or pass --sheet"
)
SHEET_UNREADABLE = N_("cannot read sheet %(sheet)r: %(error)s")
NOT_CMRT = N_("not a CMRT/EMRT: no sheet %(missing)s (the workbook has %(sheets)s)")
NOT_CMRT_EMPTY = N_("not a CMRT/EMRT: no sheet %(missing)s (the workbook has no sheets)")
TOO_MANY_ROWS = N_("sheet %(sheet)r has more than %(most)s rows")
TOO_LARGE = N_("the data is over %(limit)s MB once decoded, the limit; split the file")
ROW_CELLS = N_("row %(row)s has %(found)s cells, the header %(wanted)s")
ROW_LONG_CELL = N_("row %(row)s has a cell longer than %(most)s characters")


def refused(source: str, message: str, **values: object) -> ImportRejected:
    """The whole file refused for ``message``: its English line as the CLI prints it, and
    the message with its values for a reader of another language."""
    return refuse(source, message % values, message, **values)


def first_line(exc: BaseException) -> str:
    """A library's error as one line: its first, or its type where it says nothing."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
