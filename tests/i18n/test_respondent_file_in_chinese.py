"""#19: a refused respondents file (``esg materiality respondents import``) names each row's
catalog message, so it can be worded in Chinese; no page or API route imports respondents
yet, so the refusal is read the way they word one (``reason_in``). English is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from esgledger.assess.respondents import import_respondents
from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ledger.assess_models import MaterialityAssessment
from tests.assess.conftest import survey
from tests.conftest import Cli
from tests.factories import write_csv

__all__ = ["survey"]  # the fixture, imported for pytest

CJK = re.compile(r"[\u4e00-\u9fff]")
ROWS = [
    ["", "investors", "1"],  # no name
    ["n1", "nobody", "1"],  # unknown group
    ["n2", "investors", "-2"],  # weight
    ["r1", "investors", "1"],  # already stored
    ["n3", "employees", "1"],
    ["n3", "employees", "1"],  # twice
]
ENGLISH = {
    "a respondent needs a name",
    "unknown group 'nobody'; the assessment has ",
    "weight must be a positive number",
    "respondent 'r1' already exists",
    "respondent 'n3' appears more than once",
}


def test_respondent_file_checks_are_worded_in_chinese(survey: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", ["name", "group", "weight"], ROWS)
    with survey.db.write() as session:
        a = session.scalars(select(MaterialityAssessment)).one()
        with pytest.raises(ImportRejected) as refused:
            import_respondents(session, a, path, actor="test")
    problems = refused.value.problems
    assert len(problems) == 6, problems
    english = [p.reason for p in problems]
    assert all(any(r.startswith(e) for r in english) for e in ENGLISH), english
    chinese = [reason_in(p, "zh") for p in problems]
    for text in chinese:
        assert CJK.search(text) and not any(e.split("'")[0] in text for e in ENGLISH), text
    assert any(t.startswith("未知的利益相关方群体 'nobody'") for t in chinese), chinese
    assert "受访者 'n3' 出现了不止一次" in chinese, chinese
