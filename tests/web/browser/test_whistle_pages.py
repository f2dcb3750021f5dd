"""#17 whistleblowing in a real browser (Chromium): a reporter opens a one-time link, sends
an anonymous report, keeps the case code and passphrase, follows the case up and reads the
compliance officer's answer; a wrong passphrase is refused, and after five the page refuses
even the right one (the login rate limit)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.registers import whistle
from tests.factories import entities_file
from tests.web.conftest import make_user


def test_anonymous_report_and_follow_up_end_to_end(
    page: Page, workspace: Database, live_server: str, tmp_path: Path
) -> None:
    db = workspace
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "cora", "compliance_officer")
    with db.write() as s:
        (token,) = whistle.issue_links(s, principal(s, "cora"), entity="SZ1")

    page.goto(f"{live_server}/speak-up/{token}")
    page.get_by_label("What is it about?").select_option("corruption")
    page.get_by_label("What happened?").fill("The canteen contract went to the manager's cousin.")
    page.get_by_role("button", name="Send the report").click()
    code = page.get_by_test_id("case-code").inner_text().strip()
    passphrase = page.get_by_test_id("passphrase").inner_text().strip()
    assert code.startswith("WB-")

    page.goto(f"{live_server}/speak-up/{token}")  # the link is spent
    expect(page.get_by_text("was used already")).to_be_visible()

    with db.write() as s:
        whistle.reply(s, principal(s, "cora"), code=code, body="Which year was the contract?")

    page.goto(f"{live_server}/speak-up/follow-up")
    page.get_by_label("Case code").fill(code)
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Open my case").click()
    expect(page.get_by_test_id("case-state")).to_have_text("received")
    expect(page.get_by_test_id("case-messages")).to_contain_text("Which year was the contract?")
    page.get_by_label("Add information").fill("2024, signed in March.")
    page.get_by_role("button", name="Add to the case").click()
    expect(page.get_by_role("status")).to_contain_text("Your message was added")
    expect(page.get_by_test_id("case-messages")).to_contain_text("2024, signed in March.")

    def try_passphrase(guess: str) -> int:
        page.goto(f"{live_server}/speak-up/follow-up")
        page.get_by_label("Case code").fill(code)
        page.get_by_label("Passphrase").fill(guess)
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Open my case").click()
        return answer.value.status

    for _ in range(5):
        assert try_passphrase("not-the-passphrase") == 401
        expect(page.get_by_role("status")).to_contain_text("case code or the passphrase is wrong")
        expect(page.get_by_test_id("whistle-case")).to_have_count(0)
    assert try_passphrase(passphrase) == 429  # rate-limited: even the right one waits
    expect(page.get_by_role("status")).to_contain_text("too many wrong attempts")
    expect(page.get_by_test_id("whistle-case")).to_have_count(0)
