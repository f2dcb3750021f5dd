"""#19: the notes the KPI tables write themselves — a formula's ("missing input", "= …",
"leaves out (no records)"), an activity sum's and a calculation run's, and precedence's
"reported; nothing recomputed (…)" — carry their parts as codes and values (``note_why``):
the Chinese KPI page and the Chinese report edition word them, the API gives the codes, and
the English notes are word for word what they were."""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from esgledger.catalog import metrics
from esgledger.catalog.translations import text as catalog_text
from esgledger.disclose.edition_env import edition_environment
from esgledger.disclose.social_registers import social_section
from esgledger.kpi.calculated import run_figure
from esgledger.kpi.derived import derived_figure
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.precedence import choose
from esgledger.kpi.register_figures.notes import note_of, worded_note
from esgledger.kpi.scope import Scope
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace
from tests.registers import complaint_files
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import EN

YEAR = 2025
SHARE = "customer.complaints.closed_within_sla_share"
WITHIN = "customer.complaints.closed_within_sla"


def _name(metric: str) -> str:
    return catalog_text("metric", metric, "zh")


def test_a_formula_missing_an_input_is_worded_from_its_code() -> None:
    figure = derived_figure(metrics()[SHARE], YEAR, {})
    english = f"not available: missing input: {WITHIN}, customer.complaints.closed"
    assert figure.note == english and note_of(figure.note_why) == english
    assert figure.note_why == [
        {"code": "missing_input", "values": {"metrics": [WITHIN, "customer.complaints.closed"]}}
    ]
    assert worded_note(figure.note, figure.note_why, "zh") == (
        f"不可用：缺少输入：{_name(WITHIN)}、{_name('customer.complaints.closed')}"
    )


def test_a_formula_with_a_value_says_its_formula_in_either_language() -> None:
    within = KpiFigure(WITHIN, YEAR, 3.0, "case", "register")
    closed = KpiFigure("customer.complaints.closed", YEAR, 4.0, "case", "register")
    figure = derived_figure(
        metrics()[SHARE], YEAR, {(WITHIN, ""): within, ("customer.complaints.closed", ""): closed}
    )
    formula = metrics()[SHARE].formula
    assert figure.note == f"= {formula}" and note_of(figure.note_why) == figure.note
    assert worded_note(figure.note, figure.note_why, "zh") == f"= {formula}"


def test_a_calculated_figure_without_a_run_is_worded_from_its_code() -> None:
    metric = next(m for m in metrics().values() if m.calc_key.startswith("calc:"))
    scope = Scope(code=None, shares={})
    figure = run_figure(metric, YEAR, scope, None)
    english = f"no calculation run for {YEAR}; run `esg calc --year {YEAR}`"
    assert figure.note == english and note_of(figure.note_why) == english
    assert worded_note(figure.note, figure.note_why, "zh") == (
        f"{YEAR}年尚无计算运行；请运行 `esg calc --year {YEAR}`"
    )


def test_a_reported_figure_over_nothing_recomputed_words_both_notes() -> None:
    reported = KpiFigure(SHARE, YEAR, 80.0, "%", "reported")
    computed = derived_figure(metrics()[SHARE], YEAR, {})
    used = choose(reported, computed)
    english = (
        f"reported; nothing recomputed (not available: missing input: {WITHIN}, "
        "customer.complaints.closed)"
    )
    assert used.note == english and note_of(used.note_why[:2]) == english
    # the recomputed note's own codes follow, to word it inside the parentheses
    assert [w["code"] for w in used.note_why] == ["reported", "nothing_recomputed",
                                                   "missing_input"]  # fmt: skip
    assert worded_note(used.note, used.note_why, "zh") == (
        f"已报告；未重新计算（不可用：缺少输入：{_name(WITHIN)}、"
        f"{_name('customer.complaints.closed')}）"
    )


@pytest.fixture
def no_sla(db: Database, tmp_path: Path) -> Database:
    complaint_files.load(Workspace(db, tmp_path), slas=False)  # within-SLA cannot be judged
    return db


def test_the_chinese_kpi_page_words_a_formula_note(no_sla: Database, web: TestClient) -> None:
    make_user(no_sla, "mia", "esg_manager")
    csrf = log_in(web, "mia")
    # the user's stored preference, over an English Accept-Language
    saved = web.post("/account/language", data={"lang": "zh", "csrf_token": csrf}, headers=EN)
    assert saved.status_code in (200, 303), saved.text
    page = html.unescape(web.get(f"/kpis?year={YEAR}&all=1", headers=EN).text)
    row = page[page.index(f'<tr data-metric="{SHARE}"') :]
    cell = row[row.index(f'data-year="{YEAR}"') : row.index("</tr>")]
    title = re.search(r'title="([^"]*)"', cell)
    assert title and title.group(1) == f"缺少输入：{_name(WITHIN)}", cell[:300]
    assert f"missing input: {WITHIN}" not in page


def test_the_chinese_report_edition_words_a_formula_note(no_sla: Database) -> None:
    with no_sla.read() as session:
        series = kpi_series(session, YEAR, years=1)
    section = social_section(series)
    assert section is not None
    model = SimpleNamespace(extras={"social_registers": section})
    page = {
        lang: edition_environment(lang).get_template("social_registers.html.j2").render(m=model)
        for lang in ("en", "zh")
    }
    note = re.compile(rf'<tr data-metric="{SHARE}">.*?<td class="note">([^<]*)</td>', re.S)
    zh, en = note.search(page["zh"]), note.search(page["en"])
    assert zh and en
    assert en.group(1) == f"missing input: {WITHIN}"  # the English edition as before
    assert zh.group(1) == f"缺少输入：{_name(WITHIN)}"


def test_a_social_figure_missing_from_the_series_is_worded_in_the_chinese_edition() -> None:
    """A register figure the year's series does not hold at all is "no figure for the year"
    in the section: coded (``no_figure_year``), so the Chinese edition words it."""
    received = "customer.complaints.received"
    series = {
        "year": YEAR,
        "kpis": [
            {"metric": received, "dims": {}, "unit": "count", "figures": {str(YEAR): {"value": 4}}}
        ],
    }
    section = social_section(series)
    assert section is not None
    row = next(r for r in section["blocks"][0]["rows"] if r["metric"] == "customer.nps.score")
    assert row["note_full"] == "no figure for the year"  # English as before
    assert note_of(row["note_why"]) == row["note_full"]
    model = SimpleNamespace(extras={"social_registers": section})
    page = {
        lang: edition_environment(lang).get_template("social_registers.html.j2").render(m=model)
        for lang in ("en", "zh")
    }
    note = re.compile(
        r'<tr data-metric="customer.nps.score">.*?<td class="note">([^<]*)</td>', re.S
    )
    zh, en = note.search(page["zh"]), note.search(page["en"])
    assert zh and en
    assert en.group(1) == "no figure for the year"
    assert zh.group(1) == "本年度无数据"
    assert "no figure for the year" not in page["zh"]
