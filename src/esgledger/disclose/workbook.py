"""The report as a workbook for analysts: a long ``Data`` table plus the report's own tables.

Sheets, in order: ``Contents`` (every sheet's name, full title and rows), ``Data`` (one
row per figure, an Excel table with filters and a frozen header, see
:mod:`esgledger.disclose.workbook_rows`), one sheet per appendix table, ``Notes`` and one
sheet per content index. Years and values are numbers; each value shows as the report
prints it through its number format (``#,##0.00``, ``"≈"#,##0``, ``#,##0.0" (p)"``), so
the cell keeps the number while the reader sees the printed precision and qualifier.

The workbook is byte-reproducible: its document times and its zip members' times are the
``document_time`` given (the time of the ledger state the report shows), never the clock,
so anyone can render the same ledger again and check a published SHA-256. Text typed by
users never becomes a formula (:func:`esgledger.spreadsheets.keep_text`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from esgledger.catalog.messages import N_, translate
from esgledger.disclose.headings import index_code
from esgledger.disclose.report import AppendixTable, ReportModel
from esgledger.disclose.sheet_names import sheet_names
from esgledger.disclose.workbook_rows import DataSheet, clean_number, data_sheet
from esgledger.spreadsheets import keep_text, storable

HEADER_FILL = PatternFill("solid", fgColor="0F5C4D")
ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip member can carry
PRINTED = re.compile(r"(?P<sign>[≈>≤]?)-?[\d,]+(?:\.(?P<decimals>\d+))?(?P<p> \(p\))?")


def number_format(decimals: int, sign: str = "", suffix: str = "") -> str:
    """``#,##0.00`` for 2 decimals, with a printed sign or suffix as literal text."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return (f'"{sign}"' if sign else "") + body + (f'"{suffix}"' if suffix else "")


def printed_format(printed: str) -> str:
    """The number format that shows a value as the report printed it (``≈1,234.5 (p)``)."""
    match = PRINTED.fullmatch(printed)
    if match is None:
        return "General"
    return number_format(len(match["decimals"] or ""), match["sign"], " (p)" if match["p"] else "")


def _put(ws: Worksheet, row: int, values: list[Any]) -> list[Cell]:
    """Row ``row`` of cells (numbered by the caller: ``ws.max_row`` counts every cell each
    time); typed text a workbook cannot hold shows as ``\\xNN``."""
    return [ws.cell(row, column, storable(v)) for column, v in enumerate(values, start=1)]


def _header(ws: Worksheet, cells: list[str]) -> None:
    for cell in _put(ws, 1, cells):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")


def _widths(ws: Worksheet, widths: dict[int, float]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def _data(ws: Worksheet, sheet: DataSheet) -> None:
    """The long table: an Excel table (filters, banded rows) under a frozen header."""
    _put(ws, 1, sheet.header)
    for number, row in enumerate(sheet.rows, start=2):
        cells = _put(ws, number, row)
        cells[sheet.value_column].number_format = number_format(row[sheet.decimals_column])
    last = get_column_letter(len(sheet.header))
    bottom = max(2, len(sheet.rows) + 1)  # a table needs a row under its header
    table = Table(displayName="Figures", ref=f"A1:{last}{bottom}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    _widths(ws, {i + 1: max(10, len(h) + 4) for i, h in enumerate(sheet.header)})
    _widths(ws, {1: 28, 3: 34, 4: 48, len(sheet.header): 60})


def _words(lang: str, *messages: str) -> list[str]:
    return [translate(m, lang) for m in messages]


def _appendix(ws: Worksheet, table: AppendixTable, years: list[int], lang: str) -> None:
    metric_id, indicator, unit, notes = _words(
        lang, N_("Metric id"), N_("Indicator"), N_("Unit"), N_("Notes")
    )
    _header(ws, [metric_id, indicator, unit, *years, notes])
    for number, row in enumerate(table.rows, start=2):
        values: list[Any] = [row.metric, row.label, row.unit]
        formats = []
        for printed, value in zip(row.cells, row.values, strict=True):
            figure = clean_number(value)
            values.append(printed if figure is None else figure)
            formats.append(None if figure is None else printed_format(printed))
        cells = _put(ws, number, [*values, ", ".join(row.marks)])
        for cell, fmt in zip(cells[3:], formats, strict=False):
            if fmt is not None:
                cell.number_format = fmt
    _widths(ws, {1: 34, 2: 56} | {4 + i: 16 for i in range(len(years))})
    ws.freeze_panes = "D2"


def _notes(ws: Worksheet, footnotes: list[str], lang: str) -> None:
    _header(ws, _words(lang, N_("No."), N_("Note")))
    for i, text in enumerate(footnotes, start=1):
        # an edition's note is markup where it quotes entered text: the cell takes its words
        _put(ws, i + 1, [i, text.striptags() if isinstance(text, Markup) else text])
    _widths(ws, {2: 120})


def _index(ws: Worksheet, index: dict[str, Any], lang: str) -> None:
    """An index as rows. The first column is the disclosure's id in every edition (scripts
    read it); another edition adds the code as its report prints it beside it (an SZSE
    topic's Chinese name, 治理 for its governance element), as the HTML and PDF show it."""
    printed = [] if lang == "en" else [N_("Printed as")]
    _header(
        ws,
        _words(lang, N_("Disclosure"), *printed, N_("Title"), N_("Where answered"), N_("Omission")),
    )
    fid = str(index.get("framework") or "")
    for number, e in enumerate(index["entries"], start=2):
        refs = translate("; ", lang).join(r["label"] for r in e.get("refs", []))
        shown = [] if lang == "en" else [index_code(e["code"], e["kind"], fid, e["title"], lang)]
        _put(ws, number, [e["code"], *shown, e["title"], refs, e.get("omission") or ""])
    _widths(ws, {2: 60, 3: 60, 4: 60} if lang == "en" else {2: 30, 3: 60, 4: 60, 5: 60})
    ws.freeze_panes = "A2"


def _contents(ws: Worksheet, listed: list[tuple[str, str, int]], lang: str) -> None:
    """Each sheet's short name (a link to it), its full title and how many rows it holds."""
    _header(ws, _words(lang, N_("Sheet"), N_("Contents"), N_("Rows")))
    for number, (name, title, rows) in enumerate(listed, start=2):
        link, quoted = _put(ws, number, [name, title, rows])[0], name.replace("'", "''")
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1")
    _widths(ws, {1: 34, 2: 90, 3: 10})
    ws.freeze_panes = "A2"


class Part(NamedTuple):
    """A sheet to write: the name it would like, its full title, rows, and what fills it."""

    wanted: str
    title: str
    rows: int
    fill: Callable[[Worksheet], None]


def _parts(model: ReportModel, lang: str) -> list[Part]:
    """The sheets in ``lang``. The Data sheet is the analysts' long table: the same rows and
    ids in both editions, its column names and worded codes in ``lang`` (#19)."""
    years = [int(y) for y in model.years]
    figures = data_sheet(model.company, model.series, lang)
    _ = partial(translate, lang=lang)
    data = _("Every figure of the %(year)s report, one row each") % {"year": model.year}
    return [
        Part(_("Data"), data, len(figures.rows), partial(_data, sheet=figures)),
        *(
            Part(_("KPI %(title)s") % {"title": t.title},
                 _("KPI appendix: %(title)s") % {"title": t.title}, len(t.rows),
                 partial(_appendix, table=t, years=years, lang=lang))
            for t in model.appendix
        ),
        Part(_("Notes"), _("Notes to the KPI appendix"), len(model.footnotes),
             partial(_notes, footnotes=model.footnotes, lang=lang)),
        *(
            Part(_("Index %(framework)s") % {"framework": i.get("framework") or i["title"]},
                 _("Content index: %(title)s") % {"title": i["title"]},
                 len(i["entries"]), partial(_index, index=i, lang=lang))
            for i in model.indices
        ),
    ]  # fmt: skip


def write_xlsx(
    model: ReportModel, path: Path, document_time: dt.datetime | None = None, lang: str = "en"
) -> Path:
    """Contents, the long Data table, one sheet per appendix table, notes and indices."""
    parts = _parts(model, lang)
    contents, *names = sheet_names([translate("Contents", lang), *(p.wanted for p in parts)])
    wb = Workbook()
    wb.remove(wb.active)
    title = translate("%(company)s: ESG report %(year)s", lang)
    wb.properties.title = str(storable(title % {"company": model.company, "year": model.year}))
    listed = [(name, p.title, p.rows) for name, p in zip(names, parts, strict=True)]
    _contents(wb.create_sheet(contents), listed, lang)
    for name, part in zip(names, parts, strict=True):
        part.fill(wb.create_sheet(name))
    save_reproducibly(keep_text(wb), path, document_time)
    return path


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
