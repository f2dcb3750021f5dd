"""#19: a refused register file's row reasons in the reader's language — the complaint,
vulnerability, OHS incident, hours worked and NPS answer imports (a ref already stored or repeated, an empty or unknown
entity, a value not among the choices, an empty cell, a bad or out-of-order time), as the API
answers a client that asks for Chinese. A client asking for English gets the CLI's lines."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api, api, problem
from tests.factories import write_csv
from tests.i18n.test_file_checks_in_chinese import ZH, _all_chinese, _post
from tests.registers import complaint_files

__all__ = ["api"]  # the fixture, imported for pytest

GOOD = complaint_files.COMPLAINTS[0]
ROWS = [
    GOOD,
    [*GOOD[:1], "NOPE", *GOOD[2:]],  # a repeated ref, an unknown entity
    ["C-9", "", "pigeon", "", "urgent", *GOOD[5:]],  # no entity, two bad choices, no line
    ["C-10", "SZ1", "phone", "AC", "high", "", "2025-02-01 10:00", "", "", "", ""],
    ["C-11", "SZ1", "phone", "AC", "high", "yesterday", "", "", "", "", ""],
    ["C-12", "SZ1", "phone", "AC", "high", "2025-02-02 09:00", "2025-02-01 10:00", *[""] * 4],
]
ENGLISH = ("duplicate of row", "unknown entity", "entity is empty", "is not one of",
           "product_line is empty", "accepted_at is empty", "is not a date", "is before",
           "states are entered in order")  # fmt: skip


def test_complaint_rows_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "c.csv", complaint_files.HEADER, ROWS)
    zh = problem(_post(api, "mia", "/registers/complaints/import", file, ZH), 422)
    assert len(zh["problems"]) >= 9, zh["problems"]
    _all_chinese(zh, ENGLISH)
    en = problem(_post(api, "mia", "/registers/complaints/import", file, {}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert all(words in english for words in ENGLISH), english


INCIDENT_ROWS = [
    ["I-1", "SZ1", "2025-13-01", "employee", "injury", "maybe", "-3"],
    ["I-2", "SZ1", "2025-03-01 08:00", "robot", "injury", "no", "2.5"],
    ["", "SZ1", "2025-03-01", "employee", "injury", "no", "0"],
]
INCIDENT_ENGLISH = ("is not a date", "has a time of day", "is not one of", "is not yes or no",
                    "is not a whole number of days", "ref is empty")  # fmt: skip


def test_incident_rows_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    header = ["ref", "entity", "date", "worker_type", "kind", "high_consequence", "lost_days"]
    file = write_csv(tmp_path / "i.csv", header, INCIDENT_ROWS)
    zh = problem(_post(api, "mia", "/registers/ohs/incidents/import", file, ZH), 422)
    assert len(zh["problems"]) >= 6, zh["problems"]
    _all_chinese(zh, INCIDENT_ENGLISH)
    en = problem(_post(api, "mia", "/registers/ohs/incidents/import", file, {}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert all(words in english for words in INCIDENT_ENGLISH), english


HOURS_ROWS = [
    ["SZ1", "20x5", "employee", "1000"],
    ["NOPE", "2025", "robot", "lots"],
    ["", "2025", "employee", "-5"],
    ["SZ1", "2025", "contractor", "10"],
    ["SZ1", "2025", "contractor", "20"],
]
HOURS_ENGLISH = ("is not a year", "unknown entity", "is not one of", "is not a number",
                 "entity is empty", "is not between 0 and", "duplicate of row")  # fmt: skip


def test_hours_rows_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "h.csv", ["entity", "year", "worker_type", "hours"], HOURS_ROWS)
    zh = problem(_post(api, "mia", "/registers/ohs/hours/import", file, ZH), 422)
    assert len(zh["problems"]) >= 7, zh["problems"]
    _all_chinese(zh, HOURS_ENGLISH)
    en = problem(_post(api, "mia", "/registers/ohs/hours/import", file, {}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert all(words in english for words in HOURS_ENGLISH), english


NPS_ROWS = [
    ["SZ1", "2025-13-01", "domestic_distribution", "11"],
    ["NOPE", "2025-03-01 10:00", "martians", "7.5"],
    ["", "2025-03-01", "other", ""],
]
NPS_ENGLISH = ("is not a date", "has a time of day", "is not a whole number from 0 to 10",
               "unknown entity", "is not one of", "entity is empty")  # fmt: skip


def test_nps_answers_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "n.csv", ["entity", "date", "segment", "score"], NPS_ROWS)
    zh = problem(_post(api, "mia", "/registers/nps/import", file, ZH), 422)
    assert len(zh["problems"]) >= 8, zh["problems"]
    _all_chinese(zh, NPS_ENGLISH)
    reasons = " ".join(p["reason"] for p in zh["problems"])
    assert "'11'" in reasons and "'7.5'" in reasons  # the cell quoted, as in English
    en = problem(_post(api, "mia", "/registers/nps/import", file, {}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert all(words in english for words in NPS_ENGLISH), english
