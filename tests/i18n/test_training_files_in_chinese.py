"""#19, #20: a refused training register file's row reasons in the reader's language — the
campaigns file (an empty, too long, stored or repeated code, a bad kind, topic, year, worker
type, entity or pass score) and the LMS export (an unknown campaign, a person or role too
long, a repeat within a chunk or across chunks, an entity or worker type outside the
campaign's audience, a bad date, score or hours, a score without its date). Every reason
names its catalog message, as the complaint and OHS incident checks do, so a page or an API
answer words it in Chinese; the CLI's English lines are unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ledger.db import Database
from esgledger.registers import training_stream
from esgledger.registers.training import import_campaigns, import_records
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_csv
from tests.registers.training_files import CAMPAIGN_HEADER, CAMPAIGNS, load, records_file

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def ws(sqlite_db: Database, tmp_path: Path) -> Workspace:
    ws = Workspace(sqlite_db, tmp_path)
    load(ws)
    return ws


def _refused(run: object) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        run()  # type: ignore[operator]
    return caught.value


def _all_chinese(refused: ImportRejected, english: tuple[str, ...]) -> None:
    assert refused.problems
    for problem in refused.problems:
        text = reason_in(problem, "zh")
        assert CJK.search(text), (problem.row, problem.column, text)
        assert not any(words in text for words in english), text
    worded = " ".join(p.reason for p in refused.problems)  # the English lines, as before
    assert all(words in worded for words in english), worded


def test_campaign_rows_are_worded_in_chinese(ws: Workspace) -> None:
    rows = [
        CAMPAIGNS[0],  # stored already
        ["", "x" * 201, "course", "golf", "20x5", "robot", "XX9", "high"],
        ["N" * 65, "T", "training", "general", 2025, "", "", ""],
        ["NEW", "T", "training", "general", 2025, "employee", "", ""],
        ["NEW", "T", "training", "general", 2025, "employee", "", ""],
    ]
    path = write_csv(ws.tmp / "bad-c.csv", CAMPAIGN_HEADER, rows)
    refused = _refused(lambda: import_campaigns(ws.db, path, actor=ACTOR))
    _all_chinese(refused, ("code is empty", "is longer than", "is already in the register",
                           "duplicate of row", "title is", "is not one of", "is not a year",
                           "worker_types is empty", "unknown entity", "is not a score"))  # fmt: skip


def test_lms_export_rows_are_worded_in_chinese(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(training_stream, "CHUNK_ROWS", 4)  # a repeat across chunks too
    rows: list[list[object]] = [
        ["NOPE", "P1", "SZ1", "", "employee", "", "", ""],
        ["AC25", "P9", "SZ1", "", "intern", "2025-03-01", "", ""],
        ["AC25", "P8", "VN1", "", "employee", "", "", ""],
        ["AC25", "P7", "SZ1", "", "employee", "2025-02-30", 101000, -1],
        ["AC25", "P6", "SZ1", "r" * 65, "employee", "", 50, "x"],
        ["AC25", "P6", "SZ1", "", "employee", "2025-03-01 08:00", "", ""],
        ["AC25", "", "", "", "robot", "", "", ""],
        ["AC25", "P7", "SZ1", "", "employee", "", "", ""],
        ["AC25", "p" * 65, "SZ1", "", "employee", "", "", ""],
    ]
    refused = _refused(
        lambda: import_records(ws.db, records_file(ws.tmp, rows, "bad.csv"), actor=ACTOR)
    )
    _all_chinese(refused, ("unknown campaign", "are not in the audience", "is not in the "
                           "audience", "is not a date", "has a time of day", "is not between",
                           "without completed_on", "duplicate of row", "is not a number",
                           "person is empty", "entity is empty", "is not one of",
                           "is longer than"))  # fmt: skip
    rows_named = {(p.row, p.column) for p in refused.problems}
    assert (9, "person") in rows_named and (8, "person") in rows_named  # across, within
