"""#19: the reasons a calculation run writes for a Scope 3 category or total — "left out by
the screening: …", "screened not relevant (…) but catN has calculated rows …", "incomplete:
N rows unresolved", "not available: all N rows unresolved (…)", "not available: no Scope 3
row could be computed (…)" — are stored with the run as codes beside the English sentence
(``reason_why`` in a category's block, ``total_reason_why`` in the Scope 3 block), so the
KPI notes on the API carry them as ``note_why`` and the Chinese pages and report word them.
The English is word for word what it was. A run stored before keeps its English sentence,
worded in Chinese where it matches a code's English whole (its values as stored, "; " inside
it included), else shown as stored."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.auth.tokens import issue_token
from esgledger.catalog.messages import translate
from esgledger.catalog.scope3_diagnostics import diagnostics_words
from esgledger.catalog.scope3_run_reasons import RUN_CODES
from esgledger.catalog.scope3_screening import REASONS
from esgledger.catalog.translations import text as catalog_text
from esgledger.kpi.register_figures.notes import note_of, worded_note
from esgledger.kpi.series import kpi_series
from esgledger.ledger.models import CalculationRun
from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli
from tests.factories import write_csv
from tests.i18n.test_incomplete_reasons import _part, _text
from tests.scope3.screening_files import HEADER, screening_rows
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import ZH

YEAR = 2025
NOTE = "T&D losses of the Chinese grid: no cited factor"
SCREENED_OUT = (
    "screened not relevant (no_activity: no category 1 activity) but cat1 has calculated "
    "rows: the figure counts; review the screening"
)
LEFT_OUT = f"left out by the screening: electricity.purchased (1 rows); size: {NOTE}"
RELEVANT = f"not available: screened relevant (size: {REASONS['size']}) but no activity data"
# English words of the reasons' frames that a Chinese reader must not meet
FRAMES = re.compile(
    r"\b(?:screened|calculated rows|figure counts|review the|left out|rows unresolved|"
    r"incomplete|not available|no activity data|could be computed|method)\b"
)


def _screened_run(cli: Cli, tmp_path: Path) -> int:
    """Category 1 screened out yet computed, category 2 short of one row, category 3 with
    an activity type the screening leaves out, category 7 relevant without data."""
    calc = scope3_runner(cli, tmp_path)
    rows = [
        [*r, ""] if r[0] not in ("cat3", 3) else [*r[:3], NOTE, r[4], r[5], "electricity.purchased"]
        for r in screening_rows({2: "spend_based", 3: "average_data", 7: "distance_based"})
    ]
    path = write_csv(tmp_path / "screening.csv", [*HEADER, "excluded_activities"], rows)
    cli("scope3", "screening", "import", str(path), "--year", str(YEAR))
    spend = {"price_year": "2022"}
    out = calc(
        [
            row("SZ", YEAR, "spend.purchased_goods", 1000, "USD", naics="327310", **spend),
            row("SZ", YEAR, "spend.capital_goods", 3000, "USD", naics="327310", **spend),
            row("SZ", YEAR, "spend.capital_goods", 500, "USD", naics="999999", **spend),
            row("SZ", YEAR, "fuel.diesel", 10, "t"),
            row("SZ", YEAR, "electricity.purchased", 1000, "MWh"),
        ],
        YEAR,
        "--allow-incomplete",
    )
    return int(out["run_id"])


def _stored(cli: Cli, run_id: int) -> dict[str, Any]:
    with cli.db.read() as session:
        run = session.get(CalculationRun, run_id)
        assert run is not None
        return dict(json.loads(run.totals)["scope3"])


def _categories(cli: Cli) -> dict[str, dict[str, Any]]:
    with cli.db.read() as session:
        series = kpi_series(session, YEAR, years=1)
    return {
        k["metric"].removeprefix("ghg.scope3."): k["figures"][str(YEAR)]
        for k in series["kpis"]
        if k["metric"].startswith("ghg.scope3") and not k["dims"]
    }


def _electricity_zh() -> str:
    return catalog_text("activity", "electricity.purchased", "zh")


def test_a_run_stores_each_category_reason_as_codes_that_word_its_english(
    cli: Cli, tmp_path: Path
) -> None:
    run_id = _screened_run(cli, tmp_path)
    blocks = _stored(cli, run_id)["by_category"]
    english = {
        "cat1": SCREENED_OUT,
        "cat2": "incomplete: 1 rows unresolved",
        "cat3": LEFT_OUT,
        "cat4": "no_activity: no category 4 activity",
        "cat7": RELEVANT,
    }
    for key, reason in english.items():
        assert blocks[key]["reason"] == reason, key
        assert note_of(blocks[key]["reason_why"][:1]) == reason, key
    chinese = {k: worded_note(r, blocks[k]["reason_why"], "zh") for k, r in english.items()}
    assert chinese["cat1"] == (
        "经筛选为不相关（无相关活动：no category 1 activity），但 cat1 有已计算的数据行："
        "该数值计入总量；请复核筛选"
    )
    assert chinese["cat2"] == "不完整：1 行未能解析"
    assert chinese["cat3"] == f"筛选中未纳入：{_electricity_zh()}（1行）；规模：{NOTE}"
    size_zh = translate(REASONS["size"], "zh")
    assert chinese["cat7"] == f"不可用：经筛选为相关（规模：{size_zh}），但没有活动数据"
    for key, worded in chinese.items():
        assert not FRAMES.search(worded.replace(NOTE, "")), (key, worded)


def test_the_kpi_notes_carry_the_codes_and_the_chinese_kpi_page_words_them(
    cli: Cli, web: TestClient, tmp_path: Path
) -> None:
    run_id = _screened_run(cli, tmp_path)
    figures = _categories(cli)
    assert figures["cat1"]["note"] == f"method: spend based; {SCREENED_OUT}"
    assert figures["cat3"]["note"].endswith(f"; {LEFT_OUT}")
    for key in ("cat1", "cat2", "cat3"):  # the method's part, the reason's (then its own)
        assert note_of(figures[key]["note_why"][:2]) == figures[key]["note"], key
    make_user(cli.db, "mia", "esg_manager")
    log_in(web, "mia")
    page = web.get(f"/kpis?year={YEAR}&years=1&all=1", headers=ZH).text
    titles = {}
    for key in ("cat1", "cat2", "cat3"):
        line = _part(page, f'<tr data-metric="ghg.scope3.{key}">', "</tr>")
        cell = _part(line, f'data-year="{YEAR}"', ">")
        titles[key] = html.unescape(_part(cell, 'title="', '"'))
    # parts of a note are joined as the KPI pages join them ("；" in Chinese)
    assert titles["cat1"].startswith("方法：支出法；经筛选为不相关（"), titles["cat1"]
    assert titles["cat2"] == "方法：支出法；不完整：1 行未能解析"
    assert titles["cat3"].endswith(f"筛选中未纳入：{_electricity_zh()}（1行）；规模：{NOTE}")
    for key, title in titles.items():
        assert not FRAMES.search(title.replace(NOTE, "")), (key, title)
    # the API gives the English note, unchanged, with its codes beside it
    with cli.db.write() as session:
        token, _ = issue_token(session, "mia", actor="test")
    answer = web.get(f"/api/v1/kpis?year={YEAR}&years=1",
                     headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    (cat1,) = [
        k for k in answer.json()["kpis"] if k["metric"] == "ghg.scope3.cat1" and not k["dims"]
    ]
    said = cat1["figures"][str(YEAR)]
    assert said["note"] == f"method: spend based; {SCREENED_OUT}"
    codes = [w["code"] for w in said["note_why"]]
    assert codes[:2] == ["scope3_method", "scope3_screened_out_calculated"], codes
    assert run_id


def test_the_chinese_report_words_the_left_out_part_and_the_gap(cli: Cli, tmp_path: Path) -> None:
    """The report's Scope 3 section words the same reasons from the run's fields (a note
    entered is printed as entered, marked English)."""
    _screened_run(cli, tmp_path)
    out = tmp_path / "report"
    cli("report", "--year", str(YEAR), "--lang", "zh", "--format", "html", "--out", str(out),
        "--preview", "--years", "1")  # fmt: skip
    (report,) = out.glob("*.zh.html")
    page = report.read_text(encoding="utf-8")
    left = _text(_part(page, 'id="scope3-left-out"', "</ul>"))
    assert f"筛选中未纳入：{_electricity_zh()}（1行）；规模： {NOTE}" in left, (
        left
    )  # marked English
    gaps = _text(_part(page, 'id="scope3-not-available"', "</ul>"))
    assert "经筛选为相关（规模：" in gaps and "但没有活动数据" in gaps, gaps
    for said in (left, gaps):
        assert not FRAMES.search(said.replace(NOTE, "")), said


def _unresolved_only_run(cli: Cli, tmp_path: Path) -> int:
    """One purchase whose NAICS code has no factor, no screening: no Scope 3 total at all."""
    calc = scope3_runner(cli, tmp_path)
    out = calc([row("SZ", YEAR, "spend.purchased_goods", 10000, "USD", naics="999999")], YEAR,
               "--allow-incomplete")  # fmt: skip
    return int(out["run_id"])


def test_a_run_without_a_scope3_total_stores_its_reason_as_codes(
    cli: Cli, web: TestClient, tmp_path: Path
) -> None:
    run_id = _unresolved_only_run(cli, tmp_path)
    stored = _stored(cli, run_id)
    total = "not available: no Scope 3 row could be computed (1 rows unresolved)"
    assert stored["total_reason"] == total
    assert note_of(stored["total_reason_why"][:1]) == total
    cat1 = stored["by_category"]["cat1"]
    assert cat1["reason"].startswith("not available: all 1 rows unresolved (spend.purchased")
    assert note_of(cat1["reason_why"][:1]) == cat1["reason"]
    # the rows' own lookup failures are the run's diagnostics, worded by their patterns
    # (tests/i18n/test_scope3_diagnostics_in_chinese.py)
    diagnostics = cat1["reason"].split(" (", 1)[1].removesuffix(")")
    assert worded_note(cat1["reason"], cat1["reason_why"], "zh") == (
        f"不可用：全部 1 行未能解析（{diagnostics_words(diagnostics, 'zh')}）"
    )
    figures = _categories(cli)
    show = f"(`esg calc show --run {run_id}`)"
    with cli.db.read() as session:
        series = kpi_series(session, YEAR, years=1)
    (scope3,) = [k for k in series["kpis"] if k["metric"] == "ghg.scope3" and not k["dims"]]
    figure = scope3["figures"][str(YEAR)]
    assert figure["note"] == f"{total} {show}"
    assert note_of(figure["note_why"][:1]) == figure["note"]
    assert worded_note(figure["note"], figure["note_why"], "zh") == (
        f"不可用：没有任何范围三数据行能够计算（1行未能计算）（`esg calc show --run {run_id}`）"
    )
    explain = f"(`esg calc explain --run {run_id} --metric ghg.scope3.cat1`)"
    assert figures["cat1"]["note"] == f"{cat1['reason']} {explain}"
    assert note_of(figures["cat1"]["note_why"][:1]) == figures["cat1"]["note"]
    make_user(cli.db, "mia", "esg_manager")
    log_in(web, "mia")
    page = web.get(f"/emissions?year={YEAR}", headers=ZH).text
    line = _text(_part(page, '<tr data-figure="scope3_tco2e">', "</tr>"))
    assert "没有任何范围三数据行能够计算（1行未能计算）" in line, line
    assert not FRAMES.search(line), line
    kpis = web.get(f"/kpis?year={YEAR}&years=1&all=1", headers=ZH).text
    cell = _part(
        _part(kpis, '<tr data-metric="ghg.scope3">', "</tr>"), f'data-year="{YEAR}"', "</td>"
    )
    title = html.unescape(_part(cell, 'title="', '"'))
    assert title.startswith("没有任何范围三数据行能够计算（1行未能计算）"), title


def test_a_run_stored_before_the_codes_has_its_reasons_worded_by_pattern(
    cli: Cli, tmp_path: Path
) -> None:
    run_id = _screened_run(cli, tmp_path)
    with cli.db.write() as session:
        run = session.scalar(select(CalculationRun).where(CalculationRun.id == run_id))
        assert run is not None
        totals = json.loads(run.totals)
        for block in totals["scope3"]["by_category"].values():
            block.pop("reason_why")
        run.totals = json.dumps(totals)
    figures = _categories(cli)
    cat1 = figures["cat1"]
    assert cat1["note"] == f"method: spend based; {SCREENED_OUT}"
    assert [w["code"] for w in cat1["note_why"]] == ["scope3_method"]
    # its reason holds "; " itself: matched whole by its code's English, values as stored
    said = translate(RUN_CODES["scope3_screened_out_calculated"][1], "zh") % {
        "note": "no_activity: no category 1 activity",
        "category": "cat1",
    }
    assert worded_note(cat1["note"], cat1["note_why"], "zh") == f"方法：支出法；{said}"
    assert "review the screening" not in said
