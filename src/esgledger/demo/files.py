"""Writing the demo's input files byte-for-byte reproducibly (CSV and XLSX).

An XLSX file is a zip archive whose entries carry the time they were written, and whose
``docProps/core.xml`` records creation and modification times; both are pinned here, so the
same rows always give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

FIXED_TIME = dt.datetime(2026, 1, 15, 9, 0, 0)  # the demo's "data frozen" moment
_ZIP_TIME = (2026, 1, 15, 9, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Mapping[str, str]]) -> Path:
    """UTF-8 CSV with ``\\n`` line ends; missing keys are written as empty cells."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(col, "") for col in header])
    return path


def _cell(column: str, text: str) -> object:
    """Typed cells, as a spreadsheet user would have them: numbers and dates, not text."""
    if not text:
        return None
    if column == "quantity":
        return float(text)
    if column in ("start", "end"):
        return dt.date.fromisoformat(text)
    return text


def write_xlsx(
    path: Path, sheet: str, header: Sequence[str], rows: Iterable[Mapping[str, str]]
) -> Path:
    """One sheet named ``sheet``; the file's bytes depend on the rows only."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append([_cell(col, row.get(col, "")) for col in header])
    for col, width in zip("ABCDEFGH", (10, 12, 12, 32, 14, 10, 12, 18), strict=False):
        ws.column_dimensions[col].width = width
    for cells in ws.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in cells:
            cell.number_format = "yyyy-mm-dd"
    wb.properties.creator = "esgledger demo"
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_pin_zip(buffer.getvalue()))
    return path


def _pin_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times and modification date (openpyxl stamps "now")."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            dst.writestr(pinned, content)
    return out.getvalue()


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """UTF-8 CSV of positional rows (a register export), as ``esg register`` reads it."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


@contextmanager
def stage_folder(out_dir: Path | None, name: str) -> Iterator[Path]:
    """Where a stage keeps the files it imports: ``<out>/<name>``, or a temporary folder
    when the demo is built into a given database (no demo folder to leave them in)."""
    if out_dir is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield Path(tmp)
        return
    folder = out_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
