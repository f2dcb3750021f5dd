"""Issue #14: Swagger UI renders the API's operations in a real browser with our strict
content security policy, and not one request leaves the server's own origin."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from esgledger.ledger.db import Database
from tests.web.conftest import PASSWORD, make_user


def test_swagger_ui_renders_from_our_own_origin(
    page: Page, workspace: Database, live_server: str
) -> None:
    make_user(workspace, "aldo", "auditor")
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(f"{live_server}/api-docs")
    expect(page.get_by_label("Username")).to_be_visible()  # anonymous: the login form
    page.get_by_label("Username").fill("aldo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # a large schema on a busy machine: Swagger UI may take a while to draw it
    expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("/api/v1/kpis").first).to_be_visible()
    assert hosts == {urlsplit(live_server).netloc}, hosts
    assert not violations, violations
