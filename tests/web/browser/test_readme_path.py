"""The README's path for a new user: build the demo, start `esg serve` on it, log in with a
password the demo printed, and see the dashboard with the demo's own figures.

The server is the real command in its own process, as a user starts it; the figures on the
page are compared with what `esg kpi` computes for the same workspace.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from esgledger.catalog import metrics
from esgledger.demo import REPORT_YEAR
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from esgledger.web.templating import number
from tests.conftest import DemoBuild
from tests.web.browser.conftest import _free_port, wait_for_process


@pytest.fixture(scope="module")
def served_demo(demo_build: DemoBuild) -> Iterator[str]:
    """`esg serve --db esg-demo/esg.db --port P`, as README says, in a child process."""
    port = _free_port()
    esg = Path(sys.executable).with_name("esg")
    command = [str(esg), "serve", "--db", str(demo_build.db_path), "--port", str(port)]
    log = (demo_build.out.parent / "serve.log").open("wb")  # a pipe could fill and block
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_process(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)  # a process per core to stop
        log.close()


def test_a_new_user_logs_in_and_sees_the_demo_figures(
    served_demo: str, demo_build: DemoBuild, browser: Browser
) -> None:
    db = Database(str(demo_build.db_path))
    try:
        with db.read() as session:
            series = kpi_series(session, REPORT_YEAR, years=3)
    finally:
        db.dispose()
    figures = {k["metric"]: k for k in series["kpis"] if not k["dims"]}
    page = browser.new_context().new_page()
    page.goto(served_demo + "/")
    expect(page).to_have_url(f"{served_demo}/login?next=%2F")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(demo_build.password("manager"))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(served_demo + "/")
    expect(page.get_by_test_id("whoami")).to_contain_text("manager")
    expect(page.locator("h1")).to_contain_text(str(REPORT_YEAR))
    shown = 0
    for metric_id in ("ghg.scope1", "ghg.scope2_market", "energy.total"):
        value = figures[metric_id]["values"][str(REPORT_YEAR)]
        assert isinstance(value, float) and value > 0, metric_id
        card = page.locator(f'.card[data-metric="{metric_id}"] .figure')
        expect(card).to_contain_text(number(value, metrics()[metric_id].precision or 2))
        shown += 1
    assert shown == 3
    expect(page.get_by_test_id("findings")).to_contain_text("errors")
    expect(page.get_by_test_id("requests")).to_contain_text("approved or locked")


def test_the_printed_survey_link_opens_the_questionnaire_without_login(
    served_demo: str, demo_build: DemoBuild, browser: Browser
) -> None:
    page = browser.new_context().new_page()
    page.goto(served_demo + demo_build.summary["survey"])
    expect(page.locator("h1")).to_contain_text("materiality questionnaire")
    expect(page.get_by_test_id("topic-row").first).to_be_visible()
    assert page.get_by_test_id("topic-row").count() >= 20  # the library's topics
    # a respondent sees nothing else of the app: no navigation, only the language switch
    expect(page.locator("nav.main")).to_have_count(0)
    expect(page.locator("nav")).to_have_count(1)
    expect(page.get_by_test_id("lang-switch")).to_contain_text("中文")
