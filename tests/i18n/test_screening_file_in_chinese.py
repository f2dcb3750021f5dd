"""#19: a refused Scope 3 screening file (``esg scope3 screening import``) names each row's
catalog message (and the file's: an unknown column, a category never screened), so it can be
worded in Chinese; no page or API route imports a screening yet, so the refusal is read the way
they word one (``reason_in``). English is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ingest.readers import read_table
from esgledger.ingest.scope3_screening import validate_screening
from tests.factories import write_csv
from tests.scope3.screening_files import HEADER, screening_rows

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = [
    "unknown column 'colour'; the columns are category, relevant, reason",
    "'cat16' is not a Scope 3 category (1 … 15 or cat1 … cat15)",
    "'maybe' is not yes or no",
    "reason 'whim' is not one of ",
    "method 'guess' is not one of ",
    "data_quality '9' is not a score 1 (very good) … 5 (very poor)",
    "note is longer than 2000 characters",
    "'x.y' is not an activity type (`esg catalog activity-types`); separate several with |",
    "a category that leaves activities out needs a note saying why",
    "category 3 is screened twice (first on row 4)",
    "every category is screened: missing cat1, cat15 (screen each",
]


def test_screening_file_checks_are_worded_in_chinese(tmp_path: Path) -> None:
    rows = [[*r, "", "red"] for r in screening_rows()]
    rows[0][0] = "cat16"  # not a category (so cat1 is missing too)
    rows[1][1] = "maybe"
    rows[2][2] = "whim"
    rows[3][4] = "guess"
    rows[4][5] = "9"
    rows[5][3] = "x" * 2001
    rows[6][6] = "x.y"
    rows[7][6], rows[7][3] = "electricity.purchased", ""
    rows[14] = list(rows[2])  # category 3 twice; cat15 missing
    header = [*HEADER, "excluded_activities", "colour"]
    path = write_csv(tmp_path / "s.csv", header, rows)
    with pytest.raises(ImportRejected) as refused:
        validate_screening(read_table(path, kind="scope3_screening"))
    problems = refused.value.problems
    english = [p.reason for p in problems]
    assert all(any(r.startswith(e) for r in english) for e in ENGLISH), english
    chinese = [reason_in(p, "zh") for p in problems]
    for text in chinese:
        assert CJK.search(text) and text not in english, text
        assert not any(w in text for w in (" is ", "needs", "every category", "columns")), text
    assert "类别 3 筛查了两次（首次在第 4 行）" in chinese, chinese
    assert any(t.startswith("每个类别都须筛查：缺少 cat1, cat15（") for t in chinese), chinese
