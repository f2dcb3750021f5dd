"""Issue #18 (scale): whether a data request not yet approved entered a KPI value is asked
by every KPI table, check and report; ``data_requests.value_id`` is indexed for it
(migration 0013_scale) on both backends. The pending requests' values are read once per
query as a list (SQLite's plan: a list subquery), not looked up once per
stored value (a correlated subquery: a seventh of reading 4.6 M grouped values)."""

from __future__ import annotations

from sqlalchemy import inspect, select

from esgledger.ledger.db import Database
from esgledger.ledger.kpis import approved_or_direct
from esgledger.ledger.models import KpiValue


def test_the_requests_value_column_is_indexed(db: Database) -> None:
    names = {ix["name"] for ix in inspect(db.engine).get_indexes("data_requests")}
    assert "ix_data_requests_value" in names
    if db.dialect == "sqlite":
        counted = select(KpiValue.id).where(approved_or_direct())
        sql = str(counted.compile(db.engine, compile_kwargs={"literal_binds": True}))
        with db.engine.connect() as conn:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "LIST SUBQUERY" in plan and "CORRELATED" not in plan, plan
