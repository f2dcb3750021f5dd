"""Issue #14 (PDF previews) in a real browser: the PDF link opens a status page that
refreshes itself until the file is ready, then downloads it; a year without data shows a
page saying so instead of a broken download."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.web.conftest import PASSWORD, make_user
from tests.web.test_dashboard_pages import YEAR, build_workspace


def test_a_pdf_preview_is_followed_then_downloaded(
    page: Page, workspace: Database, live_server: str, tmp_path: Path
) -> None:
    build_workspace(Cli(workspace), tmp_path)
    make_user(workspace, "mia", "esg_manager")
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("mia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/reports")
    row = page.get_by_test_id("reports").locator(f"tr[data-year='{YEAR}']")
    row.get_by_role("link", name="PDF").click()
    expect(page).to_have_url(re.compile(r"/reports/preview/\w+$"))
    link = page.get_by_test_id("preview-file")
    expect(link).to_be_visible(timeout=180_000)  # the page refreshes itself until ready
    with page.expect_download() as download:
        link.click()
    saved = download.value
    assert saved.suggested_filename == f"esg-report-{YEAR}.pdf"
    assert Path(saved.path()).read_bytes().startswith(b"%PDF")

    page.goto(f"{live_server}/reports/download?year=1990&format=pdf")
    expect(page.get_by_text("no report for 1990")).to_be_visible()
