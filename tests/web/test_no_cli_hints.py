"""Issue #14: page users get no command-line hints ("`esg request list` lists them") on
"not found", refusal and error pages, nor in any template."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

import esgledger.web
from esgledger.ledger.db import Database
from esgledger.web.page_messages import for_pages
from tests.web.test_daily_work import issue
from tests.web.test_workflow_pages import login, org

__all__ = ["org"]  # the fixture, imported for pytest
TEMPLATES = Path(esgledger.web.__file__).parent / "templates"
CLI_HINT = re.compile(r"\besg [a-z]+")
ERROR = re.compile(r'data-testid="error">([^<]*)<')


def test_no_template_tells_a_page_user_to_run_a_command() -> None:
    hints = [
        f"{page.name}: {hit.group(0)}"
        for page in sorted(TEMPLATES.glob("*.html"))
        for hit in CLI_HINT.finditer(page.read_text(encoding="utf-8"))
    ]
    assert hints == []


def test_not_found_and_refusals_keep_the_message_without_the_hint(
    web: TestClient, org: Database
) -> None:
    (wh1,) = issue(org, ["packaging.plastics"], ["WH1"], owner="otto")
    login(web, org, "olga")
    missing = web.get("/requests/9999")
    assert missing.status_code == 404
    assert ERROR.findall(missing.text) == ["no data request 9999"]
    refused = web.get(f"/requests/{wh1}")
    assert refused.status_code == 403
    (line,) = ERROR.findall(refused.text)
    assert line.startswith("olga (data_owner) has no grant on entity") and "admin" in line
    for page in (missing, refused):
        assert not CLI_HINT.search(page.text.replace("esgledger", ""))


def test_for_pages_drops_only_the_command_hint() -> None:
    assert for_pages("no data request 9; `esg request list` lists them") == "no data request 9"
    assert (
        for_pages(
            "locked values cannot be edited; a change after lock is a restatement "
            "(`esg request restate` with a reason)"
        )
        == "locked values cannot be edited; a change after lock is a restatement"
    )
    assert (
        for_pages(
            "olga (data_owner) has no grant on every entity; "
            "an admin can grant it with `esg user grant olga ENTITY`"
        )
        == "olga (data_owner) has no grant on every entity; an admin can grant it"
    )
    assert for_pages("due date 2020-01-01 is in the past") == "due date 2020-01-01 is in the past"
