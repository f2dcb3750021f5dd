"""Issue #11 "marked everywhere" and #14 "partial years look final", on the pages: KPI cards
and the KPIs table mark partial, incomplete and not-available figures with the reason, a
year-on-year change on a partial or incomplete year carries its caveat, reported and
recomputed figures stand side by side, and the emissions page lists the unresolved rows and
says "not available" with why for a Scope 3 the run could compute no row of."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from esgledger.catalog import translations
from esgledger.ledger.db import Database
from tests.filled import filled_db
from tests.web.conftest import log_in, make_user
from tests.web.kpi_marks_workspace import LAST, MIDDLE, build
from tests.web.test_languages import EN, ZH

PARTIAL = f"no {LAST} activity data for 1 member(s) (WH1)"
CAT3_GAP = "not available: no Scope 3 row could be computed (1 rows unresolved)"


def _fill(db: Database, folder: Path) -> bool:
    build(db, folder)
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A copy of :func:`build`'s workspace filled once per run, where each test built its
    own (its imports and two calculations, #20)."""
    yield from filled_db(request, tmp_path, "web_kpi_marks", _fill)


@pytest.fixture
def signed_in(db: Database, web: TestClient) -> TestClient:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    return web


def part(page: str, start: str, end: str) -> str:
    assert start in page, start
    return page.split(start, 1)[1].split(end, 1)[0]


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_dashboard_cards_mark_partial_incomplete_and_not_available(
    signed_in: TestClient,
) -> None:
    page = signed_in.get(f"/?year={LAST}").text
    water = part(
        page, '<div class="card" data-metric="water.withdrawal.total">', "</div>\n  </div>"
    )
    assert 'data-mark="partial"' in water and "ᴾ" in water
    caveat = text(part(water, '<div class="caveat">', "</div>"))  # visible, not only a tooltip
    assert (
        caveat
        == f"Caveat: not a final comparison: {LAST} is partial (from Municipal water ({PARTIAL}))"
    )
    assert re.search(r'data-caveat="[^"]*partial[^"]*"', water)  # the change itself is marked
    scope2 = part(page, '<div class="card" data-metric="ghg.scope2_market">', "</div>\n  </div>")
    assert 'data-mark="incomplete"' in scope2 and "ᴵ" in scope2
    assert f"{LAST} is incomplete" in scope2
    waste = part(page, '<div class="card" data-metric="waste.hazardous.total">', "</div>\n  </div>")
    figure = text(part(waste, '<div class="figure">', "</div>"))
    assert figure == "not available"  # no zero, no unit
    assert f"no waste.hazardous records in the boundary in {LAST}" in waste  # the reason
    assert f"{MIDDLE}: 12.5" in text(waste)  # the trend keeps the year that has data
    energy = part(page, '<div class="card" data-metric="energy.total">', "</div>\n  </div>")
    assert "data-caveat" not in energy  # complete in both years: a final change
    assert 'data-mark="partial"' not in energy and 'data-mark="incomplete"' not in energy


def test_kpis_page_marks_cells_and_caveats_the_change(signed_in: TestClient) -> None:
    page = signed_in.get(f"/kpis?year={LAST}").text
    water = part(page, '<tr data-metric="water.withdrawal.municipal">', "</tr>")
    last = part(water, f'data-year="{LAST}"', "</td>")
    assert 'data-mark="partial"' in last and PARTIAL in html.unescape(last)
    change = part(water, 'data-testid="yoy"', "</td>")
    assert "-68.8%" in change and "ᴾ" in change and "not a final comparison" in change
    scope2 = part(page, '<tr data-metric="ghg.scope2_market">', "</tr>")
    assert 'data-mark="incomplete"' in part(scope2, f'data-year="{LAST}"', "</td>")
    waste = part(page, '<tr data-metric="waste.hazardous.total">', "</tr>")
    gone = part(waste, f'data-year="{LAST}"', "</td>")
    assert 'data-mark="not-available"' in gone and "—" in gone and ">0<" not in gone
    assert f"no waste.hazardous records in the boundary in {LAST}" in gone
    notes = text(part(page, 'data-testid="kpi-notes"', "</section>"))
    assert f"Municipal water {LAST} is partial: {PARTIAL}" in notes
    assert "ᴾ partial" in page and "ᴵ incomplete" in page and "— not available" in page


def test_kpis_page_shows_reported_and_recomputed_side_by_side(signed_in: TestClient) -> None:
    page = signed_in.get(f"/kpis?year={LAST}").text
    both = part(page, 'data-testid="side-by-side"', "</table>")
    row = text(
        part(both, f'<tr data-metric="water.withdrawal.municipal" data-year="{MIDDLE}">', "</tr>")
    )
    assert row == (
        f"Municipal water {MIDDLE} 8,000.4 8,000 +0.4 ±0.05 calculated"
        " recomputed from the ledger's data (it takes precedence)"
    )


def test_emissions_page_lists_unresolved_rows_and_scope3_not_available(
    signed_in: TestClient,
) -> None:
    page = signed_in.get(f"/emissions?year={LAST}").text
    rows = part(page, 'data-testid="unresolved"', "</section>")
    listed = [text(r) for r in re.findall(r"<tr data-unresolved[^>]*>(.*?)</tr>", rows, re.S)]
    reason = "no grid emission factor for heat.purchased in VN"
    assert listed == [
        f"heat.purchased scope2 location {reason} 1 VN1",
        f"heat.purchased scope2 market {reason} 1 VN1",
    ]
    scope3 = text(part(page, '<tr data-figure="scope3_tco2e">', "</tr>"))
    # its one Scope 3 row (upstream of Chinese electricity, category 3) has no factor
    assert scope3 == "Scope 3 not available " + CAT3_GAP
    scope2 = part(page, '<tr data-figure="scope2_market_tco2e">', "</tr>")
    assert 'data-mark="incomplete"' in scope2
    by_entity = part(page, 'data-testid="by-entity"', "</section>")
    assert "not calculated" in by_entity  # the Scope 3 column too
    dashboard = signed_in.get(f"/?year={LAST}").text
    panel = part(dashboard, 'data-testid="emissions"', "</section>")
    assert "not available" in text(part(panel, '<tr data-figure="scope3_tco2e">', "</tr>"))
    assert "2 unresolved" in text(panel)
    one = signed_in.get(f"/emissions?year={LAST}&entity=VN1").text  # its heat rows unresolved
    breakdown = part(one, 'data-testid="entity-breakdown"', "</section>")
    assert text(part(breakdown, '<tr data-figure="scope2_market">', "</tr>")) == (
        "scope2 market not calculated 0"
    )
    assert "not calculated" in text(part(breakdown, '<tr data-figure="scope3">', "</tr>"))


def test_kpis_page_words_an_incomplete_figure_in_chinese(signed_in: TestClient) -> None:
    """#19: the reason is the figure's own (the run and its unresolved count), worded in the
    page's language from the catalog, not the API's English sentence; no command hint."""
    page = signed_in.get(f"/kpis?year={LAST}", headers=ZH).text
    scope2 = part(page, '<tr data-metric="ghg.scope2_market">', "</tr>")
    cell = html.unescape(part(part(scope2, f'data-year="{LAST}"', "</td>"), "<abbr", "</abbr>"))
    assert 'data-mark="incomplete"' in cell
    assert re.search(r"不完整：计算运行 \d+ 有 1 条活动结果未能解析", cell), cell
    notes = text(part(page, 'data-testid="kpi-notes"', "</section>"))
    name = translations.text("metric", "ghg.scope2_market", "zh")
    assert re.search(
        rf"{name}（{LAST}年）数据不完整：计算运行 \d+ 有 1 条活动结果未能解析。", notes
    )
    change = html.unescape(part(scope2, 'data-testid="yoy"', "</td>"))
    assert re.search(rf"并非最终比较：{LAST}年数据不完整（计算运行 \d+ 有 1 条", change), change
    assert "ᴵ" in change
    assert re.search(rf"{name}，与 {MIDDLE} 年相比：并非最终比较：{LAST}年数据不完整", notes)
    for english in ("unresolved", "is incomplete", "esg calc", "not a final", "change on"):
        assert english not in notes and english not in cell and english not in change
    en = signed_in.get(f"/kpis?year={LAST}", headers=EN).text  # English as it was
    assert "left 1 activity result(s) of it unresolved" in html.unescape(en)


def test_emissions_page_says_why_scope3_is_not_available_in_chinese(
    signed_in: TestClient,
) -> None:
    """#19: the run's reason is worded from its stored counts, not its English sentence."""
    for path in (f"/emissions?year={LAST}", f"/?year={LAST}"):
        page = signed_in.get(path, headers=ZH).text
        scope3 = text(part(page, '<tr data-figure="scope3_tco2e">', "</tr>"))
        assert re.search(r"不可用：.*1.*", scope3) and "1 rows unresolved" not in scope3, scope3
        assert "not available" not in scope3 and "could be computed" not in scope3, scope3
    english = signed_in.get(f"/emissions?year={LAST}", headers=EN).text  # as it was
    assert CAT3_GAP in text(part(english, '<tr data-figure="scope3_tco2e">', "</tr>"))
