"""Each role's main path through the real pages in a real browser (Chromium).

One workspace for the module: olga owns HQ (and SZ1 below it), rita reviews, mia manages,
aldo audits, and an investor holds a questionnaire link. The value path runs end to end
through the pages: olga enters and submits, rita approves it and returns another request
with a comment that olga then reads, mia locks the approved value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from esgledger.assess.materiality import add_topic, create_assessment
from esgledger.assess.respondents import add_respondent, issue_tokens
from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.workflow import review
from esgledger.workflow.requests import get_request, issue_requests, request_dict
from esgledger.workflow.values import enter_value
from tests.factories import entities_file
from tests.web.conftest import PASSWORD, make_user

YEAR = 2025


@dataclass
class Site:
    url: str
    db: Database
    plastics: int  # SZ1 plastics: draft, olga enters it in the browser
    cartons: int  # SZ1 cartons: submitted already, rita returns it in the browser
    wood: int  # HQ wood: submitted already, the auditor's view
    survey_token: str

    def state(self, rid: int) -> dict:
        with self.db.read() as session:
            return request_dict(session, get_request(session, rid))


@pytest.fixture(scope="module")
def site(
    workspace: Database, live_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    db = workspace
    import_entities(db, entities_file(tmp_path_factory.mktemp("entities")), actor="setup")
    for name, role, grants in (("mia", "esg_manager", ()), ("olga", "data_owner", ("HQ",)),
                               ("rita", "reviewer", ()), ("aldo", "auditor", ())):  # fmt: skip
        make_user(db, name, role, grants)
    with db.write() as s:
        ids = issue_requests(
            s, principal(s, "mia"), year=YEAR, owner="olga", due=dt.date(2026, 3, 31),
            metrics=["packaging.plastics", "packaging.cartons"], entities=["SZ1"],
            reviewer="rita", issued_on=dt.date(2026, 1, 5),
        )["ids"]  # fmt: skip
        (wood,) = issue_requests(
            s, principal(s, "mia"), year=YEAR, owner="olga", due=dt.date(2026, 3, 31),
            metrics=["packaging.wood"], entities=["HQ"], reviewer="rita", issued_on=dt.date(2026, 1, 5),
        )["ids"]  # fmt: skip
    plastics, cartons = ids
    for rid, value in ((cartons, 2.5), (wood, 8.75)):
        with db.write() as s:
            enter_value(s, principal(s, "olga"), rid, version=1, value=value, unit="t")
            review.submit(s, principal(s, "olga"), rid, version=2)
    with db.write() as s:
        a = create_assessment(s, year=YEAR, library="none", actor="setup")
        for code in ("A", "B"):
            add_topic(s, a, code=code, name=f"Topic {code}", actor="setup")
        add_respondent(s, a, group="investors", name="INV-1", actor="setup")
        (token,) = issue_tokens(s, a, actor="setup")
    yield Site(live_server, db, plastics, cartons, wood, token["token"])


def sign_in(page: Page, site: Site, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{site.url}/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_wrong_password_shows_the_error(page: Page, site: Site) -> None:
    sign_in(page, site, "olga", "not her password")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("olga")
    expect(page.get_by_test_id("whoami")).to_have_count(0)


def test_a_value_goes_from_owner_to_review_to_lock(browser, site: Site) -> None:  # type: ignore[no-untyped-def]
    # olga: enter and submit, from the list of her requests
    owner = browser.new_page()
    sign_in(owner, site, "olga")
    owner.goto(f"{site.url}/requests")
    owner.get_by_test_id("request-row").filter(has_text="SZ1").filter(
        has_text="draft").get_by_role("link", name=str(site.plastics)).click()  # fmt: skip
    form = owner.get_by_test_id("enter-form")
    form.get_by_label("Value", exact=True).fill("4.5")
    form.get_by_label("Unit", exact=True).fill("t")
    form.get_by_role("button", name="Save value").click()
    expect(owner.get_by_role("status")).to_have_text("Value saved.")
    expect(owner.get_by_test_id("current-value")).to_have_text("4.5 t")
    owner.get_by_role("button", name="Submit for review").click()
    expect(owner.get_by_test_id("state")).to_have_text("submitted")

    # rita: approve one from the queue, return the other with a comment
    reviewer = browser.new_context().new_page()
    sign_in(reviewer, site, "rita")
    reviewer.get_by_role("link", name="Review").click()
    reviewer.get_by_role("button", name=f"Approve request {site.plastics}").click()
    expect(reviewer.get_by_role("status")).to_contain_text(f"Request {site.plastics}: Approved")
    reviewer.get_by_label(f"Return comment for request {site.cartons}").fill(
        "Cartons look low: include the Q4 purchases?"
    )
    reviewer.get_by_role("button", name=f"Return request {site.cartons}").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Returned to the owner")
    assert (site.state(site.plastics)["state"], site.state(site.cartons)["state"]) == (
        "approved", "returned",
    )  # fmt: skip

    # olga reads the comment on the returned request
    owner.goto(f"{site.url}/requests/{site.cartons}")
    expect(owner.get_by_test_id("comments")).to_contain_text("include the Q4 purchases?")
    expect(owner.get_by_test_id("state")).to_have_text("returned")

    # mia locks the approved value
    manager = browser.new_context().new_page()
    sign_in(manager, site, "mia")
    manager.goto(f"{site.url}/requests/{site.plastics}")
    manager.get_by_role("button", name="Lock value").click()
    expect(manager.get_by_role("status")).to_have_text(re.compile("^Locked"))
    expect(manager.get_by_test_id("state")).to_have_text("locked")
    assert site.state(site.plastics)["state"] == "locked"
    for p in (owner, reviewer, manager):
        p.context.close()


def test_an_auditor_sees_values_but_cannot_change_them(page: Page, site: Site) -> None:
    sign_in(page, site, "aldo")
    page.goto(f"{site.url}/requests")
    expect(page.get_by_test_id("request-row")).to_have_count(3)
    page.get_by_role("link", name=str(site.wood), exact=True).click()
    expect(page.get_by_test_id("current-value")).to_have_text("8.75 t")
    expect(page.get_by_test_id("read-only")).to_be_visible()
    expect(page.locator("form[action^='/requests/']")).to_have_count(0)
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    before = site.state(site.wood)
    answer = page.request.post(
        f"{site.url}/requests/{site.wood}/approve",
        form={"csrf_token": token, "version": str(before["version"])},
    )
    assert answer.status == 403 and "aldo (auditor) may not approve" in answer.text()
    assert site.state(site.wood) == before


def test_a_respondent_answers_once(page: Page, site: Site) -> None:
    link = f"{site.url}/survey/{site.survey_token}"
    page.goto(link)
    expect(page.get_by_role("link", name="Data requests")).to_have_count(0)
    for topic, (valence, actuality, scale, scope, extra) in {
        "Topic A": ("negative", "actual", "4", "3", ("Irremediability", "2")),
        "Topic B": ("positive", "potential", "2", "5", ("Likelihood", "3")),
    }.items():
        page.get_by_label(f"Effect – {topic}").select_option(valence)
        page.get_by_label(f"Actual or potential – {topic}").select_option(actuality)
        page.get_by_label(f"Scale – {topic}").select_option(scale)
        page.get_by_label(f"Scope – {topic}").select_option(scope)
        page.get_by_label(re.compile(f"^{extra[0]}.* – {topic}$")).select_option(extra[1])
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_test_id("survey-confirm")).to_contain_text("2 of 2 topics")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_test_id("survey-notice")).to_have_text(
        "Thank you: your answers are recorded."
    )
    page.goto(link)
    expect(page.get_by_test_id("survey-notice")).to_contain_text("already been answered")
    expect(page.get_by_test_id("survey-form")).to_have_count(0)
    missing = page.goto(f"{site.url}/survey/no-such-token")
    assert missing is not None and missing.status == 404
