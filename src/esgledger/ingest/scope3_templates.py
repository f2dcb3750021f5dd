"""XLSX templates of the Scope 3 intake formats, for whoever keeps the ledger or the log.

The ``activities`` sheet holds only the header (it imports as is with ``esg import
activities``, which picks the sheet named ``activities``), with drop-downs for the closed
columns; the ``columns`` sheet says per column whether it is required, what it means, its
allowed values and an example; the ``values`` sheet lists the allowed and known values
(the vehicle classes of the shipped factors). The example row sits in ``columns``, never in
the data sheet, so a template imported unfilled stores nothing made up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from esgledger.atomic import replacing
from esgledger.errors import InvalidInput
from esgledger.ingest.scope3_formats import FORMATS, format_columns
from esgledger.spreadsheets import keep_text

ROWS = 10_000  # rows the drop-downs cover
BOLD = Font(bold=True)


def write_scope3_template(kind: str, out: Path) -> dict[str, Any]:
    """Write the template of format ``kind`` (purchases, travel, freight) to ``out``."""
    fmt = FORMATS.get(kind)
    if fmt is None:
        raise InvalidInput(f"unknown format {kind!r}; use one of {', '.join(FORMATS)}")
    columns = format_columns(fmt)
    wb = Workbook()
    data = wb.active
    assert data is not None
    data.title = "activities"
    data.append([c.name for c in columns])
    guide = wb.create_sheet("columns")
    guide.append(["column", "required", "meaning", "allowed values", "example"])
    for column, example in zip(columns, fmt.example, strict=True):
        listed = column.allowed or column.examples
        allowed = ", ".join(listed[:8]) + (" … (see sheet values)" if len(listed) > 8 else "")
        guide.append([column.name, "yes" if column.required else "no", column.meaning,
                      allowed, example])  # fmt: skip
    values = wb.create_sheet("values")
    for i, column in enumerate(c for c in columns if c.allowed or c.examples):
        letter = get_column_letter(i + 1)
        listed = column.allowed or column.examples
        values.cell(1, i + 1, column.name).font = BOLD
        for r, value in enumerate(listed, start=2):
            values.cell(r, i + 1, value)
        if column.allowed:
            target = get_column_letter([c.name for c in columns].index(column.name) + 1)
            rule = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(values.title)}!${letter}$2:${letter}${len(listed) + 1}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=column.name,
                error=f"{column.name}: pick one of the listed values",
            )
            rule.add(f"{target}2:{target}{ROWS + 1}")
            data.add_data_validation(rule)
    for sheet in (data, guide):
        for cell in sheet[1]:
            cell.font = BOLD
    with replacing(out) as tmp:
        keep_text(wb).save(tmp)
    return {"format": kind, "title": fmt.title, "file": str(out), "columns": len(columns)}
