"""The template's own rules, applied to a read CMRT/EMRT workbook (issue #16).

Each rule class is one function: the template and version, the company information, the
declaration scope, the per-metal questions, the company questions, the smelter rows, the
dates and the cell text. A rule yields problems naming sheet, row and column: an *error*
refuses the file (nothing is written), a *warning* is stored with the accepted declaration.
Where the template's Instructions and Checker disagree the Instructions win: questions 1 and
2 are required for every metal, 3-8 for a metal declared in use, and A-H once any metal is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from esgledger.catalog.messages import N_
from esgledger.errors import Problem
from esgledger.ingest.cmrt_templates import (
    COMPANY_FIELDS,
    COMPANY_QUESTIONS,
    DATE_TEXT,
    EMAIL_FIELDS,
    NEED_URL,
    NOT_IDENTIFIED,
    NOT_LISTED,
    PRODUCT_HEADER_ROWS,
    PRODUCT_NUMBER,
    QUESTIONS,
    REQUIRED_FIELDS,
    SCOPES,
    SMELTER_COLUMNS,
    SMELTER_HEADER_ROW,
    SMELTER_ID,
    TEMPLATES,
    TITLE,
    UNKNOWN_NAME,
    YES_NO,
    Template,
    normalise,
)
from esgledger.ingest.cmrt_workbook import (
    DECLARATION,
    PRODUCTS,
    SMELTERS,
    CmrtWorkbook,
    SheetCells,
)
from esgledger.ingest.xlsx_guard import column_letters

LABEL, METAL, ANSWER, COMMENT = 2, 3, 4, 5  # Declaration columns B, C, D, E
TITLE_ROWS = 6
MAX_TEXT = 200  # the longest company or smelter text stored
SMELTER_TEXT = {"name": MAX_TEXT, "country": 100, "source": MAX_TEXT}  # as the tables hold
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"https?://\S+", re.I)
QUESTION_LABEL = re.compile(r"^(\d)\)")
COMPANY_LABEL = re.compile(r"^([A-Z])\.\s")


@dataclass(frozen=True)
class Smelter:
    row: int
    metal: str
    smelter_id: str | None
    name: str
    country: str
    source: str


@dataclass
class Checked:
    """A template file's content and what its rules found."""

    template: Template | None = None
    fields: dict[str, str] = field(default_factory=dict)
    effective_on: dt.date | None = None
    scope: str = ""
    in_use: list[str] = field(default_factory=list)  # metals answered Yes to question 1 or 2
    smelters: list[Smelter] = field(default_factory=list)
    products: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(
        self, sheet: str, row: int | None, column: int | str, message: str, **values: object
    ) -> None:
        """An error: ``message`` (a catalog message) with its values, in English and named."""
        self.errors.append(Problem(row, _where(sheet, column), message % values, message, values))

    def warn(
        self, sheet: str, row: int | None, column: int | str, message: str, **values: object
    ) -> None:
        """A warning, as :meth:`error` words it."""
        self.warnings.append(Problem(row, _where(sheet, column), message % values, message, values))


def _where(sheet: str, column: int | str) -> str:
    return f"{sheet}!{column_letters(column) if isinstance(column, int) else column}"


def check(book: CmrtWorkbook, today: dt.date) -> Checked:
    """Every rule class over ``book``; ``today`` bounds the effective date."""
    out = Checked()
    declaration = book.sheets[DECLARATION]
    out.template = check_template(declaration, out)
    if out.template is None:
        return out
    labels = _labels(declaration)
    check_cell_text(book, out)
    check_company(declaration, labels, out)
    check_dates(declaration, labels, out, today)
    answers = _metal_answers(declaration, out.template, out)
    check_metal_questions(answers, out)
    check_company_questions(declaration, out)
    out.products = _product_rows(book.sheets.get(PRODUCTS))
    check_scope(declaration, labels, out)
    check_smelters(book.sheets[SMELTERS], out)
    return out


def check_template(sheet: SheetCells, out: Checked) -> Template | None:
    """The template and version named at the top of the Declaration sheet, if supported."""
    for (row, column), value in sorted(sheet.cells.items()):
        if row > TITLE_ROWS or not isinstance(value, str):
            continue
        match = TITLE.search(value)
        if match:
            kind, version = match.group(1).upper(), match.group(2)
            template = TEMPLATES.get((kind, version))
            if template is None:
                known = ", ".join(v for k, v in TEMPLATES if k == kind)
                out.error(
                    DECLARATION,
                    row,
                    column,
                    N_("%(kind)s version %(version)s is not supported (known: %(known)s)"),
                    kind=kind,
                    version=version,
                    known=known,
                )
            return template
    out.error(
        DECLARATION,
        None,
        "B1:B6",
        N_("no template title naming CMRT or EMRT and its revision in the first rows"),
    )
    return None


def _labels(sheet: SheetCells) -> dict[str, int]:
    """Row of each company field's label in column B, above the first question."""
    wanted = {normalise(label): name for name, label in COMPANY_FIELDS.items()}
    rows: dict[str, int] = {}
    for (row, column), value in sorted(sheet.cells.items()):
        if column != LABEL or not isinstance(value, str):
            continue
        if QUESTION_LABEL.match(value.strip()):
            break
        name = wanted.get(normalise(value))
        if name and name not in rows:
            rows[name] = row
    return rows


def check_company(sheet: SheetCells, labels: dict[str, int], out: Checked) -> None:
    """Required company fields present, e-mails well formed, contact and authorizer apart."""
    for name in COMPANY_FIELDS:
        row = labels.get(name)
        out.fields[name] = sheet.text(row, ANSWER) if row else ""
    for name in REQUIRED_FIELDS:
        if name not in labels:
            out.error(DECLARATION, None, "B", N_("no %(field)r field in the file"),
                      field=COMPANY_FIELDS[name])  # fmt: skip
        elif not out.fields[name]:
            out.error(DECLARATION, labels[name], ANSWER, N_("%(field)s is required"),
                      field=COMPANY_FIELDS[name])  # fmt: skip
    for name in EMAIL_FIELDS:
        value = out.fields[name]
        if value and not EMAIL.match(value):
            out.error(DECLARATION, labels[name], ANSWER, N_("%(cell)r is not an e-mail address"),
                      cell=value)  # fmt: skip
    if len(out.fields["company_name"]) > MAX_TEXT:
        out.error(DECLARATION, labels["company_name"], ANSWER,
                  N_("company name is longer than %(most)s characters"), most=MAX_TEXT)  # fmt: skip
    contact, authorizer = out.fields["contact_name"], out.fields["authorizer"]
    if contact and normalise(contact) == normalise(authorizer):
        out.warn(
            DECLARATION,
            labels["authorizer"],
            ANSWER,
            N_("the authorizer is the contact person; the template asks for two people"),
        )


def check_dates(sheet: SheetCells, labels: dict[str, int], out: Checked, today: dt.date) -> None:
    """The effective date as DD-MMM-YYYY (or a date cell), not in the future."""
    row = labels.get("effective_date")
    if row is None:
        return
    value = sheet.cells.get((row, ANSWER))
    if value is None or value == "":
        return
    day = _date(value)
    if day is None:
        out.error(
            DECLARATION,
            row,
            ANSWER,
            N_("effective date %(cell)r is not a date as DD-MMM-YYYY (e.g. 15-Jan-2026)"),
            cell=value,
        )
    elif day > today:
        out.error(DECLARATION, row, ANSWER, N_("effective date %(day)s is in the future"),
                  day=day.isoformat())  # fmt: skip
    else:
        out.effective_on = day


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not DATE_TEXT.match(text):
        return None
    try:
        return dt.datetime.strptime(text.title(), "%d-%b-%Y").date()
    except ValueError:
        return None


def check_cell_text(book: CmrtWorkbook, out: Checked) -> None:
    """No typed text starting with ``=`` or ``#``: a formula or an error, not an answer."""
    for name, sheet in book.sheets.items():
        for (row, column), value in sheet.cells.items():
            if isinstance(value, str) and value.startswith(("=", "#")):
                out.error(
                    name,
                    row,
                    column,
                    N_("the cell starts with %(start)r; type the answer as text"),
                    start=value[0],
                )


def check_scope(sheet: SheetCells, labels: dict[str, int], out: Checked) -> None:
    """A known scope; a product scope needs a Product List, a user scope its description."""
    value = out.fields.get("scope", "")
    if not value:
        return
    row = labels["scope"]
    scope = SCOPES.get(normalise(value))
    if scope is None:
        out.error(
            DECLARATION,
            row,
            ANSWER,
            N_(
                "declaration scope %(cell)r is not one of the template's (A. Company, B. Product "
                "(or List of Products), C. User defined)"
            ),
            cell=value,
        )
        return
    out.scope = scope
    if scope == "products" and out.products == 0:
        out.error(
            PRODUCTS,
            None,
            "A",
            N_("the scope is B. Product (or List of Products) but the Product List is empty"),
        )
    if scope == "user_defined" and not out.fields["scope_description"]:
        row = labels.get("scope_description", row)
        out.error(
            DECLARATION,
            row,
            ANSWER,
            N_("the scope is C. User defined but the description of scope is empty"),
        )


Answers = dict[str, dict[str, tuple[int, str]]]  # question → metal → (row, answer)


def _metal_answers(sheet: SheetCells, template: Template, out: Checked) -> Answers:
    """Each numbered question's answer per metal: the rows after its label, metal in column C."""
    answers: Answers = {}
    question = ""
    for (row, column), value in sorted(sheet.cells.items()):
        if not isinstance(value, str):
            continue
        if column == LABEL:
            match = QUESTION_LABEL.match(value.strip())
            question = match.group(1) if match else ""
            if COMPANY_LABEL.match(value.strip()):
                break
        elif column == METAL and question:
            metal = normalise(value)
            if metal in template.metals:
                answers.setdefault(question, {})[metal] = (row, sheet.text(row, ANSWER))
    return answers


def check_metal_questions(answers: Answers, out: Checked) -> None:
    """Questions 1-2 for every metal (Yes or No); 3-8 for each metal declared in use."""
    assert out.template is not None
    metals = out.template.metals
    asked = QUESTIONS if out.template.kind == "CMRT" else tuple(sorted(answers))
    for question in ("1", "2"):
        for metal in metals:
            row, answer = answers.get(question, {}).get(metal, (None, ""))
            if row is None:
                out.error(DECLARATION, None, "C", N_("question %(question)s: no row for %(metal)s"),
                          question=question, metal=metal)  # fmt: skip
            elif not answer:
                out.error(DECLARATION, row, ANSWER,
                          N_("question %(question)s for %(metal)s is required"),
                          question=question, metal=metal)  # fmt: skip
            elif normalise(answer) not in YES_NO:
                out.error(
                    DECLARATION,
                    row,
                    ANSWER,
                    N_("question %(question)s for %(metal)s: %(cell)r is not Yes or No"),
                    question=question,
                    metal=metal,
                    cell=answer,
                )
    out.in_use = [m for m in metals
                  if any(normalise(answers.get(q, {}).get(m, (0, ""))[1]) == "yes"
                         for q in ("1", "2"))]  # fmt: skip
    for metal in out.in_use:
        for question in (q for q in asked if q not in ("1", "2")):
            row, answer = answers.get(question, {}).get(metal, (None, ""))
            if not answer:
                out.error(
                    DECLARATION,
                    row,
                    ANSWER if row else "C",
                    N_(
                        "question %(question)s for %(metal)s is required: %(metal)s is declared "
                        "in use (question 1 or 2 is Yes)"
                    ),
                    question=question,
                    metal=metal,
                )
        row, answer = answers.get("3", {}).get(metal, (None, ""))
        if row and normalise(answer) == "yes":
            out.warn(
                DECLARATION,
                row,
                ANSWER,
                N_("high risk: %(metal)s may come from the covered countries (question 3)"),
                metal=metal,
            )


def check_company_questions(sheet: SheetCells, out: Checked) -> None:
    """A-H answered once any metal is in use; a Yes to A or B gives the policy's URL."""
    rows: dict[str, int] = {}
    for (at, column), value in sorted(sheet.cells.items()):
        if column == LABEL and isinstance(value, str):
            match = COMPANY_LABEL.match(value.strip())
            if match and match.group(1) in COMPANY_QUESTIONS:
                rows.setdefault(match.group(1), at)
    for letter in COMPANY_QUESTIONS:
        row = rows.get(letter)
        answer = sheet.text(row, ANSWER) if row else ""
        if out.in_use and not answer:
            out.error(
                DECLARATION,
                row,
                ANSWER if row else "B",
                N_("company question %(letter)s is required: a metal is declared in use"),
                letter=letter,
            )
        url = URL.search(sheet.text(row, COMMENT)) if row else None
        if row and letter in NEED_URL and normalise(answer) == "yes" and not url:
            out.error(
                DECLARATION,
                row,
                COMMENT,
                N_("company question %(letter)s is Yes: give the policy's URL in the comment"),
                letter=letter,
            )


def _product_rows(sheet: SheetCells | None) -> int:
    if sheet is None:
        return 0
    header = next(
        (
            row
            for (row, _c), v in sorted(sheet.cells.items())
            if row <= PRODUCT_HEADER_ROWS
            and isinstance(v, str)
            and normalise(v) == normalise(PRODUCT_NUMBER)
        ),
        None,
    )
    if header is None:
        return 0
    return len({row for (row, _c) in sheet.cells if row > header})


def check_smelters(sheet: SheetCells, out: Checked) -> None:
    """Smelter rows: a known metal, a well-formed id, a name and country when not listed,
    "Unknown" when not yet identified; each metal in use has at least one row."""
    columns = _smelter_columns(sheet, out)
    if columns is None:
        return
    assert out.template is not None
    metals = out.template.metals
    rows = sorted({row for (row, _c) in sheet.cells if row > SMELTER_HEADER_ROW})
    for row in rows:
        smelter = _smelter(sheet, row, columns, out, metals)
        if smelter is not None:
            out.smelters.append(smelter)
    listed = {normalise(sheet.text(row, columns["metal"])) for row in rows}
    for metal in out.in_use:
        if metal not in listed:
            out.error(
                SMELTERS,
                None,
                "metal",
                N_("%(metal)s is declared in use but the Smelter List has no %(metal)s row"),
                metal=metal,
            )


def _smelter_columns(sheet: SheetCells, out: Checked) -> dict[str, int] | None:
    found: dict[str, int] = {}
    wanted = {normalise(h): name for name, h in SMELTER_COLUMNS.items()}
    for (row, column), value in sheet.cells.items():
        if row == SMELTER_HEADER_ROW and isinstance(value, str):
            name = wanted.get(normalise(value))
            if name:
                found.setdefault(name, column)
    missing = [SMELTER_COLUMNS[n] for n in SMELTER_COLUMNS if n not in found]
    if missing:
        out.error(
            SMELTERS,
            SMELTER_HEADER_ROW,
            "header",
            N_("no column %(columns)s in the header row"),
            columns=", ".join(repr(m) for m in missing),
        )
        return None
    return found


def _smelter(
    sheet: SheetCells, row: int, columns: dict[str, int], out: Checked, metals: tuple[str, ...]
) -> Smelter | None:
    value = {name: sheet.text(row, column) for name, column in columns.items()}
    if not any(value[k] for k in ("metal", "lookup", "name", "smelter_id")):
        return None
    before = len(out.errors)
    metal = normalise(value["metal"])
    if metal not in metals:
        out.error(
            SMELTERS,
            row,
            columns["metal"],
            N_("metal %(cell)r is not one of %(choices)s"),
            cell=value["metal"],
            choices=", ".join(metals),
        )
    ident = value["smelter_id"].strip().upper()
    if ident and not SMELTER_ID.match(ident):
        out.error(
            SMELTERS,
            row,
            columns["smelter_id"],
            N_("smelter identification %(cell)r is not CID and 6 digits"),
            cell=value["smelter_id"],
        )
    for name, limit in SMELTER_TEXT.items():
        if len(value[name]) > limit:
            out.error(SMELTERS, row, columns[name],
                      N_("smelter %(field)s is longer than %(most)s characters"), field=name,
                      most=limit)  # fmt: skip
    lookup = normalise(value["lookup"])
    if lookup == NOT_LISTED:
        for name in ("name", "country"):
            if not value[name]:
                out.error(
                    SMELTERS,
                    row,
                    columns[name],
                    N_("smelter %(field)s is required for a smelter not listed"),
                    field=name,
                )
    elif lookup == NOT_IDENTIFIED and normalise(value["name"]) != UNKNOWN_NAME:
        out.error(
            SMELTERS,
            row,
            columns["name"],
            N_("a smelter not yet identified takes the name 'Unknown'"),
        )
    elif not ident and not value["name"]:
        out.error(
            SMELTERS,
            row,
            columns["smelter_id"],
            N_("the row names neither a smelter identification nor a smelter name"),
        )
    if len(out.errors) > before:
        return None
    return Smelter(row, metal, ident or None, value["name"], value["country"], value["source"])


def problems(checked: Checked) -> Iterator[Problem]:
    yield from checked.errors
