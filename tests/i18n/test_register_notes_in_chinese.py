"""#19: the notes of the complaints, vulnerabilities and giving registers — "no SLA set for
… complaints / vulnerabilities", a donation without a rate for its day — carry their parts as
codes and values (``note_why``), as the supplier notes do: the Chinese KPI page words them
from their codes, the API gives the codes beside the English note, and the English note is
word for word what it was."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from esgledger.checks import explained
from esgledger.kpi.explain import explain_figure
from esgledger.kpi.register_figures.notes import note_of, part_message, worded_note
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from esgledger.registers.giving import import_donations, import_volunteering
from tests.api_reads import auditor_get
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_csv
from tests.registers import complaint_files, vulnerability_files
from tests.registers.test_giving_register import (
    DONATION_HEADER,
    DONATIONS,
    VOLUNTEER_HEADER,
    VOLUNTEERING,
)
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import ZH

YEAR = 2025
COMPLAINTS = ("customer.complaints.closed_within_sla", "complaint_severity=medium")
VULNERABILITIES = ("cybersecurity.vulnerabilities.fixed_within_sla", "")
DONATIONS_KEY = ("social.donations", "")
# The English notes, word for word as the registers always wrote them.
ENGLISH = {
    COMPLAINTS: "not available: no SLA set for medium complaints",
    VULNERABILITIES: "not available: no SLA set for medium vulnerabilities",
    DONATIONS_KEY: "not available: 1 donation(s) have no CNY rate for their date, first D3 "
    "(USD, 2025-05-03); import the rate with its source (`esg register giving import-rates`)",
}
LEAD = "not available: the register has no figure for the boundary"
LEAD_ZH = "不适用：登记册在该边界内没有数据"
CHINESE = {
    COMPLAINTS: "不可用：严重程度为 中 的投诉未设置服务时限",
    VULNERABILITIES: "不可用：严重程度为 中 的漏洞未设置服务时限",
    DONATIONS_KEY: "不可用：1 笔捐赠在其日期没有 CNY 汇率，第一笔为 D3（USD，2025-05-03）；"
    "请导入汇率并注明来源（`esg register giving import-rates`）",
}


def _load(db: Database, tmp_path: Path) -> None:
    ws = Workspace(db, tmp_path)
    complaint_files.load(ws, slas=False)
    complaint_files.set_slas(ws, [("high", "accepted", 2)])  # nothing for medium
    vulnerability_files.load(ws)  # no SLA for medium by default
    import_donations(db, write_csv(tmp_path / "d.csv", DONATION_HEADER, DONATIONS), actor=ACTOR)
    import_volunteering(
        db, write_csv(tmp_path / "v.csv", VOLUNTEER_HEADER, VOLUNTEERING), actor=ACTOR
    )  # and no rates: the USD donation has none


def _figures(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    with db.read() as session:
        series = kpi_series(session, YEAR, years=1)
    return {
        (k["metric"], ";".join(f"{a}={b}" for a, b in sorted(k["dims"].items()))): k["figures"][
            str(YEAR)
        ]
        for k in series["kpis"]
    }


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    _load(db, tmp_path)
    return db


def test_the_notes_keep_their_english_and_carry_their_codes(loaded: Database) -> None:
    got = _figures(loaded)
    for key, english in ENGLISH.items():
        figure = got[key]
        # the roll-up's own lead, then the register's note
        assert figure["value"] is None and figure["note"] == f"{LEAD}; {english}", key
        assert note_of(figure["note_why"]) == figure["note"]
        chinese = worded_note(figure["note"], figure["note_why"], "zh")
        assert chinese == f"{LEAD_ZH}；{CHINESE[key]}", key
    assert got[COMPLAINTS]["note_why"][1:] == [
        {"code": "no_sla_complaints", "values": {"severities": ["medium"]}}
    ]


def _cell_title(page: str, metric: str) -> str:
    row = page[page.index(f'<tr data-metric="{metric}"') :]
    row = row[: row.index("</tr>")]
    cell = row[row.index(f'data-year="{YEAR}"') :]
    found = re.search(r'title="([^"]*)"', cell)
    assert found, cell[:400]
    return html.unescape(found.group(1))


def test_the_chinese_kpi_page_words_them(loaded: Database, web: TestClient) -> None:
    make_user(loaded, "mia", "esg_manager")
    log_in(web, "mia")
    page = html.unescape(web.get(f"/kpis?year={YEAR}&all=1", headers=ZH).text)
    for key in (VULNERABILITIES, DONATIONS_KEY):
        assert _cell_title(page, key[0]) == f"{LEAD_ZH}；{CHINESE[key]}"
        assert ENGLISH[key].removeprefix("not available: ") not in page, key
    assert "no SLA set" not in page and "donation(s) have no" not in page


def test_the_api_gives_the_codes_beside_the_english(loaded: Database) -> None:
    body = auditor_get(loaded, "/kpis", params={"year": YEAR, "years": 1}, headers=ZH)
    rows = {
        (r["metric"], ";".join(f"{a}={b}" for a, b in sorted(r["dims"].items()))): r["figures"][
            str(YEAR)
        ]
        for r in body["kpis"]
    }
    for key, english in ENGLISH.items():
        figure = rows[key]
        assert figure["note"] == f"{LEAD}; {english}", key
        chinese = worded_note(figure["note"], figure["note_why"], "zh")
        assert chinese == f"{LEAD_ZH}；{CHINESE[key]}", key


def test_the_lineage_gives_each_entity_note_with_its_codes(loaded: Database) -> None:
    """``register_lineage`` (``esg kpi explain``, the API's explain) returns each entity
    figure's ``note_why`` beside its note, so a reader words it as the table's note."""
    with loaded.read() as session:
        found = explain_figure(session, VULNERABILITIES[0], YEAR)
    rows = found["register_rows"]
    assert rows
    for row in rows:
        assert row["note"] == ENGLISH[VULNERABILITIES], row
        assert row["note_why"] == [
            {"code": "no_sla_vulnerabilities", "values": {"severities": ["medium"]}}
        ]
        assert worded_note(row["note"], row["note_why"], "zh") == CHINESE[VULNERABILITIES]


def test_a_check_quoting_the_no_sla_reason_words_its_severities(loaded: Database) -> None:
    """A check finding quotes a register figure's reason by its code (``part_message``, as
    the ``available`` rules do): the severities inside it are catalog entries, worded in the
    reader's language (中, not "medium"); the English is the note's word for word."""
    figure = _figures(loaded)[COMPLAINTS]
    part = ENGLISH[COMPLAINTS]
    known = part_message(part, figure["note_why"])
    assert known is not None
    message = explained.said(*known)
    assert explained.english(message) == part
    assert explained.worded(message, "zh") == CHINESE[COMPLAINTS]
