"""Issue #14 (lost work) in a real browser: a value typed before the idle timeout and saved
after it survives the sign-in and is saved once the owner sends it again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from esgledger.auth.sessions import SessionPolicy
from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.workflow_models import WebSession
from esgledger.workflow.requests import get_request, issue_requests, request_dict
from tests.factories import entities_file
from tests.web.conftest import PASSWORD, make_user


def test_a_value_saved_after_the_timeout_is_not_lost(
    page: Page, workspace: Database, live_server: str, tmp_path: Path
) -> None:
    db = workspace
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "mia", "esg_manager")
    make_user(db, "olga", "data_owner", ("HQ",))
    with db.write() as s:
        (rid,) = issue_requests(
            s, principal(s, "mia"), year=2025, owner="olga", due=dt.date(2026, 3, 31),
            metrics=["packaging.plastics"], entities=["SZ1"], issued_on=dt.date(2026, 1, 5),
        )["ids"]  # fmt: skip
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/requests/{rid}")
    form = page.get_by_test_id("enter-form")
    form.get_by_label("Value", exact=True).fill("4.5")
    form.get_by_label("Unit", exact=True).fill("t")
    form.locator("input[name=note]").fill("Q4 meter readings")

    idle = SessionPolicy.from_settings().idle  # olga went to lunch
    with db.write() as s:
        for row in s.scalars(select(WebSession).where(WebSession.ended_at.is_(None))):
            row.last_seen_at -= idle + dt.timedelta(seconds=1)
    form.get_by_role("button", name="Save value").click()

    expect(page.get_by_role("alert")).to_contain_text("your form is kept")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    resumed = page.get_by_test_id("resumed-form")
    expect(resumed.get_by_label("Value")).to_have_value("4.5")
    expect(resumed.get_by_label("Note")).to_have_value("Q4 meter readings")
    with db.read() as s:
        assert request_dict(s, get_request(s, rid))["value"] is None, "not sent yet"
    resumed.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("status")).to_have_text("Value saved.")
    expect(page.get_by_test_id("current-value")).to_have_text("4.5 t")
