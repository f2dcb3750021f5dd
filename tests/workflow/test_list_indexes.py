"""Issue #14 (scale): the columns the request list and the audit log filter and sort on are
indexed (migrations 0010, 0037), on SQLite and PostgreSQL alike, and SQLite's plan for the overdue
list of a year uses the index instead of reading every request."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, select

from esgledger.ledger.db import Database
from esgledger.ledger.workflow_models import DataRequest

WANTED = {
    "data_requests": {"ix_data_requests_year_due", "ix_data_requests_entity_id_id",
                      "ix_data_requests_reviewer_state"},
    "audit_events": {"ix_audit_events_subject", "ix_audit_events_action"},
}  # fmt: skip


def test_the_list_columns_are_indexed(db: Database) -> None:
    found = inspect(db.engine)
    for table, names in WANTED.items():
        assert names <= {ix["name"] for ix in found.get_indexes(table)}, table
    if db.dialect == "sqlite":
        overdue = select(DataRequest.id).where(
            DataRequest.year == 2025, DataRequest.due_date < dt.date(2026, 1, 1)
        )
        sql = str(overdue.compile(db.engine, compile_kwargs={"literal_binds": True}))
        with db.engine.connect() as conn:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "ix_data_requests_year_due" in plan, plan
