"""#12: the report workbook is built for analysts, read back here with openpyxl.

One long ``Data`` sheet (entity, metric, a column per breakdown dimension, year and value as
numbers, unit, qualifier, status, source, restated flag, decimals) as an Excel table with
filters under a frozen header, one row per key; numbers in number formats with the printed
precision and without binary noise; the report's own sheets with short unique names listed
on a Contents sheet; text typed by users never a formula.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from esgledger.disclose.report import AppendixRow, AppendixTable, ReportModel
from esgledger.disclose.sheet_names import sheet_names
from esgledger.disclose.workbook import write_xlsx
from tests.conftest import Cli
from tests.factories import ENTITIES, ENTITY_HEADER, write_csv

COMPANY = '=HYPERLINK("http://x.test","Example Group")'
KPI_HEADER = ["entity", "year", "metric", "value", "unit", "qualifier", "preliminary", "gender"]
KPIS = [
    ["GRP", 2023, "workforce.headcount", "1,000", "person", "", "", ""],
    ["GRP", 2024, "workforce.headcount", "1,200", "person", "approximately", "", ""],
    ["GRP", 2024, "workforce.headcount", "500", "person", "", "", "female"],
    ["GRP", 2024, "workforce.headcount", "700", "person", "", "yes", "male"],
    # The group's revenue is the sum of two entities': 0.1 + 0.2 = 0.30000000000000004
    ["WH1", 2024, "economy.revenue", "0.1", "RMB million", "", "", ""],
    ["VN1", 2024, "economy.revenue", "0.2", "RMB million", "", "", ""],
]
RESTATED = [["GRP", 2023, "workforce.headcount", "1,010", "person", "head count corrected"]]


@pytest.fixture
def workbook(cli: Cli, tmp_path: Path) -> Path:
    entities = [[r[0], COMPANY if r[0] == "GRP" else r[1], *r[2:]] for r in ENTITIES]
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entities)))
    cli("import", "kpis", str(write_csv(tmp_path / "k.csv", KPI_HEADER, KPIS)))
    header = ["entity", "year", "metric", "value", "unit", "restatement_reason"]
    cli("import", "kpis", str(write_csv(tmp_path / "r.csv", header, RESTATED)))
    out = tmp_path / "report"
    args = ["report", "--year", "2024", "--format", "xlsx", "--out", str(out), "--json"]
    return Path(json.loads(cli(*args, "--preview").stdout)["files"]["xlsx"])


def records(ws: Worksheet) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_the_data_sheet_gives_every_figure_once_as_numbers(workbook: Path) -> None:
    """Each database test renders a report (slow): one test reads all of the Data sheet."""
    wb = load_workbook(workbook)
    table_with_one_row_per_key(wb["Data"])
    figures_keep_breakdown_qualifier_status_and_restatement(records(wb["Data"]))
    numbers_have_the_printed_precision_without_float_noise(wb["Data"])


def table_with_one_row_per_key(ws: Worksheet) -> None:
    header = [c.value for c in ws[1]]
    assert header == [
        "Entity", "Boundary", "Metric id", "Metric", "Gender", "Year", "Value", "Unit",
        "Qualifier", "Status", "Source", "Restated", "Decimals", "Note",
    ]  # fmt: skip
    (table,) = ws.tables.values()
    assert table.ref == f"A1:N{ws.max_row}" and table.autoFilter is not None
    assert ws.freeze_panes == "A2"
    data = records(ws)
    keys = Counter((r["Entity"], r["Metric id"], r["Gender"], r["Year"]) for r in data)
    assert [k for k, n in keys.items() if n > 1] == []
    assert {type(r["Year"]) for r in data} == {int}
    assert {r["Year"] for r in data} == {2022, 2023, 2024}


def figures_keep_breakdown_qualifier_status_and_restatement(data: list[dict]) -> None:
    by = {(r["Metric id"], r["Gender"], r["Year"]): r for r in data}
    total = by["workforce.headcount", None, 2024]
    assert (total["Value"], total["Qualifier"], total["Status"]) == (1200, "≈", "reported")
    assert total["Entity"] == COMPANY and total["Unit"] == "Person"  # as printed
    male = by["workforce.headcount", "male", 2024]
    assert (male["Value"], male["Qualifier"]) == (700, "preliminary")
    restated = by["workforce.headcount", None, 2023]
    assert (restated["Value"], restated["Restated"]) == (1010, True)
    assert total["Restated"] is False
    missing = by["workforce.headcount", None, 2022]
    assert missing["Value"] is None and missing["Status"] == "not available"
    assert missing["Note"], "a figure that is not available says why"
    assert by["ghg.scope1", None, 2024]["Status"] == "not available"


def numbers_have_the_printed_precision_without_float_noise(ws: Worksheet) -> None:
    header = [c.value for c in ws[1]]
    value, decimals = header.index("Value"), header.index("Decimals")
    formats = {}
    for row in ws.iter_rows(min_row=2):
        if row[value].value is not None:
            assert isinstance(row[value].value, int | float)
            places = row[decimals].value
            assert row[value].number_format == "#,##0" + ("." + "0" * places if places else "")
            formats[row[2].value] = row[value].number_format
    assert formats["workforce.headcount"] == "#,##0"
    assert formats["economy.revenue"] == "#,##0.00"
    revenue = next(r for r in records(ws) if r["Metric id"] == "economy.revenue" and r["Value"])
    assert revenue["Value"] == 0.3  # not 0.30000000000000004


def test_report_sheets_have_short_unique_names_and_text_stays_text(workbook: Path) -> None:
    wb = load_workbook(workbook)
    names = wb.sheetnames
    assert names[:2] == ["Contents", "Data"]
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    contents = records(wb["Contents"])
    assert [c["Sheet"] for c in contents] == names[1:]
    assert all(c["Contents"] for c in contents)
    link = wb["Contents"]["A2"].hyperlink
    assert (link.location, link.target) == ("'Data'!A1", None)  # a link inside the file
    employment = next(n for n in names if n.startswith("KPI ") and "mploy" in n)
    rows = list(wb[employment].iter_rows())
    assert [c.value for c in rows[0][3:6]] == [2022, 2023, 2024]
    by_label = {r[1].value: r for r in rows[1:] if r[0].value == "workforce.headcount"}
    total, male = by_label["Worldwide workforce"], by_label["Worldwide workforce — male"]
    assert total[5].value == 1200 and total[5].number_format == '"≈"#,##0'
    assert male[5].value == 700 and male[5].number_format == '#,##0" (p)"'
    assert total[3].value == "—"  # 2022: not available, printed as the report prints it
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert wb["Data"]["A2"].value == COMPANY and wb["Data"]["A2"].data_type == "s"


def test_long_titles_get_short_names_that_never_collide() -> None:
    titles = [
        "KPI Cybersecurity and data protection",
        "KPI Cybersecurity and data protection, suppliers",
        "KPI Cybersecurity and data…",
        "kpi energy",
        "KPI Energy",
        "Index GRI: 2021 [core]",
        "History",
    ]
    names = sheet_names(titles)
    assert names == [
        "KPI Cybersecurity and data…",
        "KPI Cybersecurity and data… 2",
        "KPI Cybersecurity and data… 3",
        "kpi energy",
        "KPI Energy 2",
        "Index GRI 2021 core",
        "History 2",
    ]
    assert all(len(n) <= 31 for n in names)
    assert sheet_names(titles) == names  # the same titles always give the same names


def test_control_characters_typed_by_users_show_as_escapes(tmp_path: Path) -> None:
    """A bell or vertical tab in an entity name or a note cannot be stored in a workbook's
    XML: it is written as a visible ``\\x07``, never dropped and never a failed report."""
    figure = {
        "value": 5.0, "status": "reported", "qualifier": "exact", "preliminary": False,
        "source": "reported", "restated": False, "boundary": None, "note": "checked\x01twice",
    }  # fmt: skip
    series = {
        "years": [2024],
        "kpis": [
            {"metric": "workforce.headcount", "name": "Worldwide workforce", "dims": {},
             "unit": "person", "published_unit": "Person", "precision": 0,
             "figures": {"2024": figure}},
        ],
    }  # fmt: skip
    row = AppendixRow("workforce.headcount", "Worldwide\x0bworkforce", "Person", ["5"], [5.0],
                      [], "kpi-x")  # fmt: skip
    model = ReportModel(
        company="Bell\x07Group", year=2024, years=["2024"], generated="", series=series,
        appendix=[AppendixTable("employment", "Employment", [row])],
        footnotes=["tab\tand\nnewline stay; escape \x1b goes"], sections=[], charts={},
        boundaries=[], methods=[],
    )  # fmt: skip
    wb = load_workbook(write_xlsx(model, tmp_path / "r.xlsx"))
    data = records(wb["Data"])
    assert data[0]["Entity"] == "Bell\\x07Group" and data[0]["Note"] == "checked\\x01twice"
    assert wb["KPI Employment"]["B2"].value == "Worldwide\\x0bworkforce"
    assert wb["Notes"]["B2"].value == "tab\tand\nnewline stay; escape \\x1b goes"
