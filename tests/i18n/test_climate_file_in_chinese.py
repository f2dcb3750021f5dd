"""#19: a refused climate inventory file (``esg climate import``) names each row's catalog
message, so it can be worded in Chinese; no page or API route imports the inventory yet, so
the refusal is read the way they word one (``reason_in``). English is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.assess.climate import import_items
from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from tests.conftest import Cli
from tests.factories import write_csv

CJK = re.compile(r"[\u4e00-\u9fff]")
HEADER = ["id", "kind", "tcfd_category", "name", "rating_2030"]
ROWS = [
    ["R1", "risk", "acute", "stored already", ""],  # already exists
    ["R2", "risk", "acute", "", ""],  # no name
    ["R3", "danger", "acute", "x", ""],  # kind (and so not a category for it)
    ["R4", "risk", "Weather", "x", ""],  # unknown category
    ["R5", "risk", "Markets", "x", ""],  # an opportunity's category
    ["O1", "opportunity", "acute", "x", ""],  # a risk's category
    ["R6", "risk", "acute", "x", "Big"],  # level
    ["R7", "risk", "acute", "x", ""],
    ["R7", "risk", "acute", "x", ""],  # twice
]
ENGLISH = [
    "climate item 'R1' already exists",
    "each item needs an id and a name",
    "kind is risk or opportunity",
    "'acute' is not a category for dangers",
    "unknown TCFD category 'Weather'",
    "'Markets' is not a category for risks",
    "'acute' is not a category for opportunities",
    "'Big' is not Low, Medium or High",
    "item 'R7' appears more than once",
]


def test_climate_file_checks_are_worded_in_chinese(cli: Cli, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", HEADER, [ROWS[0]])
    bad = write_csv(tmp_path / "bad.csv", HEADER, ROWS)
    with cli.db.write() as session:
        assert import_items(session, good, actor="test") == {"items": 1, "ratings": 0}
    with cli.db.write() as session, pytest.raises(ImportRejected) as refused:
        import_items(session, bad, actor="test")
    problems = refused.value.problems
    english = [p.reason for p in problems]
    assert all(e in english for e in ENGLISH), english
    chinese = [reason_in(p, "zh") for p in problems]
    for text in chinese:
        assert CJK.search(text) and text not in english, text
    assert "'Markets' 不是风险的类别" in chinese and "'acute' 不是机遇的类别" in chinese
    assert "未知的 TCFD 类别 'Weather'" in chinese, chinese
