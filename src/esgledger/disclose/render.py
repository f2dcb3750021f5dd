"""Renderers: one self-contained HTML file, a PDF of the same HTML, and an XLSX workbook.

The workbook is byte-reproducible: its document times and its zip members' times are the
``document_time`` given (the time of the ledger state the report shows), never the clock,
so anyone can render the same ledger again and check a published SHA-256.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from esgledger.disclose.report import ReportModel
from esgledger.spreadsheets import keep_text

FORMATS = ("html", "pdf", "xlsx")


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("esgledger.disclose", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def render_html(model: ReportModel) -> str:
    return _environment().get_template("report.html.j2").render(m=model)


def write_html(model: ReportModel, path: Path) -> Path:
    path.write_text(render_html(model), encoding="utf-8")
    return path


PDF_VARIANT = "pdf/ua-1"  # tagged for screen readers; title, author and language from <head>


def write_pdf(model: ReportModel, path: Path, html: str | None = None) -> Path:
    """The PDF is the same HTML through WeasyPrint: one source for both, tagged as PDF/UA."""
    from weasyprint import HTML

    HTML(string=html or render_html(model), base_url=str(path.parent)).write_pdf(
        str(path), pdf_variant=PDF_VARIANT
    )
    return path


HEADER_FILL = PatternFill("solid", fgColor="0F5C4D")


def _sheet_title(text: str, taken: set[str]) -> str:
    title = "".join(ch for ch in text if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = title, 2
    while title in taken:
        title = f"{base[:28]} {n}"
        n += 1
    taken.add(title)
    return title


def _header(ws, cells: list[str]) -> None:  # type: ignore[no-untyped-def]
    ws.append(cells)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")


ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip member can carry


def save_reproducibly(wb: Workbook, path: Path, document_time: dt.datetime | None) -> None:
    """Save with fixed times: openpyxl stamps ``modified`` and every member with the clock."""
    when = max((document_time or ZIP_EPOCH).replace(tzinfo=None, microsecond=0), ZIP_EPOCH)
    wb.properties.created = wb.properties.modified = when
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with (
        zipfile.ZipFile(buffer) as packed,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for member in packed.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, packed.read(member))


def write_xlsx(model: ReportModel, path: Path, document_time: dt.datetime | None = None) -> Path:
    """One sheet per appendix table and one per content index, values as numbers."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for table in model.appendix:
        ws = wb.create_sheet(_sheet_title(f"KPI {table.title}", taken))
        _header(ws, ["Metric id", "Indicator", "Unit", *model.years, "Notes"])
        for row in table.rows:
            ws.append([row.metric, row.label, row.unit, *row.values, ", ".join(row.marks)])
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 56
        for i in range(len(model.years)):
            ws.column_dimensions[get_column_letter(4 + i)].width = 16
        ws.freeze_panes = "D2"
    notes = wb.create_sheet(_sheet_title("Notes", taken))
    _header(notes, ["No.", "Note"])
    for i, text in enumerate(model.footnotes, start=1):
        notes.append([i, text])
    notes.column_dimensions["B"].width = 120
    for idx in model.indices:
        ws = wb.create_sheet(_sheet_title(f"Index {idx['title']}", taken))
        _header(ws, ["Disclosure", "Title", "Where answered", "Omission"])
        for e in idx["entries"]:
            ws.append(
                [
                    e["code"],
                    e["title"],
                    "; ".join(r["label"] for r in e["refs"]),
                    e.get("omission") or "",
                ]
            )
        ws.column_dimensions["B"].width = 60
        ws.column_dimensions["C"].width = 60
    save_reproducibly(keep_text(wb), path, document_time)
    return path


def write_report(
    model: ReportModel,
    out: Path,
    formats: list[str],
    *,
    document_time: dt.datetime | None = None,
) -> dict[str, str]:
    """Write the asked formats into ``out``; returns format → file path."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"esg-report-{model.year}"
    written: dict[str, str] = {}
    html = render_html(model)
    if "html" in formats:
        (out / f"{stem}.html").write_text(html, encoding="utf-8")
        written["html"] = str(out / f"{stem}.html")
    if "pdf" in formats:
        written["pdf"] = str(write_pdf(model, out / f"{stem}.pdf", html))
    if "xlsx" in formats:
        written["xlsx"] = str(write_xlsx(model, out / f"{stem}.xlsx", document_time))
    return written
