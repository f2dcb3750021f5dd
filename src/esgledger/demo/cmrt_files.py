"""Template-shaped CMRT/EMRT workbooks, written from data: no RMI file is shipped or read.

:func:`cmrt_file` writes a Declaration, a Smelter List and a Product List laid out as the
template lays them out (labels in column B, answers in D, per-metal rows with the metal in C,
smelter header on row 3). Every part can be overridden to break one rule at a time. The demo
writes its suppliers' files with it (:mod:`esgledger.demo.supplier_stage`), and the tests
and ``bench/cmrt.py`` build theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from esgledger.demo.xlsx_rows import plain, write_xlsx

CMRT_METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
SMELTER_HEADER = [
    "Smelter Identification Number Input Column", "Metal (*)", "Smelter Look-up (*)",
    "Smelter Name (1)", "Smelter Country (*)", "Smelter Identification",
    "Source of Smelter Identification Number", "Smelter Street", "Smelter City",
]  # fmt: skip


def company(**changes: Any) -> dict[str, Any]:
    """The company information block: label → answer."""
    fields: dict[str, Any] = {
        "Company Name (*):": "Pearl River Castings",
        "Declaration Scope or Class (*):": "A. Company",
        "Description of Scope:": "",
        "Company Unique ID:": "S001",
        "Address:": "Foshan",
        "Contact Name (*):": "Li Wei",
        "Email \u2013 Contact (*):": "li.wei@pearl.example",
        "Phone \u2013 Contact (*):": "+86 757 0000",
        "Authorizer (*):": "Chen Jing",
        "Title - Authorizer:": "CEO",
        "Email - Authorizer (*):": "chen.jing@pearl.example",
        "Phone - Authorizer (*):": "+86 757 0001",
        "Effective Date (*):": "15-Jan-2026",
    }
    fields.update(changes)
    return fields


def smelter(metal: str, cid: str, name: str, country: str = "CHINA", lookup: str = "") -> list[str]:
    return [cid, metal, lookup or name, name, country, cid, "RMI", "", ""]


@dataclass
class Cmrt:
    """What a test file holds; defaults give a valid CMRT 6.5 using tin and gold."""

    title: str = "Conflict Minerals Reporting Template (CMRT) Revision 6.5"
    fields: dict[str, Any] = field(default_factory=company)
    metals: tuple[str, ...] = CMRT_METALS
    in_use: tuple[str, ...] = ("Tin", "Gold")
    answers: dict[tuple[int, str], str] = field(default_factory=dict)  # (question, metal) → text
    company_answers: dict[str, tuple[str, str]] = field(default_factory=dict)  # letter → (a, c)
    smelters: list[list[str]] = field(
        default_factory=lambda: [
            smelter("Tin", "CID000001", "Alpha Tin"),
            smelter("Gold", "CID000002", "Beta Gold", "JAPAN"),
        ]
    )
    products: list[list[str]] = field(default_factory=list)
    sheets: tuple[str, ...] = ("Declaration", "Smelter List", "Product List")


def _answer(spec: Cmrt, question: int, metal: str) -> str:
    if (question, metal) in spec.answers:
        return spec.answers[(question, metal)]
    if question in (1, 2):
        return "Yes" if metal in spec.in_use else "No"
    return "No" if metal in spec.in_use else ""


class _Grid:
    """Cells set in any order, handed over row by row."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], Any] = {}

    def cell(self, row: int, column: int, value: Any) -> None:
        if value is not None:
            self.cells[(row, column)] = value

    def rows(self) -> list[list[Any]]:
        last_row = max((r for r, _ in self.cells), default=0)
        last_col = max((c for _, c in self.cells), default=0)
        return [
            [self.cells.get((r, c)) for c in range(1, last_col + 1)] for r in range(1, last_row + 1)
        ]


def cmrt_file(path: Path, spec: Cmrt | None = None) -> Path:
    """Write ``spec`` as an XLSX at ``path``: text and numbers by the small writer of
    :mod:`esgledger.demo.xlsx_rows` (a tenth of openpyxl's CPU, the demo writes hundreds),
    a file with dates, formulas or characters XML cannot carry by openpyxl."""
    sheets = sheets_of(spec or Cmrt())
    if all(plain(rows) for _, rows in sheets):
        return write_xlsx(path, sheets)
    return openpyxl_file(path, sheets)


def sheets_of(spec: Cmrt) -> list[tuple[str, list[list[Any]]]]:
    """The sheets ``spec`` lays out: name and rows, from A1."""
    sheets: list[tuple[str, list[list[Any]]]] = []
    if "Declaration" in spec.sheets:
        grid = _Grid()
        _declaration(grid, spec)
        sheets.append(("Declaration", grid.rows()))
    if "Smelter List" in spec.sheets:
        grid = _Grid()
        for col, text in enumerate(SMELTER_HEADER, start=1):
            grid.cell(3, col, text)
        for r, row in enumerate(spec.smelters, start=4):
            for col, text in enumerate(row, start=1):
                grid.cell(r, col, text or None)
        sheets.append(("Smelter List", grid.rows()))
    if "Product List" in spec.sheets:
        grid = _Grid()
        grid.cell(5, 2, "Manufacturer's Product Number")
        grid.cell(5, 3, "Manufacturer's Product Name")
        for r, row in enumerate(spec.products, start=6):
            for col, text in enumerate(row, start=2):
                grid.cell(r, col, text)
        sheets.append(("Product List", grid.rows()))
    return sheets


def openpyxl_file(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> Path:
    """``sheets`` written by openpyxl (write-only mode): any cell openpyxl takes."""
    wb = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


def _declaration(ws: _Grid, spec: Cmrt) -> None:
    ws.cell(2, 2, spec.title)
    row = 8
    for label, value in spec.fields.items():
        ws.cell(row, 2, label)
        if value not in ("", None):
            ws.cell(row, 4, value)
        row += 1
    row = 24
    for question in range(1, 9):
        ws.cell(row, 2, f"{question}) Question {question} of the template (*)")
        row += 1
        for metal in spec.metals:
            ws.cell(row, 3, metal)
            answer = _answer(spec, question, metal)
            if answer:
                ws.cell(row, 4, answer)
            row += 1
    for letter in "ABCDEFGH":
        ws.cell(row, 2, f"{letter}. Company question {letter} (*)")
        answer, comment = spec.company_answers.get(letter, ("No" if spec.in_use else "", ""))
        if answer:
            ws.cell(row, 4, answer)
        if comment:
            ws.cell(row, 5, comment)
        row += 1
