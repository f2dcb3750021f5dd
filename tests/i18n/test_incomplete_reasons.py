"""#19: each kind of reason a figure is incomplete — a run's unresolved results, a Scope 3
category screened relevant without a figure, a category's unresolved rows, a formula with
an incomplete input — is worded in Chinese on the report and on the /kpis page from the
figure's ``incomplete_why``, while the API's ``incomplete_reason`` keeps its English.

One workspace gives all four kinds in 2025: Vietnamese purchased heat has no factor, so the
run leaves it unresolved (Scope 2 is incomplete, and so is Scope 3 category 3, the heat's
upstream); category 7 is screened relevant with no activity data (the Scope 3 total misses
it, and category 3's unresolved row: both reasons named); total emissions (Scope 1 + Scope 2) is a formula over the incomplete Scope 2.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from esgledger.catalog import metrics
from esgledger.catalog.translations import text as catalog_text
from esgledger.kpi.incomplete_why import published_words
from esgledger.ledger.db import Database
from esgledger.ledger.scope3_screening import import_screening
from tests.api_reads import auditor_get, undivided_kpi_rows
from tests.checks.workspace import ACTOR, Workspace
from tests.conftest import Cli
from tests.scope3.screening_files import screening_rows, write_screening
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import ZH

YEAR = 2025
ENGLISH = ("unresolved", "incomplete", "screened", "esg calc", "from ", "rows")


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
    relevant = screening_rows({3: "average_data", 7: "distance_based"})
    import_screening(db, write_screening(tmp_path, relevant), year=YEAR, actor=ACTOR)
    return int(ws.calc(YEAR)["run_id"])


def _name(metric: str) -> str:
    return catalog_text("metric", metric, "zh")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _part(page: str, start: str, end: str) -> str:
    assert start in page, start
    return page.split(start, 1)[1].split(end, 1)[0]


def test_the_chinese_report_words_each_kind(cli: Cli, run_id: int, tmp_path: Path) -> None:
    out = tmp_path / "report"
    cli("report", "--year", str(YEAR), "--lang", "zh", "--format", "html", "--out", str(out),
        "--preview", "--years", "1")  # fmt: skip
    (page,) = out.glob("*.zh.html")
    said = _text(page.read_text(encoding="utf-8"))
    assert (
        f"{_name('ghg.scope2_market')}（{YEAR}年）数据不完整：计算中有活动数据行未能匹配排放因子。"
        in said
    )
    assert (
        f"{_name('ghg.scope3')}（{YEAR}年）数据不完整：经筛选为相关但尚无数据：cat7；"
        "另有活动数据行未能解析：cat3（1 行）。" in said
    )
    assert f"{_name('ghg.scope3.cat3')}（{YEAR}年）数据不完整：1 行未能解析。" in said
    assert f"{_name('ghg.total')}（{YEAR}年）数据不完整：来自{_name('ghg.scope2_market')}。" in said
    for english in ("is incomplete", "screened relevant", "rows unresolved", f"run {run_id}"):
        assert english not in said


@pytest.fixture
def zh_page(db: Database, web: TestClient, run_id: int) -> str:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    got = web.get(f"/kpis?year={YEAR}&years=1&all=1", headers=ZH)
    assert got.status_code == 200
    return got.text


def _mark(page: str, metric: str) -> str:
    row = _part(page, f'<tr data-metric="{metric}">', "</tr>")
    cell = _part(row, f'data-year="{YEAR}"', "</td>")
    return html.unescape(_part(cell, 'data-mark="incomplete" title="', '"'))


def test_the_kpis_page_words_each_kind_in_chinese(zh_page: str, run_id: int) -> None:
    run = f"计算运行 {run_id} 有 1 条活动结果未能解析"
    marks = {
        "ghg.scope2_market": f"不完整：{run}",
        "ghg.scope3": "不完整：经筛选为相关但尚无数据：cat7；另有活动数据行未能解析：cat3（1 行）",
        "ghg.scope3.cat3": "不完整：1 行未能解析",
        "ghg.scope3.cat7": "不完整：经筛选为相关但尚无数据：cat7",
        "ghg.total": f"不完整：来自{_name('ghg.scope2_market')}（{run}）",
    }
    for metric, expected in marks.items():
        assert _mark(zh_page, metric) == expected, metric
    notes = _text(_part(zh_page, 'data-testid="kpi-notes"', "</section>"))
    for metric, expected in marks.items():
        why = expected.removeprefix("不完整：")
        assert f"{_name(metric)}（{YEAR}年）数据不完整：{why}。" in notes, metric
    for english in ENGLISH:
        assert english not in notes and all(english not in _mark(zh_page, m) for m in marks)


@pytest.fixture
def api_rows(db: Database, run_id: int) -> Iterator[dict[str, dict[str, Any]]]:
    body = auditor_get(db, "/kpis", params={"year": YEAR, "years": 1}, headers=ZH)
    yield {metric: r["figures"][str(YEAR)] for metric, r in undivided_kpi_rows(body).items()}


def test_the_api_keeps_its_english_and_gives_the_code(
    api_rows: dict[str, dict[str, Any]], run_id: int
) -> None:
    """The English the API gave before #19's codes, word for word (a Chinese Accept-Language
    changes nothing), and the code with its values beside it for a client to word."""
    run = (
        f"run {run_id} left 1 activity result(s) of it unresolved (`esg calc show --run {run_id}`)"
    )
    scope2 = metrics()["ghg.scope2_market"].name
    expected = {
        "ghg.scope2_market": (run, {"code": "unresolved", "run": run_id, "rows": 1}),
        "ghg.scope3": (
            "screened relevant but without a figure: cat7, and activity rows unresolved in "
            "cat3 (1 row(s))",
            {"code": "screening_gaps", "categories": ["cat7"], "category_rows": {"cat3": 1}},
        ),
        "ghg.scope3.cat3": ("1 rows unresolved", {"code": "category_rows", "rows": 1}),
        "ghg.scope3.cat7": (
            "the calculation run left activity rows unresolved (`esg calc show` lists them)",
            {"code": "screening_gaps", "categories": ["cat7"]},
        ),
        "ghg.total": (
            f"from {scope2} ({run})",
            {"code": "inputs", "metrics": ["ghg.scope2_market"]},
        ),
    }
    for metric, (reason, why) in expected.items():
        figure = api_rows[metric]
        assert (figure["incomplete_reason"], figure["incomplete_why"]) == (reason, why), metric
    assert api_rows["ghg.scope1"]["incomplete_why"] is None


def test_a_total_with_both_reasons_names_both_in_english_and_chinese() -> None:
    """The report's words for a Scope 3 total short of a screened category and of a
    category's unresolved rows: every reason, in each edition."""
    why = {"code": "screening_gaps", "categories": ["cat7", "cat9"],
           "category_rows": {"cat3": 2, "cat11": 1}}  # fmt: skip
    figure = {"incomplete": True, "incomplete_why": why}
    assert published_words(figure, "en") == (
        "screened relevant but without a figure: cat7, cat9, and activity rows unresolved in "
        "cat3 (2 row(s)), cat11 (1 row(s))"
    )
    assert published_words(figure, "zh") == (
        "经筛选为相关但尚无数据：cat7, cat9；另有活动数据行未能解析：cat3（2 行）、cat11（1 行）"
    )
