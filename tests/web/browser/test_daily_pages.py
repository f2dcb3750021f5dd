"""Issue #14, "daily work to make easy", in a real browser on a copy of the demo workspace.

Every page fits a 390 px phone (only a table may scroll, inside its own box), the navigation
marks where you are and breadcrumbs lead back, the issue form's long lists filter as you
type (and still work without JavaScript), bulk approve works from the queue, and a survey
asks for confirmation before its link locks.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from esgledger.demo.team_stage import read_survey_link
from esgledger.ledger.db import Database
from esgledger.ledger.workflow_models import DataRequest
from tests.conftest import DemoBuild

PHONE = {"width": 390, "height": 844}
# The pages each demo user works on (their first open request is added at run time).
PAGES = {
    "manager": ["/", "/requests", "/requests/issue", "/requests/overdue", "/upload", "/kpis",
                "/emissions", "/findings", "/materiality", "/risks", "/targets", "/reports",
                "/audit"],
    "owner.sz": ["/", "/requests", "/upload", "/kpis", "/findings"],
    "reviewer": ["/", "/review", "/requests"],
    "auditor": ["/", "/audit", "/kpis", "/emissions"],
}  # fmt: skip


@pytest.fixture(scope="module")
def workspace(
    demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A private copy of the demo (the session's demo is read only)."""
    folder = tmp_path_factory.mktemp("demo-copy")
    for name in ("esg.db", "esg.db-wal", "esg.db-shm"):
        if (demo_build.out / name).exists():
            shutil.copy(demo_build.out / name, folder / name)
    db = Database(str(folder / "esg.db"))
    try:
        yield db
    finally:
        db.dispose()


def sign_in(page: Page, url: str, demo: DemoBuild, name: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(demo.password(name))
    # signing in hashes the password: slow on a busy machine, so wait for the result itself
    page.get_by_role("button", name="Log in").click(no_wait_after=True)
    expect(page.get_by_test_id("whoami")).to_contain_text(name, timeout=60_000)


def _first_request(db: Database) -> int:
    with db.read() as session:
        return min(r.id for r in session.query(DataRequest))


def _sideways(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_no_page_scrolls_sideways_at_390_px(
    browser: Browser, live_server: str, demo_build: DemoBuild, workspace: Database
) -> None:
    wide: list[str] = []
    for user, paths in PAGES.items():
        context = browser.new_context(viewport=PHONE)
        context.set_default_timeout(60_000)  # the first dashboard of a run computes its caches
        page = context.new_page()
        sign_in(page, live_server, demo_build, user)
        for path in [*paths, f"/requests/{_first_request(workspace)}"]:
            answer = page.goto(f"{live_server}{path}")
            assert answer is not None and answer.status == 200, (user, path)
            if _sideways(page) > PHONE["width"]:
                wide.append(f"{user} {path}: {_sideways(page)} px")
        context.close()
    survey = read_survey_link(demo_build.out)
    assert survey
    for path in ("/login", survey):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{live_server}{path}")
        if _sideways(page) > PHONE["width"]:
            wide.append(f"anonymous {path}: {_sideways(page)} px")
        context.close()
    assert wide == []


# A list's row on a phone: the request list's and the review queue's rows stack, each cell
# under its column's name, instead of hiding the state, value and decision past the table's
# right edge (the table scrolled in its box, most of each row off screen).
STACKED = {"manager": ("/requests", "request-row"), "reviewer": ("/review", "review-row")}
CELLS = """row => Array.from(row.cells).map(td => {
  const r = td.getBoundingClientRect();
  return {label: td.dataset.label || "", right: r.right, width: r.width,
          head: row.closest("table").tHead.rows[0].cells[td.cellIndex].innerText.trim()};
})"""


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_a_list_row_reads_whole_on_a_phone(
    browser: Browser, live_server: str, demo_build: DemoBuild, locale: str
) -> None:
    for user, (path, row_id) in STACKED.items():
        context = browser.new_context(viewport=PHONE, locale=locale)
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.locator("input[name=username]").fill(user)
        page.locator("input[name=password]").fill(demo_build.password(user))
        page.locator("form[action='/login'] button[type=submit]").click(no_wait_after=True)
        expect(page.get_by_test_id("whoami")).to_contain_text(user, timeout=60_000)
        page.goto(f"{live_server}{path}")
        row = page.get_by_test_id(row_id).first
        cells = row.evaluate(CELLS)
        assert len(cells) >= 10, (user, cells)
        for cell in cells:
            assert cell["right"] <= PHONE["width"], (locale, path, cell)
            assert cell["label"] and cell["label"] in cell["head"], (locale, path, cell)
        assert _sideways(page) <= PHONE["width"], (locale, path)
        context.close()


def test_a_wide_table_keeps_its_row_names_in_view_on_a_phone(
    browser: Browser, live_server: str, demo_build: DemoBuild
) -> None:
    """The KPI table (a name, a unit, three years, the change, the source) scrolls in its own
    box at 390 px; scrolled to its last column, each row's KPI name stays on screen beside
    it, so a figure is never read without its name."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(60_000)
    page = context.new_page()
    sign_in(page, live_server, demo_build, "manager")
    page.goto(f"{live_server}/kpis")
    table = page.get_by_test_id("kpi-table").first
    table.evaluate("t => { t.scrollLeft = t.scrollWidth; }")
    row = table.locator("tr").nth(1)
    first = row.locator("td").first.bounding_box()
    last = row.locator("td").last.bounding_box()
    assert first is not None and last is not None
    assert first["x"] >= 0 and first["x"] + first["width"] <= last["x"] + 1, (first, last)
    assert last["x"] + last["width"] <= PHONE["width"] + 1, last
    assert _sideways(page) <= PHONE["width"]
    context.close()


def test_the_navigation_marks_the_section_and_breadcrumbs_lead_back(
    page: Page, live_server: str, demo_build: DemoBuild, workspace: Database
) -> None:
    sign_in(page, live_server, demo_build, "manager")
    rid = _first_request(workspace)
    page.goto(f"{live_server}/requests/{rid}")
    current = page.locator('header nav a[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text("Data requests")
    crumbs = page.get_by_test_id("breadcrumbs")
    expect(crumbs).to_contain_text(f"Dashboard › Data requests › Request {rid}")
    crumbs.get_by_role("link", name="Data requests").click()
    expect(page).to_have_url(f"{live_server}/requests")
    page.goto(f"{live_server}/targets")
    expect(page.locator('header nav a[aria-current="page"]')).to_have_text("Materiality")


def test_the_issue_form_lists_filter_as_you_type(
    page: Page, live_server: str, demo_build: DemoBuild
) -> None:
    sign_in(page, live_server, demo_build, "manager")
    page.goto(f"{live_server}/requests/issue")
    metrics = page.get_by_test_id("pick-metric")
    total = metrics.locator("label.choice").count()
    assert total > 50
    metrics.get_by_test_id("filter-metric").fill("plastic packaging")
    expect(metrics.locator("label.choice:visible")).to_have_count(1)
    metrics.get_by_label("Plastic packaging").check()
    metrics.get_by_test_id("filter-metric").fill("water")
    expect(metrics.get_by_label("Plastic packaging")).to_be_visible()  # ticked stays shown
    expect(metrics.locator(".count")).to_contain_text("1 ticked")
    page.get_by_label("Due date").fill("2020-01-31")
    page.get_by_label("Owner").select_option("owner.sz")
    page.get_by_test_id("pick-entity").get_by_test_id("filter-entity").fill("SZ-BA")
    page.get_by_test_id("pick-entity").locator("label.choice:visible input").first.check()
    page.eval_on_selector("input[name=due]", "e => e.removeAttribute('min')")  # server check
    page.get_by_role("button", name="Issue requests").click()
    expect(page.get_by_role("status")).to_have_text(
        "due date 2020-01-31 is in the past; choose today or a later date"
    )


def test_the_issue_form_works_without_javascript(
    browser: Browser, live_server: str, demo_build: DemoBuild
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, demo_build, "manager")
    page.goto(f"{live_server}/requests/issue")
    expect(page.get_by_test_id("filter-metric")).to_be_hidden()
    expect(page.get_by_test_id("pick-metric").get_by_label("Plastic packaging")).to_be_visible()
    context.close()


def test_a_reviewer_approves_ticked_requests_together(
    page: Page, live_server: str, demo_build: DemoBuild
) -> None:
    sign_in(page, live_server, demo_build, "reviewer")
    page.goto(f"{live_server}/review")
    rows = page.get_by_test_id("review-row")
    count = rows.count()
    assert count >= 1
    first = rows.first
    rid = first.get_attribute("data-request")
    expect(first.get_by_test_id("evidence")).to_be_visible()
    expect(first.get_by_test_id("prior")).to_be_visible()
    first.get_by_label(f"Tick request {rid}").check()
    page.get_by_role("button", name="Approve ticked").click()
    expect(page.get_by_role("status")).to_have_text("1 approved.")
    expect(page.get_by_test_id("bulk-results")).to_contain_text("approved")
    expect(page.get_by_test_id("review-row")).to_have_count(count - 1)


def test_a_survey_asks_to_confirm_before_the_link_locks(
    page: Page, live_server: str, demo_build: DemoBuild
) -> None:
    link = f"{live_server}{read_survey_link(demo_build.out)}"
    page.goto(link)
    expect(page.locator("main")).to_contain_text("Please rate at least")
    first = page.get_by_test_id("topic-row").first
    selects = first.locator("select").all()[:4]  # effect, actual or potential, scale, scope
    for select, answer in zip(selects, ("positive", "actual", "3", "3"), strict=True):
        select.select_option(answer)
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Please rate at least")
    page.get_by_label("I have no view on the other topics").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_test_id("survey-confirm")).to_contain_text("Once sent, this link is closed")
    page.get_by_role("button", name="Change answers").click()
    expect(page.get_by_test_id("survey-form")).to_be_visible()
    page.goto(link)  # nothing was stored: the questionnaire is still open
    expect(page.get_by_test_id("survey-notice")).to_have_count(0)
