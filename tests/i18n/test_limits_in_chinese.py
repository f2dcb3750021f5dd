"""#19: the XLSX guard's size limits (``ingest/xlsx_guard.py``) and the training stream's
whole-file refusals (``registers/training_stream.py``) had their Chinese in the catalog but no
test of it. Each is raised here by a real file, worded in Chinese through ``reason_in``, and
its English line, as the CLI prints it, checked word for word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ingest import xlsx_guard
from esgledger.ingest.readers import read_table
from esgledger.ledger.db import Database
from esgledger.registers.training import import_records
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import ACTIVITY_HEADER, write_xlsx
from tests.ingest.test_hostile_files import ACT, far_cell_xlsx, huge_string_xlsx, rewrite_sheet
from tests.registers.training_files import RECORD_HEADER, load

CJK = re.compile(r"[\u4e00-\u9fff]")
LONG = "a" * 40_000  # over Excel's 32,767 characters, under the csv module's field limit


def _refused(run: object) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        run()  # type: ignore[operator]
    return caught.value


def _worded(refused: ImportRejected, english: str, chinese: str) -> None:
    """The one reason: its English as it always read, its Chinese with no English words."""
    [problem] = refused.problems
    assert problem.reason == english
    text = reason_in(problem, "zh")
    assert text == chinese
    said = re.sub(r"xl/\w+\.xml", "", text)  # the part's name is the archive's own
    assert CJK.search(text) and not re.search(r"\b[a-z]{3,}\b", said), text


def _plain(folder: Path) -> Path:
    return write_xlsx(folder / "plain.xlsx", {"activities": (ACTIVITY_HEADER, [ACT])})


def test_the_xlsx_guard_limits_are_worded_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    far = _refused(lambda: read_table(far_cell_xlsx(tmp_path), kind="activities"))
    _worded(
        far,
        "the sheet reaches cell AZ400000, more than 2,000,000 cells from A1; delete stray "
        "cells far from the data, or use CSV or Parquet for data this large",
        "工作表延伸到单元格 AZ400000，从 A1 起超过 2,000,000 个单元格；请删除远离数据的零散"
        "单元格，或对如此大的数据使用 CSV 或 Parquet",
    )
    huge = _refused(lambda: read_table(huge_string_xlsx(tmp_path, 1), kind="activities"))
    _worded(
        huge,
        "shared string 1 is longer than 32,767 characters, the most an Excel cell holds",
        "第 1 个共享字符串超过 32,767 个字符，即 Excel 单元格的上限",
    )
    inline = f'<row r="3"><c r="G3" t="inlineStr"><is><t>{LONG}</t></is></c></row>'.encode()
    cell = rewrite_sheet(_plain(tmp_path), tmp_path / "cell.xlsx", inline)
    _worded(
        _refused(lambda: read_table(cell, kind="activities")),
        "cell G3 holds more than 32,767 characters, the most an Excel cell holds",
        "单元格 G3 超过 32,767 个字符，即 Excel 单元格的上限",
    )
    # the 512 MB limit on one part, lowered so the test need not write half a gigabyte
    monkeypatch.setattr(xlsx_guard, "MAX_XML_BYTES", 1024 * 1024)
    _worded(
        _refused(lambda: read_table(huge_string_xlsx(tmp_path, 2), kind="activities")),
        "xl/sharedStrings.xml is 2 MB uncompressed; the limit is 1 MB (use CSV or Parquet for "
        "data this large)",
        "xl/sharedStrings.xml 解压后为 2 MB，超过 1 MB 的上限（如此大的数据请使用 CSV 或 Parquet）",
    )


@pytest.fixture
def ws(sqlite_db: Database, tmp_path: Path) -> Workspace:
    ws = Workspace(sqlite_db, tmp_path)
    load(ws)
    return ws


def _lms(ws: Workspace, name: str, data: bytes) -> ImportRejected:
    path = ws.tmp / name
    path.write_bytes(data)
    return _refused(lambda: import_records(ws.db, path, actor=ACTOR))


HEADER = ",".join(RECORD_HEADER).encode()
ROW = b"AC25,P1,SZ1,,employee,2025-03-01,90,2"


@pytest.mark.parametrize(
    ("name", "data", "english", "chinese"),
    [
        (
            "u.csv",
            HEADER + b"\n" + ROW.replace(b"P1", b"P\xff") + b"\n",
            "not UTF-8; save the file as UTF-8 CSV",
            "不是 UTF-8 编码；请将文件另存为 UTF-8 CSV",
        ),
        ("e.csv", b"", "the file is empty", "文件为空"),
        (
            "h.csv",
            HEADER + b"\n",
            "the file has a header but no data rows",
            "文件只有表头，没有数据行",
        ),
        (
            "c.csv",
            HEADER + b"\n" + ROW + b",extra\n",
            "row 2 has 9 cells, the header 8",
            "第 2 行有 9 个单元格，表头有 8 个",
        ),
        (
            "l.csv",
            HEADER + b"\n" + ROW.replace(b"P1", LONG.encode()) + b"\n",
            "row 2 has a cell longer than 32,767 characters",
            "第 2 行有单元格超过 32,767 个字符",
        ),
        ("f.csv", HEADER + b"\n" + ROW.replace(b"P1", b"p" * 200_000) + b"\n", None, None),
    ],
    ids=["not-utf8", "empty", "no-rows", "row-cells", "long-cell", "not-csv"],
)
def test_the_training_stream_refusals_are_worded_in_chinese(
    ws: Workspace, name: str, data: bytes, english: str | None, chinese: str | None
) -> None:
    refused = _lms(ws, name, data)
    [problem] = refused.problems
    if english is not None:
        assert problem.reason == english
        assert str(refused).splitlines()[0] == f"{name}: {english}"
    else:  # the csv module's own words follow
        assert problem.reason.startswith("cannot read as CSV: field larger than field limit")
    text = reason_in(problem, "zh")
    if chinese is not None:
        assert text == chinese
    assert CJK.search(text), text
    said = re.sub(r"UTF-8|CSV|field larger than field limit \(\d+\)", "", text)
    assert not re.search(r"\b[a-z]{3,}\b", said), text
    assert re.findall(r"\d[\d,]*", said) == re.findall(
        r"\d[\d,]*", re.sub(r"UTF-8|field larger than field limit \(\d+\)", "", problem.reason)
    )


def test_an_unreadable_lms_export_is_worded_in_chinese(ws: Workspace) -> None:
    folder = ws.tmp / "folder.csv"
    folder.mkdir()
    refused = _refused(lambda: import_records(ws.db, folder, actor=ACTOR))
    [problem] = refused.problems
    assert problem.reason == "cannot read the file: Is a directory"
    text = reason_in(problem, "zh")
    assert CJK.search(text) and text.endswith("Is a directory"), text
