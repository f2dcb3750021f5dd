"""Reading a tabular file into a frame of string columns, refusing unreadable files whole.

Every format goes the same way: the raw cells as text, the header row checked by
:func:`~esgledger.ingest.headers.apply_header`, then a limit on the length of any cell.
CSV structure is checked by :mod:`~esgledger.ingest.csv_structure`, an XLSX is inspected by
:mod:`~esgledger.ingest.xlsx_guard` before it is loaded, and Parquet is read in bounded
batches by :mod:`~esgledger.ingest.parquet_file`.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from esgledger.errors import ImportRejected, Problem
from esgledger.faults import fault_point
from esgledger.ingest import refusals as R
from esgledger.ingest import xlsx_guard
from esgledger.ingest.checker import KEEP
from esgledger.ingest.csv_structure import check_structure, check_utf8
from esgledger.ingest.headers import apply_header
from esgledger.ingest.parquet_file import read_parquet
from esgledger.ingest.xlsx_guard import MAX_CELL_CHARS, SheetEntry, too_long_cell

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}


@dataclass(frozen=True)
class Table:
    """A file's rows as strings, with where they came from."""

    frame: pl.DataFrame
    source: str  # the file name shown in messages
    sha256: str

    @property
    def height(self) -> int:
        return self.frame.height


def read_table(path: str | Path, *, sheet: str | None = None, kind: str = "data") -> Table:
    """Read ``path`` (CSV, XLSX or Parquet) as strings; header names are trimmed and lowered.

    ``sheet`` picks an XLSX sheet; without it a visible sheet named ``kind`` is used, or the
    only visible sheet. Raises :class:`ImportRejected` for a missing, empty, non-UTF-8,
    malformed or oversized file, with the row and column where there is one.
    """
    path = Path(path)
    source = path.name
    if not path.is_file():
        raise R.refused(source, R.NOT_FOUND, path=str(path))
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise R.refused(source, R.UNSUPPORTED, suffix=path.suffix)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise R.refused(source, R.UNREADABLE, error=exc.strerror) from None
    if not data.strip():
        raise R.refused(source, R.EMPTY)
    digest = hashlib.sha256(data).hexdigest()
    fault_point("ingest.parse")
    if fmt == "csv":
        names, frame = _read_csv(data, source)
    elif fmt == "xlsx":
        names, frame = _read_xlsx(data, source, sheet=sheet, kind=kind)
    else:
        names, frame = read_parquet(data, source)
    if not names:
        raise R.refused(source, R.EMPTY)
    frame = apply_header(names, frame, source)
    if frame.height == 0:
        raise R.refused(source, R.NO_ROWS)
    _refuse_long_cells(frame, source)
    return Table(frame=frame, source=source, sha256=digest)


def _split_header(frame: pl.DataFrame) -> tuple[list[str], pl.DataFrame]:
    """The first row as the column names, the rest as the data."""
    if frame.height == 0:
        return [], frame
    names = ["" if v is None else str(v) for v in frame.row(0)]
    return names, frame.slice(1)


def _refuse_long_cells(frame: pl.DataFrame, source: str) -> None:
    """No cell longer than an Excel cell may be: a 200 MB string is an attack, not data."""
    problems: list[Problem] = []
    total = 0
    for column in frame.columns:
        too_long = frame.select(pl.col(column).str.len_chars() > MAX_CELL_CHARS).to_series()
        hits = too_long.arg_true()
        total += len(hits)
        for index in hits.head(KEEP).to_list():
            problems.append(too_long_cell(index + 2, column))
    if total:
        raise ImportRejected(source, problems, total)


def _read_csv(data: bytes, source: str) -> tuple[list[str], pl.DataFrame]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    check_utf8(data, source)
    check_structure(data, source)
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise R.refused(source, R.NOT_CSV, error=R.first_line(exc)) from None
    return _split_header(frame.with_columns(pl.all().fill_null("")))


def _choose_sheet(
    sheets: list[SheetEntry], source: str, *, sheet: str | None, kind: str
) -> SheetEntry:
    """The named sheet; else the visible sheet named after the data, or the only visible one.
    A hidden sheet is read only when named with ``--sheet``."""
    names = [s.name for s in sheets]
    if sheet is not None:
        chosen = next((s for s in sheets if s.name == sheet), None)
        if chosen is None:
            raise R.refused(source, R.NO_SHEET, sheet=sheet, sheets=", ".join(names))
        return chosen
    visible = [s for s in sheets if s.visible]
    hidden = [s.name for s in sheets if not s.visible]
    named = next((s for s in visible if s.name == kind), None)
    if named is not None:
        return named
    if len(visible) == 1 and kind not in hidden:
        return visible[0]
    shown = ", ".join(s.name for s in visible)
    if hidden:
        raise R.refused(source, R.SEVERAL_SHEETS_HIDDEN, kind=kind, sheets=shown,
                        hidden=", ".join(hidden))  # fmt: skip
    raise R.refused(source, R.SEVERAL_SHEETS, kind=kind, sheets=shown)


def _inspect_xlsx(
    data: bytes, source: str, *, sheet: str | None, kind: str
) -> tuple[SheetEntry, xlsx_guard.SheetScan]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = xlsx_guard.list_parts(zf)
            chosen = _choose_sheet(parts.sheets, source, sheet=sheet, kind=kind)
            xlsx_guard.check_shared_strings(zf, parts.shared_strings)
            return chosen, xlsx_guard.scan_sheet(zf, chosen.part)
    except zipfile.BadZipFile:
        raise R.refused(source, R.NOT_XLSX) from None
    except xlsx_guard.Refused as exc:
        raise exc.rejected(source) from None


def checked_sheet(path: Path, source: str, *, sheet: str | None, kind: str) -> SheetEntry:
    """The sheet a workbook at ``path`` is read from, after the same guards as
    :func:`read_table` (archive limits, shared strings, the sheet's size), streaming from the
    file; its error cells and unsaved formulas refuse it, named by row and column."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = xlsx_guard.list_parts(zf)
            chosen = _choose_sheet(parts.sheets, source, sheet=sheet, kind=kind)
            xlsx_guard.check_shared_strings(zf, parts.shared_strings)
            scan = xlsx_guard.scan_sheet(zf, chosen.part)
    except zipfile.BadZipFile:
        raise R.refused(source, R.NOT_XLSX) from None
    except xlsx_guard.Refused as exc:
        raise exc.rejected(source) from None
    if scan.issue_total:
        names = [f"column {xlsx_guard.column_letters(i.column)}" for i in scan.issues]
        problems = [
            Problem(i.row, n, i.reason, i.message_id, i.values)
            for i, n in zip(scan.issues, names, strict=True)
        ]
        raise ImportRejected(source, problems, scan.issue_total)
    return chosen


def _read_xlsx(
    data: bytes, source: str, *, sheet: str | None, kind: str
) -> tuple[list[str], pl.DataFrame]:
    import fastexcel

    chosen, scan = _inspect_xlsx(data, source, sheet=sheet, kind=kind)
    try:
        reader = fastexcel.read_excel(data)
        sheet_data = reader.load_sheet(
            chosen.name, header_row=None, dtypes="string", whitespace_as_null=False
        )
        frame = pl.from_arrow(sheet_data.to_arrow())
    except Exception as exc:  # fastexcel raises its own error types for corrupt files
        raise R.refused(
            source, R.SHEET_UNREADABLE, sheet=chosen.name, error=R.first_line(exc)
        ) from None
    assert isinstance(frame, pl.DataFrame)
    names, rows = _split_header(frame.with_columns(pl.all().cast(pl.Utf8).fill_null("")))
    if scan.issue_total:
        raise ImportRejected(source, _cell_problems(scan, names), scan.issue_total)
    return names, rows


def _cell_problems(scan: xlsx_guard.SheetScan, names: list[str]) -> list[Problem]:
    """Error cells and unsaved formulas, named by row and the header of their column."""
    out = []
    for issue in scan.issues:
        index = issue.column - 1
        name = names[index].strip().lower() if index < len(names) else ""
        column = name or f"column {xlsx_guard.column_letters(issue.column)}"
        out.append(Problem(issue.row, column, issue.reason, issue.message_id, issue.values))
    return out
