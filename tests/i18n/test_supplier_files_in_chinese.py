"""#19: a refused conformant-smelter list (``suppliers/conformant_import.py``) and a refused
file of a supplier's paper SAQ answers (``suppliers/saq_answers.py``) name each row's catalog
message, so it is worded in Chinese as the API words a refused file (``reason_in``), never by
matching the English; the English the CLI prints is unchanged. (Only the CLI reads these
files today.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected, Problem
from esgledger.ingest.readers import read_table
from esgledger.suppliers.conformant_import import _rows as conformant_rows
from esgledger.suppliers.saq import MAX_FILES
from esgledger.suppliers.saq_answers import answers_from_file
from esgledger.workflow.evidence import MAX_BYTES
from tests.factories import write_csv

CJK = re.compile(r"[\u4e00-\u9fff]")


def _worded(problems: list[Problem], english: tuple[str, ...]) -> list[str]:
    """Every reason named and in Chinese without the English words; each English phrase is
    still in the English reasons (the CLI's lines unchanged)."""
    said = " ".join(p.reason for p in problems)
    assert all(words in said for words in english), said
    chinese = [reason_in(p, "zh") for p in problems]
    for p, zh in zip(problems, chinese, strict=True):
        assert p.message_id, p.reason
        assert CJK.search(zh) and not any(words in zh for words in english), zh
    return chinese


def test_a_conformant_list_refused_is_worded_in_chinese(tmp_path: Path) -> None:
    header = ["smelter_id", "metal", "status", "assessed_on"]
    rows = [
        ["CID12", "Gold", "Conformant", "2025-01-01"],
        ["CID000001", "Plutonium", "", "01/02/2025"],
        ["CID000002", "Gold", "Conformant", ""],
        ["CID000002", "Gold", "Active", ""],
    ]
    table = read_table(write_csv(tmp_path / "c.csv", header, rows), kind="conformant")
    with pytest.raises(ImportRejected) as caught:
        conformant_rows(table)
    said = _worded(caught.value.problems, ("is not CID and 6 digits", "is not a known metal",
                   "give a status of 1-32 characters", "'01/02/2025' is not a date (YYYY-MM-DD)",
                   "CID000002 gold repeats row 4"))  # fmt: skip
    assert "CID000002 gold 与第 4 行重复" in said, said
    missing = read_table(write_csv(tmp_path / "m.csv", ["smelter_id"], [["CID000001"]]))
    with pytest.raises(ImportRejected) as caught:
        conformant_rows(missing)
    _worded(caught.value.problems, ("the column is missing",))


def test_saq_answers_refused_are_worded_in_chinese(tmp_path: Path) -> None:
    with (tmp_path / "big.pdf").open("wb") as big:  # sparse: over the limit, no disk used
        big.truncate(MAX_BYTES + 1)
    rows = [["", "yes", ""], ["Q1", "yes", "gone.pdf"], ["Q1", "no", "big.pdf"]]
    file = write_csv(tmp_path / "a.csv", ["question", "answer", "evidence"], rows)
    with pytest.raises(ImportRejected) as caught:
        answers_from_file(file)
    _worded(caught.value.problems, ("a row needs a question code", "is answered more than once",
            "evidence file not found: gone.pdf", "the file is over"))  # fmt: skip


def test_too_many_evidence_files_are_worded_in_chinese(tmp_path: Path) -> None:
    rows = [[f"Q{i}", "yes", f"e{i}.pdf"] for i in range(MAX_FILES + 1)]
    file = write_csv(tmp_path / "a.csv", ["question", "answer", "evidence"], rows)
    with pytest.raises(ImportRejected) as caught:
        answers_from_file(file)
    _worded(caught.value.problems, (f"{MAX_FILES + 1} evidence files; the limit is",))
