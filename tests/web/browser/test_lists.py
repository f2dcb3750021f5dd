"""Issue #14 (tables) in a real browser: sort by clicking a column header, search, page on,
export the filtered list as CSV; everything happens on the server, through links."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from esgledger.auth.users import principal
from esgledger.catalog import metrics
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.workflow.requests import issue_requests
from tests.factories import entities_file
from tests.web.conftest import PASSWORD, make_user

METRICS = [m.id for m in metrics().values() if m.kind != "derived"][:30]
ENTITIES = ["GRP", "HQ", "SZ1", "WH1", "VN1"]


@pytest.fixture(scope="module")
def site(
    workspace: Database, live_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """150 requests (30 metrics × 5 entities) owned by mia, the manager."""
    import_entities(workspace, entities_file(tmp_path_factory.mktemp("in")), actor="setup")
    make_user(workspace, "mia", "esg_manager")
    with workspace.write() as session:
        issue_requests(
            session, principal(session, "mia"), year=2025, metrics=METRICS, owner="mia",
            due=dt.date(2026, 3, 31), entities=ENTITIES,
            issued_on=dt.date(2026, 1, 5),
        )  # fmt: skip
    yield live_server


def rows(page: Page) -> list[str]:
    return page.get_by_test_id("request-row").locator("td:nth-child(3)").all_inner_texts()


def test_sort_search_page_and_export_the_request_list(page: Page, site: str) -> None:
    page.goto(f"{site}/login")
    page.get_by_label("Username").fill("mia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{site}/requests")
    expect(page.get_by_test_id("count")).to_have_text("1–100 of 150 requests")
    expect(page.get_by_test_id("request-row")).to_have_count(100)
    page.locator('a[data-sort="entity"]').click()
    expect(page).to_have_url(f"{site}/requests?sort=entity")
    assert rows(page)[0] == "GRP"
    page.locator('a[data-sort="entity"]').click()  # again: descending
    expect(page).to_have_url(f"{site}/requests?sort=-entity")
    assert rows(page)[0] == "WH1"
    page.get_by_test_id("search").fill("wuhan")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("count")).to_have_text("1–30 of 30 requests")
    assert set(rows(page)) == {"WH1"}
    assert "sort=-entity" in page.url  # the search kept the order
    with page.expect_download() as download:
        page.get_by_test_id("csv").click()
    body = download.value.path().read_bytes().decode("utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(body)))
    assert len(exported) == 30 and {r["entity"] for r in exported} == {"WH1"}
    page.goto(f"{site}/requests")
    page.get_by_role("link", name="Next →").click()
    expect(page.get_by_test_id("count")).to_have_text("101–150 of 150 requests")
