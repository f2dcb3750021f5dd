"""Reading a tabular file into a frame of string columns, refusing unreadable files whole."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from esgledger.errors import ImportRejected, Problem

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


def _refuse(source: str, reason: str) -> ImportRejected:
    return ImportRejected(source, [Problem(None, None, reason)])


def read_table(path: str | Path, *, sheet: str | None = None, kind: str = "data") -> Table:
    """Read ``path`` (CSV, XLSX or Parquet) as strings; header names are trimmed and lowered.

    ``sheet`` picks an XLSX sheet; without it a sheet named ``kind`` is used, or the only
    sheet. Raises :class:`ImportRejected` for a missing, empty, non-UTF-8 or unreadable file.
    """
    path = Path(path)
    source = path.name
    if not path.is_file():
        raise _refuse(source, f"file not found: {path}")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise _refuse(source, f"unsupported file type {path.suffix!r}; use .csv, .xlsx or .parquet")
    data = path.read_bytes()
    if not data.strip():
        raise _refuse(source, "the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "csv":
        frame = _read_csv(data, source)
    elif fmt == "xlsx":
        frame = _read_xlsx(data, source, sheet=sheet, kind=kind)
    else:
        frame = _read_parquet(data, source)
    frame = frame.rename({c: c.strip().lower() for c in frame.columns})
    if frame.height == 0:
        raise _refuse(source, "the file has a header but no data rows")
    return Table(frame=frame, source=source, sha256=digest)


def _read_csv(data: bytes, source: str) -> pl.DataFrame:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(
            source, f"not UTF-8 (bad byte at line {line}); save the file as UTF-8 CSV"
        ) from None
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise _refuse(source, f"cannot read as CSV: {first}") from None
    return frame.with_columns(pl.all().fill_null(""))


def _read_xlsx(data: bytes, source: str, *, sheet: str | None, kind: str) -> pl.DataFrame:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises its own error types for corrupt files
        raise _refuse(source, f"cannot read as XLSX: {exc}") from None
    names = reader.sheet_names
    if sheet is not None:
        if sheet not in names:
            raise _refuse(source, f"no sheet {sheet!r}; the workbook has {', '.join(names)}")
        chosen = sheet
    elif kind in names:
        chosen = kind
    elif len(names) == 1:
        chosen = names[0]
    else:
        raise _refuse(
            source,
            f"no sheet named {kind!r} and several sheets ({', '.join(names)}); "
            "name the sheet or pass --sheet",
        )
    try:
        sheet_data = reader.load_sheet(chosen, dtypes="string", whitespace_as_null=False)
        frame = pl.from_arrow(sheet_data.to_arrow())
    except Exception as exc:
        raise _refuse(source, f"cannot read sheet {chosen!r}: {exc}") from None
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.all().cast(pl.Utf8).fill_null(""))


def _read_parquet(data: bytes, source: str) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _refuse(source, f"cannot read as Parquet: {exc}") from None
    return frame.with_columns(pl.all().cast(pl.Utf8).fill_null(""))
