"""The company-level CMRT/EMRT drafted from the smelter roll-up (issue #16).

The workbook is laid out as the supplier files are read (:mod:`esgledger.ingest.cmrt_rules`):
a Declaration with the company block and, per metal, questions 1 and 2 answered from the
suppliers' answers (Yes when a counted supplier declared the metal in use), and a Smelter
List with one row per rolled-up smelter. Questions 3-8 and A-H are the declarant's own
statements: they are left blank to be completed, never guessed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from esgledger.atomic import replacing
from esgledger.ingest.cmrt_templates import COMPANY_QUESTIONS, QUESTIONS, TEMPLATES
from esgledger.ledger.smelter_rollup import Rollup
from esgledger.spreadsheets import keep_text, storable

TITLES = {"CMRT": "Conflict Minerals Reporting Template (CMRT)",
          "EMRT": "Extended Minerals Reporting Template (EMRT)"}  # fmt: skip
SMELTER_HEADER = (
    "Metal (*)", "Smelter Look-up (*)", "Smelter Name (1)", "Smelter Country (*)",
    "Smelter Identification", "Source of Smelter Identification Number",
    "Suppliers declaring it", "Status (conformant-smelter list)",
)  # fmt: skip
BOLD = Font(bold=True)


def latest_version(template: str) -> str:
    versions = [v for k, v in TEMPLATES if k == template]
    return max(versions, key=lambda v: tuple(int(p) for p in v.split(".")))


def write_declaration(
    rollup: Rollup, out: Path, *, company: str, today: dt.date
) -> dict[str, object]:
    """Write the draft declaration to ``out`` (replaced atomically)."""
    version = latest_version(rollup.template)
    template = TEMPLATES[(rollup.template, version)]
    wb = Workbook()
    ws = wb.active
    ws.title = "Declaration"
    ws.cell(2, 2, f"{TITLES[rollup.template]} Revision {version}").font = BOLD
    fields = (("Company Name (*):", company), ("Declaration Scope or Class (*):", "A. Company"),
              ("Effective Date (*):", today.strftime("%d-%b-%Y")))  # fmt: skip
    for row, (label, value) in enumerate(fields, start=8):
        ws.cell(row, 2, label)
        ws.cell(row, 4, storable(value))
    row = 24
    for question in QUESTIONS:
        ws.cell(row, 2, f"{question})")
        row += 1
        for metal in template.metals:
            ws.cell(row, 3, metal.title())
            if question in ("1", "2"):
                ws.cell(row, 4, "Yes" if metal in rollup.in_use else "No")
            row += 1
    for letter in COMPANY_QUESTIONS:
        ws.cell(row, 2, f"{letter}.")
        row += 1
    smelters = wb.create_sheet("Smelter List")
    for column, text in enumerate(SMELTER_HEADER, start=1):
        smelters.cell(3, column, text).font = BOLD
    for r, s in enumerate(rollup.smelters, start=4):
        values = (s.metal.title(), s.name, s.name, s.country, s.smelter_id,
                  "supplier declarations", len(s.suppliers), s.status)  # fmt: skip
        for column, cell in enumerate(values, start=1):
            smelters.cell(r, column, storable(cell))
    with replacing(out) as tmp:
        keep_text(wb).save(tmp)
    return {"file": str(out), "template": rollup.template, "version": version,
            "smelters": len(rollup.smelters), "suppliers": len(rollup.declarations)}  # fmt: skip
