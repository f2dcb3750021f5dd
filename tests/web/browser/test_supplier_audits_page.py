"""#16 the supplier audits page in a real browser (Chromium): the audits with their findings,
the overdue filter and the mode filter driven through the form, and the page readable at
phone width (nothing wider than the window but the audits table's own scroll box)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from tests.factories import entities_file
from tests.web.conftest import PASSWORD, make_user
from tests.web.test_supplier_audits_page import _audits


@pytest.fixture(scope="module")
def audited(workspace: Database, tmp_path_factory: pytest.TempPathFactory) -> Database:
    folder = tmp_path_factory.mktemp("audits")
    import_entities(workspace, entities_file(folder), actor="setup")
    _audits(workspace, folder)
    make_user(workspace, "aldo", "auditor")
    return workspace


def _sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill("aldo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click(no_wait_after=True)
    expect(page.get_by_test_id("whoami")).to_contain_text("aldo", timeout=60_000)


def test_audits_and_findings_filtered_through_the_form(
    page: Page, audited: Database, live_server: str
) -> None:
    _sign_in(page, live_server)
    page.goto(f"{live_server}/suppliers/audits")
    table = page.get_by_test_id("supplier-audits")
    expect(table.locator("tr[data-audit]")).to_have_count(2)
    expect(table).to_contain_text("locked exit")
    expect(page.get_by_test_id("overdue")).to_have_count(1)  # the closed Minor one is not

    page.get_by_label("with a finding overdue today").check()
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tr[data-audit]")).to_have_count(1)
    expect(table.locator("tr[data-audit]")).to_contain_text("S001")
    expect(page).to_have_url(re.compile(r"/suppliers/audits\?.*overdue=1"))

    page.get_by_label("with a finding overdue today").uncheck()
    page.get_by_label("Mode").select_option("remote")
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tr[data-audit]")).to_have_count(1)
    expect(table.locator("tr[data-audit]")).to_contain_text("Remote Review Ltd")
    page.get_by_role("link", name="clear").click()
    expect(table.locator("tr[data-audit]")).to_have_count(2)


def test_the_page_fits_a_phone(page: Page, audited: Database, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server)
    page.goto(f"{live_server}/suppliers/audits")
    expect(page.get_by_role("heading", name="Supplier audits")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Filter")).to_be_visible()
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the page is {wide} px wide on a 390 px phone"
