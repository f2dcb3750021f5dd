"""Issue #14 (pages): the dashboard's request panel of a year of thousands of requests is
counted by the database — no request loaded as an object — and shows the same counts as the
full overview (every state, approved or locked, overdue)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from esgledger.auth.users import principal
from esgledger.catalog import metrics
from esgledger.ledger.db import Database
from esgledger.ledger.models import KpiValue
from esgledger.ledger.workflow_models import DataRequest
from esgledger.web import views
from esgledger.workflow import review
from esgledger.workflow.requests import get_request
from esgledger.workflow.values import enter_value
from tests.web.test_list_pages import many, org  # noqa: F401 - fixtures
from tests.web.test_workflow_pages import YEAR


def test_the_request_panel_counts_in_the_database(
    org: Database,  # noqa: F811
    many: list[int],  # noqa: F811
) -> None:
    with org.write() as session:
        mia, rita = principal(session, "mia"), principal(session, "rita")
        for n, rid in enumerate(many[:9]):
            unit = metrics()[get_request(session, rid).metric_id].unit
            req = enter_value(session, mia, rid, version=1, value=n, unit=unit)
            if n % 3:
                req = review.submit(session, mia, rid, version=req.version)
            if n % 3 == 2:
                review.approve(session, rita, rid, version=req.version)
    loaded: list[object] = []

    def count(target: object, context: object) -> None:
        loaded.append(target)

    for today in (dt.date(YEAR, 6, 1), dt.date(2099, 1, 1)):  # nothing and all open overdue
        with org.read() as session:
            for name in ("olga", "mia"):  # a data owner's own entities
                who = principal(session, name)
                full = views.request_overview(session, who, YEAR, today=today)
                for model in (DataRequest, KpiValue):
                    event.listen(model, "load", count)
                try:
                    summary = views.request_summary(session, who, YEAR, today=today)
                finally:
                    for model in (DataRequest, KpiValue):
                        event.remove(model, "load", count)
                assert loaded == []
                assert summary == {
                    "total": full["total"], "counts": full["counts"], "done": full["done"],
                    "done_pct": full["done_pct"], "overdue_count": len(full["overdue"]),
                }  # fmt: skip
    assert summary["done"] == 3 and summary["overdue_count"] > 0
