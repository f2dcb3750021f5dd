"""#19: a file refused whole before any row is read — not UTF-8, not a CSV, XLSX or Parquet the
reader can open, a damaged workbook, no sheet to read (``ingest/readers.py``,
``ingest/parquet_file.py``, ``ingest/xlsx_guard.py``), not a CMRT/EMRT
(``ingest/cmrt_workbook.py``) — is worded in Chinese for an API client that asks for it; the
English the CLI prints (``str`` of the refusal) stays word for word the same."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ingest.cmrt_workbook import read_workbook
from esgledger.ingest.readers import read_table
from tests.api.conftest import Api, api, problem
from tests.i18n.test_file_checks_in_chinese import CJK, ZH, _post

__all__ = ["api"]  # the fixture, imported for pytest

ENGLISH = ("not UTF-8", "cannot read", "no sheet", "damaged workbook", "not a CMRT",
           "the file has a header", "is empty")  # fmt: skip


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _two_sheets(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "a"
    first.append(["id"])
    book.create_sheet("b").append(["id"])
    book.save(path)
    return path


def _damaged(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return path


# (file, its Chinese reason, the CLI's English line word for word)
CASES = [
    (
        lambda p: _file(p, "u.csv", b"id,name\nA,\xff\n"),
        "不是 UTF-8 编码（第 2 行有无效字节）",
        "u.csv: not UTF-8 (bad byte at line 2); save the file as UTF-8 CSV",
    ),
    (
        lambda p: _file(p, "h.csv", b"id,name,parent,country,subdivision,kind\n"),
        "文件只有表头，没有数据行",
        "h.csv: the file has a header but no data rows",
    ),
    (
        lambda p: _file(p, "x.xlsx", b"PK not really a workbook"),
        "无法按 XLSX 读取：不是 zip 压缩包",
        "x.xlsx: cannot read as XLSX: not a zip archive (is it an old .xls?)",
    ),
    (
        lambda p: _damaged(p / "d.xlsx"),
        "工作簿已损坏：缺少 xl/_rels/workbook.xml.rels",
        "d.xlsx: damaged workbook: xl/_rels/workbook.xml.rels is missing",
    ),
    (
        lambda p: _two_sheets(p / "s.xlsx"),
        "没有名为 'entities' 的工作表，且有多个工作表（a, b）",
        "s.xlsx: no sheet named 'entities' and several sheets (a, b); name the sheet or pass "
        "--sheet",
    ),
    (
        lambda p: _file(p, "p.parquet", b"PAR1 not really parquet"),
        "无法按 Parquet 读取：",
        "p.parquet: cannot read as Parquet: ",
    ),
]


@pytest.mark.parametrize(("make", "chinese", "english"), CASES)
def test_a_file_refused_whole_is_worded_in_chinese(
    api: Api, tmp_path: Path, make, chinese: str, english: str
) -> None:  # type: ignore[no-untyped-def]
    file = make(tmp_path)
    zh = problem(_post(api, "mia", "/imports/entities", file, ZH), 422)
    [said] = zh["problems"]
    assert chinese in said["reason"] and chinese in zh["detail"], zh
    for text in (zh["detail"], said["reason"]):
        assert CJK.search(text) and not any(w in text for w in ENGLISH), text
    en = problem(_post(api, "mia", "/imports/entities", file, {}), 422)
    assert en["detail"].startswith(english), en
    with pytest.raises(ImportRejected) as caught:
        read_table(file, kind="entities")
    assert str(caught.value).splitlines()[0].startswith(english)
    if not english.endswith(": "):  # the Parquet reader's own words follow
        assert str(caught.value).splitlines()[0] == english


def test_a_sheet_not_found_is_worded_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_table(_two_sheets(tmp_path / "s.xlsx"), sheet="c")
    [p] = caught.value.problems
    assert p.reason == "no sheet 'c'; the workbook has a, b"
    assert reason_in(p, "zh") == "没有工作表 'c'；工作簿中有 a, b"


def test_not_a_cmrt_is_worded_in_chinese(tmp_path: Path) -> None:
    path = _two_sheets(tmp_path / "c.xlsx")
    with pytest.raises(ImportRejected) as caught:
        read_workbook(path)
    [p] = caught.value.problems
    assert str(caught.value).splitlines()[0] == (
        "c.xlsx: not a CMRT/EMRT: no sheet 'Declaration', 'Smelter List' (the workbook has a, b)"
    )
    assert reason_in(p, "zh") == (
        "不是 CMRT/EMRT：没有工作表 'Declaration', 'Smelter List'（工作簿中有 a, b）"
    )
    damaged = _damaged(tmp_path / "d.xlsx")
    with pytest.raises(ImportRejected) as caught:
        read_workbook(damaged)
    [p] = caught.value.problems
    assert p.reason == "damaged workbook: xl/_rels/workbook.xml.rels is missing"
    assert reason_in(p, "zh") == "工作簿已损坏：缺少 xl/_rels/workbook.xml.rels"


def test_an_unsupported_file_type_is_worded_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_table(_file(tmp_path, "e.doc", b"x"))
    [p] = caught.value.problems
    assert p.reason == "unsupported file type '.doc'; use .csv, .xlsx or .parquet"
    assert reason_in(p, "zh") == "不支持的文件类型 '.doc'；请使用 .csv、.xlsx 或 .parquet"
    with pytest.raises(ImportRejected) as caught:
        read_table(_file(tmp_path, "e.csv", b"  \n"))
    [p] = caught.value.problems
    assert (p.reason, reason_in(p, "zh")) == ("the file is empty", "文件为空")
