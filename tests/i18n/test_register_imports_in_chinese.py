"""#19: a refused register file's row reasons in the reader's language, for the registers
imported from files beyond complaints, vulnerabilities and OHS incidents — assurance
engagements, board members and attendance, certificates, donations, volunteering and rates,
OHS hazards, drills and special operators, whistleblowing cases. Each check names its
message, so the reason is worded from the catalog as the API words a refused file for a
client asking for Chinese (``reason_in``), never by matching the English; the English reasons
the CLI prints are unchanged. (No page or API route uploads these files yet: the CLI is
their only writer, and its messages stay English.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected, Problem
from esgledger.ingest.readers import read_table
from esgledger.registers.assurance_import import validate_engagements
from esgledger.registers.board_import import validate_attendance, validate_members
from esgledger.registers.certification_import import validate_certificates
from esgledger.registers.giving_import import (
    validate_donations,
    validate_rates,
    validate_volunteering,
)
from esgledger.registers.ohs_safety_import import (
    validate_drills,
    validate_hazards,
    validate_operators,
)
from esgledger.registers.whistle_import import _validate as validate_cases
from tests.factories import write_csv
from tests.registers import ohs_safety_files as osf
from tests.registers.board_files import ATTENDANCE_HEADER, MEMBER_HEADER
from tests.registers.certification_files import HEADER as CERT_HEADER
from tests.registers.test_assurance_register import HEADER as ENGAGEMENT_HEADER
from tests.registers.test_giving_register import DONATION_HEADER, RATE_HEADER, VOLUNTEER_HEADER
from tests.registers.test_whistle_import import HEADER as CASE_HEADER

CJK = re.compile(r"[\u4e00-\u9fff]")
ENTITIES = {"SZ1", "WH1", "GRP"}


def _refused(
    tmp: Path, header: list[str], rows: list[list[Any]], validate: Callable[..., Any], **kw: Any
) -> list[Problem]:
    table = read_table(write_csv(tmp / "f.csv", header, rows))
    with pytest.raises(ImportRejected) as caught:
        validate(table, **kw)
    return caught.value.problems


def _worded(problems: list[Problem], english: tuple[str, ...]) -> None:
    """Every reason in Chinese without the English words; each English phrase is still in
    the English reasons (the CLI's lines unchanged)."""
    said = " ".join(p.reason for p in problems)
    assert all(words in said for words in english), said
    for p in problems:
        zh = reason_in(p, "zh")
        assert p.message_id, p.reason  # named, so it is worded from the catalog
        assert CJK.search(zh), zh
        assert not any(words in zh for words in english), zh


def test_assurance_engagements(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("")
    rows = [
        ["A1", "20x5", "", "isae_3000", "high", "", "NOPE", "2026-13-01", "statement.exe"],
        ["A1", "2025", "P", "aa1000as_v3", "limited", "ghg.nope", "", "2024-03-01", "empty.md"],
        ["A3", "2025", "P", "isae_3000", "limited", "ghg.scope1", "", "2026-03-01", "gone.md"],
        ["A4", "2025", "P", "isae_3000", "limited", "ghg.scope1", "", "2026-03-01", "../x.md"],
    ]
    problems = _refused(tmp_path, ENGAGEMENT_HEADER, rows, validate_engagements,
                        folder=tmp_path, metrics={"ghg.scope1"}, entities=ENTITIES)  # fmt: skip
    _worded(problems, ("is empty", "is not a year", "is not a level of", "unknown metric",
                       "unknown entity", "is not a date", "before the year it assures",
                       "is not one of", "does not exist", "must be a file name",
                       "duplicate of row"))  # fmt: skip


def test_board_members_and_attendance(tmp_path: Path) -> None:
    members = [
        ["D1", "GRP", "", "boss", "yes", "yes", "x", "2015", "2020-01-01", "2019-01-01", "golf"],
        ["D1", "GRP", "A", "director", "maybe", "no", "male", "19x0", "2020-01-01", "", ""],
    ]
    problems = _refused(tmp_path, MEMBER_HEADER, members, validate_members, entities=ENTITIES)
    _worded(problems, ("name is empty", "is not one of", "is not independent", "under 18",
                       "before being appointed", "is not yes or no", "is not a year",
                       "duplicate of row"))  # fmt: skip
    attendance = [
        ["GRP", "B1", "board", "2025-03-20", "D1", "present"],
        ["GRP", "B1", "audit", "2025-03-21", "D9", "asleep"],
    ]
    problems = _refused(tmp_path, ATTENDANCE_HEADER, attendance, validate_attendance,
                        entities=ENTITIES, members={("GRP", "D1")},
                        stored={("GRP", "B1", "D1")})  # fmt: skip
    _worded(problems, ("is already in the register", "is not a board member",
                       "has body", "has date", "is not one of"))  # fmt: skip


def test_certificates(tmp_path: Path) -> None:
    rows = [
        ["SZ1", "", "C1", "CQC", "2025-01-01", "2024-01-01", "", "", "", "2026-01-01"],
        ["SZ1", "ISO 9001", "C2", "CQC", "2025-01-01", "2028-01-01", "", "", "2030-01-01",
         "soon"],
    ]  # fmt: skip
    problems = _refused(tmp_path, CERT_HEADER, rows, validate_certificates, entities=ENTITIES)
    _worded(problems, ("standard is empty", "but was issued on", "outside its validity",
                       "separate audits with", "falls outside"))  # fmt: skip


def test_donations_volunteering_and_rates(tmp_path: Path) -> None:
    donations = [["G1", "SZ1", "2025-02-30", "", "church", "cash", "-5", "yuan"]]
    problems = _refused(tmp_path, DONATION_HEADER, donations, validate_donations,
                        entities=ENTITIES)  # fmt: skip
    _worded(problems, ("is not a date", "programme is empty", "is not one of",
                       "is not above 0", "currency code"))  # fmt: skip
    volunteering = [["SZ1", "year", "Schools", "many", "lots"]]
    problems = _refused(tmp_path, VOLUNTEER_HEADER, volunteering, validate_volunteering,
                        entities=ENTITIES)  # fmt: skip
    _worded(problems, ("is not a year", "whole number of participations", "is not a number"))
    rates = [
        ["USD", "USD", "2025-01-01", "2024-12-31", "7.1", "a bank"],
        ["EUR", "CNY", "2025-01-01", "2025-12-31", "7.8", "a bank"],
        ["EUR", "CNY", "2025-06-01", "2026-05-31", "7.9", "a bank"],
    ]
    problems = _refused(tmp_path, RATE_HEADER, rates, validate_rates)
    _worded(problems, ("one currency into another", "before it starts", "overlaps row"))


def test_ohs_hazards_drills_and_special_operators(tmp_path: Path) -> None:
    hazards = [["", "SZ1", "2025-05-01", "object", "general", "", "2025-04-01"]]
    problems = _refused(tmp_path, osf.HAZARD_HEADER, hazards, validate_hazards,
                        entities=ENTITIES)  # fmt: skip
    _worded(problems, ("ref is empty", "before it was identified"))
    drills = [["D1", "SZ1", "2025-03-15 10:00", "fire", "-3", ""]]
    problems = _refused(tmp_path, osf.DRILL_HEADER, drills, validate_drills, entities=ENTITIES)
    _worded(problems, ("has a time of day", "is not a whole number from 0"))
    operators = [
        ["SZ1", "E1", "electrical", "2025-01-01", "T1", "", "2024-01-01", "2024-06-01"],
        ["SZ1", "E2", "electrical", "2025-01-01", "", "2024-01-01", "", ""],
        ["SZ1", "E3", "electrical", "2025-01-01", "T3", "2025-01-01", "2024-01-01", ""],
    ]
    problems = _refused(tmp_path, osf.OPERATOR_HEADER, operators, validate_operators,
                        entities=ENTITIES)  # fmt: skip
    _worded(problems, ("needs its issue date", "without a certificate number",
                       "before being assigned", "but was issued on"))  # fmt: skip


def test_whistleblowing_cases(tmp_path: Path) -> None:
    rows = [
        ["H-1", "SZ1", "hotline", "fraud", "2025-01-10 10:00", "", "closed", "cora", "",
         "", "", ""],
        ["H-2", "SZ1", "hotline", "fraud", "2025-01-10 10:00", "d", "corrective_action", "",
         "maybe", "", "2025-01-01 10:00", ""],
        ["H-3", "SZ1", "hotline", "fraud", "2025-01-10 10:00", "d", "followed_up", "cora",
         "unsubstantiated", "", "2025-01-09 10:00", ""],
        ["H-TOO-LONG-FOR-A-REF", "SZ1", "hotline", "fraud", "soon", "d", "received", "", "",
         "", "later", ""],
    ]  # fmt: skip
    problems = _refused(tmp_path, CASE_HEADER, rows, validate_cases, entities=ENTITIES,
                        stored={"H-1"})  # fmt: skip
    _worded(problems, ("is already in the register", "description is empty",
                       "needs closed_at", "only a closed case", "is not a date and time",
                       "closed_at is before", "names its investigator",
                       "closes with an outcome", "follows a substantiated",
                       "corrective action is empty", "follow-up note is empty",
                       "is longer than 16", "is not one of"))  # fmt: skip
