"""Issue #14: a past due date is refused by the service, so the CLI refuses it like the page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from esgledger.ledger.workflow_models import DataRequest
from tests.conftest import Cli
from tests.workflow.conftest import Org, issue


def _count(org: Org) -> int:
    with org.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(DataRequest)) or 0)


def test_the_cli_refuses_a_past_due_date_in_one_line(cli: Cli, org: Org) -> None:
    past = dt.date.today() - dt.timedelta(days=1)
    refused = cli("request", "issue", "--year", "2025", "--metric", "packaging.plastics",
                  "--entity", "HQ", "--owner", "olga", "--due", past.isoformat(),
                  "--as", "mia", expect=2)  # fmt: skip
    assert refused.output.strip() == (
        f"error: due date {past} is in the past; choose today or a later date"
    )
    assert _count(org) == 0


def test_today_is_a_valid_due_date_and_history_names_its_issue_day(org: Org) -> None:
    assert len(issue(org, ["packaging.plastics"], ["HQ"], due=dt.date.today())) == 1
    seeded = issue(org, ["packaging.cartons"], ["HQ"], due=dt.date(2020, 1, 31),
                   issued_on=dt.date(2020, 1, 2))  # fmt: skip
    assert len(seeded) == 1 and _count(org) == 2
