"""#19: a Scope 3 total short only of a category's unresolved rows (no category screened
relevant without a figure) names the categories and their rows — in English on the API and in
the note, in Chinese on the /kpis page and in the Chinese report — where it used to say only
that the calculation left rows unresolved.

Vietnamese purchased heat has no factor, so category 3 (the heat's upstream) has a row left
unresolved; only category 3 is screened relevant, and it has a figure."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from esgledger.kpi.incomplete_why import published_words
from esgledger.kpi.readout import incomplete_reason
from esgledger.kpi.register_figures.notes import worded_note
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from esgledger.ledger.scope3_screening import import_screening
from tests.checks.workspace import ACTOR, Workspace
from tests.conftest import Cli
from tests.i18n.test_incomplete_reasons import _name, _part, _text
from tests.scope3.screening_files import screening_rows, write_screening
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import ZH

YEAR = 2025
ENGLISH = "activity rows unresolved in cat3 (1 row(s))"
CHINESE = "活动数据行未能解析：cat3（1 行）"
WHY = {"code": "unresolved_categories", "category_rows": {"cat3": 1}}


@pytest.fixture
def run_id(db: Database, tmp_path: Path) -> int:
    ws = Workspace(db, tmp_path)
    ws.boundary(f"{YEAR}-env", YEAR, "environment", "SZ1", "WH1")
    ws.activities(
        [
            ("SZ1", YEAR, "fuel.diesel", 50, "t", "mobile"),
            ("SZ1", YEAR, "electricity.purchased", 1000, "MWh"),
            ("VN1", YEAR, "heat.purchased", 500, "GJ"),  # no heat factor for VN: unresolved
        ]
    )
    relevant = screening_rows({3: "average_data"})
    import_screening(db, write_screening(tmp_path, relevant), year=YEAR, actor=ACTOR)
    return int(ws.calc(YEAR)["run_id"])


def test_the_total_names_the_categories_in_english_and_by_code(db: Database, run_id: int) -> None:
    with db.read() as session:
        series = kpi_series(session, YEAR, years=1)
    (row,) = [r for r in series["kpis"] if r["metric"] == "ghg.scope3" and not r["dims"]]
    figure = row["figures"][str(YEAR)]
    assert figure["incomplete"] and figure["incomplete_why"] == WHY
    assert incomplete_reason(figure) == ENGLISH
    assert published_words(figure, "en") == ENGLISH
    assert published_words(figure, "zh") == CHINESE


def test_the_chinese_page_and_report_name_the_categories(
    db: Database, web: TestClient, cli: Cli, run_id: int, tmp_path: Path
) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    page = web.get(f"/kpis?year={YEAR}&years=1&all=1", headers=ZH).text
    row = _part(page, '<tr data-metric="ghg.scope3">', "</tr>")
    cell = _part(row, f'data-year="{YEAR}"', "</td>")
    mark = html.unescape(_part(cell, 'data-mark="incomplete" title="', '"'))
    assert mark == f"不完整：{CHINESE}"
    out = tmp_path / "report"
    cli("report", "--year", str(YEAR), "--lang", "zh", "--format", "html", "--out", str(out),
        "--preview", "--years", "1")  # fmt: skip
    (report,) = out.glob("*.zh.html")
    said = _text(report.read_text(encoding="utf-8"))
    assert f"{_name('ghg.scope3')}（{YEAR}年）数据不完整：{CHINESE}。" in said


def test_the_totals_note_part_is_coded_and_worded(db: Database, run_id: int) -> None:
    """The note's "incomplete: …" part of the Scope 3 total carries its code, so a page
    showing the note words it (its English as before)."""
    with db.read() as session:
        series = kpi_series(session, YEAR, years=1)
    (row,) = [r for r in series["kpis"] if r["metric"] == "ghg.scope3" and not r["dims"]]
    figure = row["figures"][str(YEAR)]
    assert f"incomplete: {ENGLISH}" in figure["note"].split("; ")
    assert {"code": "scope3_incomplete", "values": {"gaps": WHY}} in figure["note_why"]
    chinese = worded_note(figure["note"], figure["note_why"], "zh")
    assert f"不完整：{CHINESE}" in chinese.split("; ") and "incomplete" not in chinese
