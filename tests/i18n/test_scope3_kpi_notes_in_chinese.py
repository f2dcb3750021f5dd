"""#19: the Scope 3 category lines' notes in the KPI tables — "method: …", "excluded by the
Scope 3 screening: …", "not available: screened relevant (…) but no activity data" — carry
their parts as codes (``note_why``): Chinese readers get them worded (the criterion and the
method from the catalog, a note entered by the user as entered), and the English notes are
word for word what they were."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from esgledger.catalog.messages import translate
from esgledger.catalog.scope3_screening import REASONS
from esgledger.kpi.register_figures.notes import note_of, worded_note
from esgledger.kpi.scope3_figures import category_figure
from esgledger.kpi.series import kpi_series
from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli
from tests.scope3.screening_files import screening_rows, write_screening

YEAR = 2022
ENGLISH_WORDS = re.compile(
    r"\b(?:method|spend based|excluded by|screened relevant|no activity data|no_activity|size)\b"
)


def _category_figures(cli: Cli, tmp_path: Path) -> tuple[dict[str, dict[str, Any]], int]:
    calc = scope3_runner(cli, tmp_path)
    rows = screening_rows({1: "spend_based", 7: "distance_based"})
    rows[2][3] = ""  # category 3: no note entered, the criterion's own words stand
    cli("scope3", "screening", "import", str(write_screening(tmp_path, rows)), "--year", "2022")
    result = calc([row("SZ", YEAR, "spend.purchased_goods", 10000, "USD", naics="327310")], YEAR,
                  "--allow-incomplete")  # fmt: skip
    with cli.db.read() as session:
        series = kpi_series(session, YEAR, years=1)
    figures = {
        k["metric"].removeprefix("ghg.scope3."): k["figures"][str(YEAR)]
        for k in series["kpis"]
        if k["metric"].startswith("ghg.scope3.cat") and not k["dims"]
    }
    return figures, int(result["run_id"])


def test_scope3_category_notes_keep_their_english_and_are_worded_in_chinese(
    cli: Cli, tmp_path: Path
) -> None:
    figures, run = _category_figures(cli, tmp_path)
    explain = f"(`esg calc explain --run {run} --metric ghg.scope3.cat7`)"
    english = {
        "cat1": "method: spend based",
        "cat2": "excluded by the Scope 3 screening: no_activity: no category 2 activity",
        "cat3": f"excluded by the Scope 3 screening: no_activity: {REASONS['no_activity']}",
        "cat7": "not available: screened relevant (size: large (or small) against the expected "
        f"total) but no activity data {explain}",
    }
    size_zh = translate(REASONS["size"], "zh")
    chinese = {
        "cat1": "方法：支出法",
        "cat2": "已被范围 3 筛选排除：无相关活动：no category 2 activity",
        "cat3": f"已被范围 3 筛选排除：无相关活动：{translate(REASONS['no_activity'], 'zh')}",
        "cat7": f"不可用：经筛选为相关（规模：{size_zh}），但没有活动数据 {explain}",
    }
    for key, note in english.items():
        figure = figures[key]
        assert figure["note"] == note, key
        assert note_of(figure["note_why"][:1]) == note, key
        worded = worded_note(figure["note"], figure["note_why"], "zh")
        assert worded == chinese[key], key
        assert not ENGLISH_WORDS.search(worded.replace(explain, "")), worded


def test_a_run_without_scope3_categories_says_so_in_chinese() -> None:
    base = {"metric": "ghg.scope3.cat1", "year": YEAR, "unit": "tCO2e", "dims": {}}
    figure = category_figure({}, "cat1", 5, base, 0)
    assert figure.note == "not available: run 5 computed no Scope 3 categories"
    assert note_of(figure.note_why) == figure.note
    assert (
        worded_note(figure.note, figure.note_why, "zh")
        == "不可用：计算运行 5 未计算任何范围 3 类别"
    )
