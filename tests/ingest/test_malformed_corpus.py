"""Issue #13 acceptance: a generated corpus of malformed files, run through the real ``esg``.

Every file is either refused — exit code 2, one line per problem naming the file, row and
column, nothing written (the workspace's state before and after is equal:
:mod:`tests.ingest.unchanged`) — or
accepted as docs/file-formats.md says. No traceback, no raw control character, ever.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, write_csv, write_xlsx
from tests.ingest.unchanged import state

ACT = ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "5", "t"]
KPI_HEADER = ["entity", "year", "metric", "value", "unit"]
KPI = ["GRP", "2024", "workforce.headcount", "10", "person"]
ENT_HEADER = ["id", "name", "parent", "country", "subdivision"]
ENT = ["NEW1", "New site", "GRP", "CN", "CN-GD"]
FILES = {"activities": "act", "kpis": "kpi", "entities": "ent"}
Build = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    """One file: what it is, and either the problem it must be refused for or None."""

    id: str
    kind: str  # activities, kpis or entities
    build: Build
    where: str | None  # "row 3, column 'start'", "row 1" or "" (whole file); None: accepted
    reason: str = ""


def write_parquet(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    columns = {h: [str(r[i]) for r in rows] for i, h in enumerate(header)}
    pl.DataFrame(columns, schema=dict.fromkeys(header, pl.Utf8)).write_parquet(path)
    return path


def table_file(fmt: str, kind: str, header: Sequence[str], rows: list[list[object]]) -> Build:
    def build(folder: Path) -> Path:
        path = folder / f"{FILES[kind]}.{fmt}"
        if fmt == "csv":
            return write_csv(path, header, rows)
        if fmt == "xlsx":
            return write_xlsx(path, {kind: (header, rows)})
        return write_parquet(path, header, rows)

    return build


def raw_file(name: str, data: bytes) -> Build:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def patched_xlsx(name: str, kind: str, rows: list[list[object]], patch: Callable[[bytes], bytes],
                 header: Sequence[str] = ACTIVITY_HEADER) -> Build:  # fmt: skip
    """An openpyxl workbook whose first sheet's XML is rewritten by ``patch``."""

    def build(folder: Path) -> Path:
        plain = write_xlsx(folder / f"plain-{name}", {kind: (header, rows)})
        out = io.BytesIO()
        with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = patch(data)
                dst.writestr(info, data)
        path = folder / name
        path.write_bytes(out.getvalue())
        return path

    return build


def replace_cell(ref: str, xml: str) -> Callable[[bytes], bytes]:
    """Swap the cell at ``ref`` (as openpyxl wrote it) for ``xml``."""

    def patch(data: bytes) -> bytes:
        start = data.index(f'<c r="{ref}"'.encode())
        end = data.index(b"</c>", start) + 4
        return data[:start] + xml.encode() + data[end:]

    return patch


def append_row(xml: str) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</sheetData>", xml.encode() + b"</sheetData>")


# --- row-level mutations, each written as CSV, XLSX and Parquet ------------------------

ACTIVITY_MUTATIONS: list[tuple[str, dict[str, str], str | None, str]] = [
    ("date-trailing-junk", {"start": "2024-01-01xyz"}, "start", "'2024-01-01xyz' is not a date"),
    ("date-extra-digits", {"end": "2024-01-3100"}, "end", "'2024-01-3100' is not a date"),
    ("date-time-of-day", {"start": "2024-01-01T12:30"}, "start", "has a time of day"),
    ("date-time-seconds", {"end": "2024-01-31 23:59:59"}, "end", "has a time of day"),
    ("date-day-first", {"start": "01/01/2024"}, "start", "'01/01/2024' is not a date"),
    ("date-feb-30", {"end": "2024-02-30"}, "end", "'2024-02-30' is not a date"),
    ("date-empty", {"start": ""}, "start", "'' is not a date"),
    ("date-compact", {"start": "20240101"}, "start", "'20240101' is not a date"),
    ("year-1800", {"start": "1800-01-01", "end": "1800-01-31"}, "start", "year 1800 is outside"),
    ("year-2999", {"end": "2999-12-31"}, "end", "year 2999 is outside"),
    ("period-two-years", {"start": "2023-01-01", "end": "2024-12-31"}, "end", "covers 731 days"),
    ("end-before-start", {"start": "2024-03-01"}, "end", "end is before start"),
    ("quantity-1e308", {"quantity": "1e308"}, "quantity", "beyond the largest accepted number"),
    (
        "quantity-1e22",
        {"quantity": "1e22"},
        "quantity",
        "beyond the largest accepted number (1e+21)",
    ),
    ("quantity-1e400", {"quantity": "1e400"}, "quantity", "'1e400' is not a number"),
    ("quantity-inf", {"quantity": "inf"}, "quantity", "'inf' is not a number"),
    ("quantity-minus-inf", {"quantity": "-Infinity"}, "quantity", "is not a number"),
    ("quantity-nan", {"quantity": "NaN"}, "quantity", "'NaN' is not a number"),
    ("quantity-unit-inside", {"quantity": "5 t"}, "quantity", "'5 t' is not a number"),
    ("quantity-bad-grouping", {"quantity": "12,34"}, "quantity", "'12,34' is not a number"),
    ("quantity-hex", {"quantity": "0x10"}, "quantity", "'0x10' is not a number"),
    ("quantity-negative", {"quantity": "-5"}, "quantity", "quantity is negative"),
    ("unit-empty", {"unit": ""}, "unit", "unit is empty"),
    ("unit-unknown", {"unit": "tonnez"}, "unit", "unknown unit 'tonnez'"),
    (
        "entity-escape-sequence",
        {"entity": "SZ1\x1b[31m"},
        "entity",
        "unknown entity 'SZ1\\x1b[31m'",
    ),
    ("entity-bell", {"entity": "SZ\x07"}, "entity", "unknown entity 'SZ\\x07'"),
    ("activity-unknown", {"activity": "fuel.unobtainium"}, "activity", "unknown activity type"),
    ("date-midnight", {"start": "2024-01-01 00:00:00"}, None, ""),
    ("date-midnight-iso", {"end": "2024-02-29T00:00"}, None, ""),
    ("quantity-grouped", {"quantity": "1,234.5"}, None, ""),
    ("quantity-largest", {"quantity": "1e21"}, None, ""),
]
KPI_MUTATIONS: list[tuple[str, dict[str, str], str | None, str]] = [
    ("value-1e308", {"value": "1e308"}, "value", "beyond the largest accepted number"),
    ("value-inf", {"value": "inf"}, "value", "'inf' is not a number"),
    ("value-nan", {"value": "nan"}, "value", "'nan' is not a number"),
    ("year-1800", {"year": "1800"}, "year", "'1800' is not a year"),
    ("year-decimal", {"year": "2024.5"}, "year", "'2024.5' is not a year"),
    ("metric-unknown", {"metric": "no.such"}, "metric", "unknown metric 'no.such'"),
    ("entity-control", {"entity": "GR\rP"}, "entity", "unknown entity 'GR\\x0dP'"),
    ("value-word", {"value": "-"}, None, ""),
]
ENTITY_MUTATIONS: list[tuple[str, dict[str, str], str | None, str]] = [
    ("country-unknown", {"country": "XX"}, "country", "'XX' is not an ISO 3166-1"),
    ("id-space", {"id": "NEW 1"}, "id", "may only use letters"),
    ("id-escape", {"id": "N\x1b]0;pwned\x07"}, "id", "may only use letters"),
    ("parent-unknown", {"parent": "NOPE"}, "parent", "unknown parent 'NOPE'"),
    ("name-empty", {"name": ""}, "name", "name is empty"),
    ("name-unicode", {"name": "深圳新厂"}, None, ""),
]
BASES = {
    "activities": (ACTIVITY_HEADER, ACT, ["SZ1", "2024-02-01", "2024-02-29", "fuel.diesel", "6", "t"]),
    "kpis": (KPI_HEADER, KPI, ["GRP", "2023", "workforce.headcount", "9", "person"]),
    "entities": (ENT_HEADER, ENT, ["NEW2", "Second site", "GRP", "CN", "CN-GD"]),
}  # fmt: skip


def mutation_cases() -> list[Case]:
    cases = []
    for kind, mutations in (
        ("activities", ACTIVITY_MUTATIONS),
        ("kpis", KPI_MUTATIONS),
        ("entities", ENTITY_MUTATIONS),
    ):
        header, first, second = BASES[kind]
        for name, change, column, reason in mutations:
            row = [change.get(h, v) for h, v in zip(header, second, strict=True)]
            for fmt in ("csv", "xlsx", "parquet"):
                if fmt == "xlsx" and any(ord(ch) < 32 for ch in "".join(row)):
                    continue  # an Excel cell cannot hold control characters
                where = None if column is None else f"row 3, column '{column}'"
                build = table_file(fmt, kind, header, [list(first), row])
                cases.append(Case(f"{kind}-{name}-{fmt}", kind, build, where, reason))
    return cases


# --- file-level cases, per format ------------------------------------------------------

CSV_GOOD = (",".join(ACTIVITY_HEADER) + "\n" + ",".join(ACT) + "\n").encode()
CSV_CASES = [
    Case("csv-semicolons", "activities", raw_file("act.csv", CSV_GOOD.replace(b",", b";")),
         "row 1", "separated by semicolons"),
    Case("csv-tabs", "kpis", raw_file("kpi.csv", ("\t".join(KPI_HEADER) + "\n" + "\t".join(KPI)
         + "\n").encode()), "row 1", "separated by tabs"),
    Case("csv-short-row", "activities", raw_file("act.csv", CSV_GOOD + b"SZ1,2024-02-01,2024-02-29,fuel.diesel,6\n"),
         "row 3", "the row has 5 cells, the header 6"),
    Case("csv-long-row", "activities", raw_file("act.csv", CSV_GOOD + b"SZ1,2024-02-01,2024-02-29,fuel.diesel,6,t,x\n"),
         "row 3", "the row has 7 cells, the header 6"),
    Case("csv-short-row-quoted", "activities", raw_file("act.csv", CSV_GOOD + b'SZ1,"2024-02-01",2024-02-29,fuel.diesel,6\n'),
         "row 3", "the row has 5 cells, the header 6"),
    Case("csv-unterminated-quote", "activities", raw_file("act.csv", CSV_GOOD + b'SZ1,"2024-02-01,2024-02-29,fuel.diesel,6,t\nSZ1,2024-03-01,2024-03-31,fuel.diesel,6,t\n'),
         "row 3", "never closed"),
    Case("csv-duplicate-header", "activities", raw_file("act.csv", CSV_GOOD.replace(b"unit\n", b"quantity\n", 1)),
         "row 1", "columns 5 and 6 are both named 'quantity'"),
    Case("csv-case-equal-header", "activities", raw_file("act.csv", CSV_GOOD.replace(b"unit\n", b"unit, QUANTITY \n", 1).replace(b",t\n", b",t,7\n")),
         "row 1", "columns 5 and 7 are both named 'quantity'"),
    Case("csv-unnamed-column", "activities", raw_file("act.csv", CSV_GOOD.replace(b"unit\n", b"unit,\n", 1).replace(b",t\n", b",t,7\n")),
         "row 1", "column 7 has values but no name"),
    Case("csv-not-utf8", "activities", raw_file("act.csv", CSV_GOOD.replace(b"SZ1", "SZé".encode("latin-1"))),
         "", "not UTF-8 (bad byte at line 2)"),
    Case("csv-empty", "entities", raw_file("ent.csv", b"\n \n"), "", "the file is empty"),
    Case("csv-header-only", "kpis", raw_file("kpi.csv", b"entity,year,metric,value,unit\n"), "", "no data rows"),
    Case("csv-huge-cell", "activities", raw_file("act.csv", CSV_GOOD.replace(b",t\n", b",t," + b"x" * 40_000 + b"\n").replace(b"unit\n", b"unit,note\n")),
         "row 2, column 'note'", "longer than 32,767 characters"),
    Case("csv-binary-junk", "entities", raw_file("ent.csv", b"\x00\x01\x02PK\x03\x04" * 50), "", ""),
    Case("csv-missing-column", "activities", raw_file("act.csv", b"entity,start,end,activity,quantity\nSZ1,2024-01-01,2024-01-31,fuel.diesel,5\n"),
         "", "missing column 'unit'"),
    Case("csv-bom-crlf", "activities", raw_file("act.csv", b"\xef\xbb\xbf" + CSV_GOOD.replace(b"\n", b"\r\n")), None),
    Case("csv-header-spaces-case", "activities", raw_file("act.csv", CSV_GOOD.replace(b"entity,", b" Entity ,", 1)), None),
]  # fmt: skip

GOOD_ROWS: list[list[object]] = [list(ACT)]
XLSX_CASES = [
    Case("xlsx-error-cell", "activities",
         patched_xlsx("act.xlsx", "activities", GOOD_ROWS, replace_cell("E2", '<c r="E2" t="e"><v>#DIV/0!</v></c>')),
         "row 2, column 'quantity'", "the Excel error #DIV/0!"),
    Case("xlsx-formula-without-value", "activities",
         patched_xlsx("act.xlsx", "activities", GOOD_ROWS, replace_cell("E2", '<c r="E2"><f>SUM(A9:A12)</f></c>')),
         "row 2, column 'quantity'", "a formula saved without its value"),
    Case("xlsx-formula-empty-value", "activities",
         patched_xlsx("act.xlsx", "activities", GOOD_ROWS, replace_cell("E2", '<c r="E2"><f>1/0</f><v/></c>')),
         "row 2, column 'quantity'", "a formula saved without its value"),
    Case("xlsx-formula-with-value", "activities",
         patched_xlsx("act.xlsx", "activities", GOOD_ROWS, replace_cell("E2", '<c r="E2"><f>2+3</f><v>5</v></c>')),
         None),
    Case("xlsx-far-cell", "activities",
         patched_xlsx("act.xlsx", "activities", GOOD_ROWS, append_row('<row r="200000"><c r="Z200000"><v>1</v></c></row>')),
         "", "the sheet reaches cell Z200000"),
    Case("xlsx-huge-inline-string", "activities",
         patched_xlsx("act.xlsx", "activities", GOOD_ROWS, append_row('<row r="3"><c r="G3" t="inlineStr"><is><t>' + "y" * 40_000 + "</t></is></c></row>")),
         "", "cell G3 holds more than 32,767 characters"),
    Case("xlsx-number-as-date", "activities",
         patched_xlsx("act.xlsx", "activities", GOOD_ROWS, replace_cell("B2", '<c r="B2" t="n"><v>45292.5</v></c>')),
         "row 2, column 'start'", "'45292.5' is not a date"),
    Case("xlsx-datetime-with-time", "activities",
         table_file("xlsx", "activities", ACTIVITY_HEADER, [[ACT[0], dt.datetime(2024, 1, 1, 12, 30), *ACT[2:]]]),
         "row 2, column 'start'", "'2024-01-01 12:30:00' has a time of day"),
    Case("xlsx-datetime-midnight", "activities",
         table_file("xlsx", "activities", ACTIVITY_HEADER, [[ACT[0], dt.datetime(2024, 1, 1), *ACT[2:]]]),
         None),
    Case("xlsx-duplicate-header", "activities",
         table_file("xlsx", "activities", [*ACTIVITY_HEADER, "Unit"], [[*ACT, "kg"]]),
         "row 1", "columns 6 and 7 are both named 'unit'"),
    Case("xlsx-empty-sheet", "activities", lambda f: write_xlsx(f / "act.xlsx", {"activities": ([], [])}),
         "", "the file is empty"),
    Case("xlsx-not-a-zip", "activities", raw_file("act.xlsx", CSV_GOOD), "", "not a zip archive"),
    Case("xlsx-truncated", "activities", lambda f: raw_file("act.xlsx", write_xlsx(f / "w.xlsx", {"activities": (ACTIVITY_HEADER, GOOD_ROWS)}).read_bytes()[:900])(f),
         "", "cannot read as XLSX"),
]  # fmt: skip


def hidden_sheet_workbook(hidden: str, visible: str, hidden_rows: list[list[object]]) -> Build:
    """A workbook with a visible sheet of good data and a hidden one of other data."""

    def build(folder: Path) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        shown = wb.active
        shown.title = visible
        shown.append(ACTIVITY_HEADER)
        shown.append(ACT)
        secret = wb.create_sheet(hidden)
        secret.sheet_state = "hidden"
        secret.append(ACTIVITY_HEADER)
        for row in hidden_rows:
            secret.append(row)
        path = folder / "act.xlsx"
        wb.save(path)
        return path

    return build


BAD_HIDDEN = [["SZ1", "2024-05-01", "2024-05-31", "fuel.diesel", "lots", "t"]]
XLSX_CASES += [
    Case("xlsx-hidden-sheet-named-activities", "activities",
         hidden_sheet_workbook("activities", "Sheet1", BAD_HIDDEN), "", "hidden: activities"),
    Case("xlsx-hidden-sheet-beside-visible", "activities",
         hidden_sheet_workbook("Old", "Data", BAD_HIDDEN), None),
]  # fmt: skip


def parquet_file(frame: pl.DataFrame, name: str = "act.parquet") -> Build:
    def build(folder: Path) -> Path:
        path = folder / name
        frame.write_parquet(path)
        return path

    return build


def good_activity_frame(**overrides: pl.Series) -> pl.DataFrame:
    frame = pl.DataFrame({h: [v] for h, v in zip(ACTIVITY_HEADER, ACT, strict=True)})
    return frame.with_columns(*overrides.values()) if overrides else frame


PARQUET_CASES = [
    Case("parquet-list-column", "activities", parquet_file(good_activity_frame(tags=pl.Series("tags", [["a", "b"]]))),
         "row 1, column 'tags'", "holds list"),
    Case("parquet-binary-column", "activities", parquet_file(good_activity_frame(blob=pl.Series("blob", [b"\x00\x01"]))),
         "row 1, column 'blob'", "holds binary"),
    Case("parquet-struct-column", "activities", parquet_file(good_activity_frame(meta=pl.Series("meta", [{"a": 1}]))),
         "row 1, column 'meta'", "holds struct"),
    Case("parquet-case-equal-columns", "activities", parquet_file(good_activity_frame(Q=pl.Series("QUANTITY", ["6"]))),
         "row 1", "both named 'quantity'"),
    Case("parquet-float-1e308", "activities", parquet_file(good_activity_frame(q=pl.Series("quantity", [1e308]))),
         "row 2, column 'quantity'", "beyond the largest accepted number"),
    Case("parquet-float-quantity", "activities", parquet_file(good_activity_frame(q=pl.Series("quantity", [5.5]))), None),
    Case("parquet-date-columns", "activities", parquet_file(good_activity_frame(
         s=pl.Series("start", ["2024-01-01"]).str.to_date(), e=pl.Series("end", ["2024-01-31"]).str.to_date())), None),
    Case("parquet-datetime-with-time", "activities", parquet_file(good_activity_frame(
         s=pl.Series("start", ["2024-01-01 08:00"]).str.to_datetime())), "row 2, column 'start'", "has a time of day"),
    Case("parquet-truncated", "activities", raw_file("act.parquet", b"PAR1" + b"\x00" * 100 + b"PAR1"), "", "cannot read as Parquet"),
]  # fmt: skip

CASES = [*mutation_cases(), *CSV_CASES, *XLSX_CASES, *PARQUET_CASES]


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 100
    assert {c.kind for c in CASES} == {"activities", "kpis", "entities"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_file(ws: Database, tmp_path: Path, case: Case) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = case.build(folder)
    before = state(ws)
    result = Cli(ws)("import", case.kind, str(path), expect=None)
    assert "Traceback" not in result.output
    assert not any(ch in result.output for ch in "\x07\x1b\r"), "raw control character printed"
    if case.where is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert state(ws) == before, "a refused file must change nothing"
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    prefix = f"error: {path.name}{', ' + case.where if case.where else ''}: "
    assert any(line.startswith(prefix) and case.reason in line for line in lines), result.stderr
    assert lines[-1].endswith("nothing was imported"), result.stderr
