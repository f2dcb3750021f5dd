"""#19: a file refused while it is read — a header naming a column twice or leaving a column of
values unnamed (``ingest/headers.py``), a cell longer than Excel's, an Excel error cell or a
formula saved without its value (``ingest/readers.py``, ``ingest/xlsx_guard.py``), a Parquet
column of lists (``ingest/parquet_file.py``), error cells in a CMRT (``ingest/cmrt_workbook.py``)
— is worded in Chinese for an API client that asks for it; English is the CLI's line
unchanged."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ingest.cmrt_workbook import read_workbook
from esgledger.ingest.readers import checked_sheet
from tests.api.conftest import Api, api, problem
from tests.factories import ENTITY_HEADER, write_csv
from tests.i18n.test_file_checks_in_chinese import CJK, ZH, _all_chinese, _post
from tests.suppliers.cmrt_files import cmrt_file

__all__ = ["api"]  # the fixture, imported for pytest

ENGLISH = ("has values but no name", "are both named", "longer than", "Excel error",
           "formula saved without", "the column holds")  # fmt: skip


def _both(api: Api, file: Path) -> tuple[dict, dict]:  # type: ignore[type-arg]
    zh = problem(_post(api, "mia", "/imports/entities", file, ZH), 422)
    _all_chinese(zh, ENGLISH)
    return zh, problem(_post(api, "mia", "/imports/entities", file, {}), 422)


def _reasons(body: dict) -> str:  # type: ignore[type-arg]
    return " ".join(p["reason"] for p in body["problems"])


def test_a_header_refused_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "h.csv", [*ENTITY_HEADER, "Name", ""], [["A", "B", "", "CN", "",
                     "", "x", "y"]])  # fmt: skip
    zh, en = _both(api, file)
    assert "第 7 列与第 2 列同名 'name'" in _reasons(zh), zh
    assert "第 8 列有值但没有列名" in _reasons(zh), zh
    assert "columns 2 and 7 are both named 'name' (names ignore letter case and spaces)" in (
        _reasons(en)
    )
    assert "column 8 has values but no name; name it" in _reasons(en)


def test_a_cell_too_long_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "l.csv", ENTITY_HEADER, [["A", "B" * 40_000, "", "CN", "", ""]])
    zh, en = _both(api, file)
    assert "单元格超过 32,767 个字符" in _reasons(zh), zh
    assert _reasons(en) == "the cell is longer than 32,767 characters"


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(ENTITY_HEADER)
    sheet.append(["A", "#DIV/0!", "", "CN", "", ""])
    sheet.append(["B", "=1+1", "", "CN", "", ""])
    book.save(path)
    return path


def test_error_cells_of_a_workbook_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    zh, en = _both(api, _workbook(tmp_path / "w.xlsx"))
    assert "单元格含 Excel 错误 #DIV/0!" in _reasons(zh), zh
    assert "单元格含未保存值的公式" in _reasons(zh), zh
    assert "the cell holds the Excel error #DIV/0!" in _reasons(en)
    assert "the cell holds a formula saved without its value; open the file" in _reasons(en)


def test_error_cells_of_a_register_workbook_are_worded_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        checked_sheet(_workbook(tmp_path / "w.xlsx"), "w.xlsx", sheet=None, kind="entities")
    said = [reason_in(p, "zh") for p in caught.value.problems]
    assert len(said) == 2 and all(CJK.search(s) for s in said), said
    assert "单元格含 Excel 错误 #DIV/0!" in said[0], said


def test_a_parquet_column_of_lists_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = tmp_path / "e.parquet"
    pl.DataFrame({"id": ["A"], "name": [["B", "C"]]}).write_parquet(file)
    zh, en = _both(api, file)
    assert "该列含 list(string) 值；每个单元格只能含一个数字、日期或文本" in _reasons(zh), zh
    assert _reasons(en) == (
        "the column holds list(string) values; each cell must hold one number, date or text"
    )


def test_a_parquet_cell_too_long_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = tmp_path / "e.parquet"
    pl.DataFrame({"id": ["A"], "name": ["B" * 40_000]}).write_parquet(file)
    zh, en = _both(api, file)
    assert "单元格超过 32,767 个字符" in _reasons(zh), zh
    assert _reasons(en) == "the cell is longer than 32,767 characters"


def test_error_cells_of_a_cmrt_are_worded_in_chinese(tmp_path: Path) -> None:
    path = cmrt_file(tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(path)
    book["Declaration"]["D8"] = "#N/A"
    book.save(path)
    with pytest.raises(ImportRejected) as caught:
        read_workbook(path)
    [error] = caught.value.problems
    assert (error.row, error.column) == (8, "Declaration!D") and error.reason.startswith(
        "the cell holds the Excel"
    )
    assert reason_in(error, "zh") == "单元格含 Excel 错误 #N/A"
