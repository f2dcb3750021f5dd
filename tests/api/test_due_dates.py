"""Issue #14: the API refuses a past due date with the page's and the CLI's one line."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from esgledger.ledger.workflow_models import DataRequest
from tests.api.conftest import YEAR, Api, problem


def test_the_api_refuses_a_past_due_date_and_writes_nothing(api: Api) -> None:
    past = dt.date.today() - dt.timedelta(days=1)
    body = {"year": YEAR, "metrics": ["packaging.plastics"], "owner": "olga",
            "due": past.isoformat(), "entities": ["HQ"]}  # fmt: skip
    refused = problem(api.call("mia", "POST", "/requests", json=body), 422)
    assert refused["detail"] == f"due date {past} is in the past; choose today or a later date"
    with api.db.read() as session:
        assert session.scalar(select(func.count()).select_from(DataRequest)) == 0
