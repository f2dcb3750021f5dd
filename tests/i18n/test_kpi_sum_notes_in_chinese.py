"""#19: the notes of a members' sum ("sum of N entities' values", the members left out for
a unit that cannot be converted) and of a calculated figure missing members' activity data
("partial: no YEAR activity data for N member(s)") carry their parts as codes
(``note_why``): a Chinese reader gets them worded, the English notes stay word for word."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.catalog import metrics
from esgledger.kpi.register_figures.notes import note_of, worded_note
from esgledger.kpi.reported import rows_figure
from esgledger.kpi.scope import Scope
from esgledger.ledger.db import Database
from tests.checks.plain import ROOT, row
from tests.checks.workspace import Workspace
from tests.kpi.plain import Ledger, figure_of
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import ZH

SCOPE = Scope("2025-env", {ROOT: 1.0, "SZ1": 1.0, "WH1": 0.5})
METRIC = metrics()["packaging.plastics"]  # additive, in t


def _sum(*rows):  # type: ignore[no-untyped-def]
    fig = rows_figure({}, METRIC, "", 2025, list(rows), ROOT, SCOPE)
    assert fig is not None
    return fig


def test_a_members_sum_says_so_in_chinese() -> None:
    fig = _sum(row(METRIC.id, 2.0, "t", entity_id="WH1"), row(METRIC.id, 1.0, "t", entity_id="SZ1"))
    assert fig.note == "sum of 2 entities' values"
    assert note_of(fig.note_why) == fig.note
    assert worded_note(fig.note, fig.note_why, "zh") == "2个主体数值之和"


def test_a_member_left_out_for_its_unit_is_worded_in_chinese() -> None:
    fig = _sum(
        row(METRIC.id, 2.0, "t", entity_id="WH1"), row(METRIC.id, 7.0, "person", entity_id="SZ1")
    )
    english = (
        "sum of 1 entities' values; partial: leaves out 1 entity's value in person "
        "(not convertible to t): SZ1"
    )
    assert fig.note == english
    assert worded_note(fig.note, fig.note_why, "zh") == (
        "1个主体数值之和；部分：未计入以 person 计的1个主体数值（无法换算为 t）：SZ1"
    )


def test_a_sum_of_nothing_convertible_is_not_available_in_chinese() -> None:
    fig = _sum(
        row(METRIC.id, 7.0, "person", entity_id="SZ1"),
        row(METRIC.id, 3.0, "person", entity_id="WH1"),
    )
    assert fig.value is None
    assert fig.note == (
        "not available: leaves out 2 entities' values in person (not convertible to t): SZ1, WH1"
    )
    assert worded_note(fig.note, fig.note_why, "zh") == (
        "不可用：未计入以 person 计的2个主体数值（无法换算为 t）：SZ1, WH1"
    )


def test_a_calculated_figure_missing_members_data_is_partial_in_chinese() -> None:
    ledger = Ledger()
    ledger.boundary("2025-env", 2025, "environment", "SZ1", "WH1", "VN1")
    ledger.activity("SZ1", 2025, "water.municipal", 5000, "t")
    municipal = figure_of(ledger.series(2025, years=1), "water.withdrawal.municipal", 2025)
    part = "partial: no 2025 activity data for 2 member(s) (VN1, WH1)"
    assert municipal["note"].endswith(part)
    worded = worded_note(municipal["note"], municipal["note_why"], "zh")
    assert worded.endswith("部分：2个成员没有2025年的活动数据（VN1, WH1）"), worded
    assert "activity data" not in worded


def test_the_chinese_kpi_page_words_a_members_sum(
    db: Database, web: TestClient, tmp_path: Path
) -> None:
    ws = Workspace(db, tmp_path)
    ws.kpis(
        {"entity": "SZ1", "metric": METRIC.id, "value": 2, "unit": "t", "year": 2025},
        {"entity": "WH1", "metric": METRIC.id, "value": 1, "unit": "t", "year": 2025},
    )
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    page = html.unescape(web.get("/kpis?year=2025&all=1", headers=ZH).text)
    row = page[page.index(f'<tr data-metric="{METRIC.id}"') :]
    cell = row[row.index('data-year="2025"') : row.index("</tr>")]
    title = re.search(r'title="([^"]*)"', cell)
    assert title and title.group(1) == "2个主体数值之和", cell[:300]
    assert "entities' values" not in page


def test_a_group_value_in_another_measure_says_why_in_chinese() -> None:
    fig = _sum(row(METRIC.id, 7.0, "person"))
    assert fig.value is None
    assert fig.note.startswith("not available: stored in person, not convertible to t")
    worded = worded_note(fig.note, fig.note_why, "zh")
    assert worded.startswith("不可用：以 person 存储，无法换算为 t"), worded
