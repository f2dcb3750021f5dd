"""Issue #14, the write path: an audit event's data digests read their rows with SQL compiled
once per dialect and scope (compiling those statements cost more than running them; a
data request's write digests the value it wrote, ``value:ID``). The kept statements must give
the digests the statements built afresh give, on SQLite and PostgreSQL, write after write."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from esgledger.auth.users import add_user, principal
from esgledger.ledger import digests
from esgledger.ledger.archive_format import CHUNK, column_kind
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.models import AuditEvent, Base
from esgledger.ledger.row_text import rows_text
from esgledger.workflow.requests import get_request, issue_requests
from esgledger.workflow.values import enter_value
from tests.factories import entities_file, write_csv

YEAR = 2025


def slow_digest(session: Session, scope: str) -> dict[str, Any]:
    """The digest as it was computed before statements were kept: built and compiled anew."""
    kind, args = digests._parse(scope)
    conn = session.connection()
    postgres = conn.dialect.name == "postgresql"
    tables: dict[str, list[Any]] = {}
    for part in digests.KINDS[kind]:
        table = Base.metadata.tables[part.table]
        columns = [table.c[c] for c in part.columns] or digests.covered_columns(table)
        order = [
            c.collate("C") if postgres and isinstance(c.type, String) else c
            for c in table.primary_key.columns
        ]
        stmt = select(*columns).where(part.where(table, args)).order_by(*order)
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        cursor = conn.connection.driver_connection.cursor()
        cursor.execute(sql)
        sha, count = hashlib.sha256(), 0
        while rows := cursor.fetchmany(CHUNK):
            sha.update(rows_text([column_kind(c.type) for c in columns], rows).encode())
            count += len(rows)
        cursor.close()
        tables[table.name] = [count, sha.hexdigest()]
    return {"scope": scope, "tables": tables}


def _recorded(session: Session) -> list[dict[str, Any]]:
    found = []
    for payload in session.scalars(select(AuditEvent.payload).order_by(AuditEvent.id)):
        data = json.loads(payload)
        found += data.get("data", []) if isinstance(data, dict) else []
    return found


def test_kept_digest_queries_give_the_digests_of_fresh_ones(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor="t")
    rows = [["SZ1", YEAR - 1, "packaging.plastics", "10.5", "t"]]
    import_kpis(db, write_csv(tmp_path / "k.csv", ["entity", "year", "metric", "value", "unit"], rows), actor="t")  # fmt: skip
    with db.write() as session:
        add_user(session, username="mia", role="esg_manager", actor="t")
        ids = issue_requests(
            session, principal(session, "mia"), year=YEAR, metrics=["packaging.plastics"],
            owner="mia", due=dt.date(YEAR + 1, 3, 31), entities=["SZ1", "WH1"],
            issued_on=dt.date(YEAR, 1, 2),
        )["ids"]  # fmt: skip
    for value in (1.0, 2.5, 4.0):  # each write digests its value again, from kept SQL
        for rid in ids:
            with db.write() as session:
                req = get_request(session, rid)
                mia = principal(session, "mia")
                enter_value(session, mia, rid, version=req.version, value=value, unit="t")
    with db.read() as session:
        recorded = _recorded(session)
        scopes = {d["scope"] for d in recorded}
        values = {s for s in scopes if s.startswith("value:")}
        assert len(values) == 2 and {"batch:1", "batch:2"} <= scopes
        for scope in sorted(scopes):
            fresh = slow_digest(session, scope)
            assert digests.digest(session, scope) == fresh  # kept or not, the same
            assert digests.digest(session, scope) == fresh
        newest = {d["scope"]: d for d in recorded}  # the last event's digest of each scope
        for scope in values:  # one value each, corrected in place twice
            assert newest[scope] == slow_digest(session, scope)
            assert newest[scope]["tables"]["kpi_values"][0] == 1
        assert verify_data(session).ok, verify_data(session).problems


def test_the_kept_queries_are_bounded(sqlite_db: Database) -> None:
    """A scope of ids alone is compiled once per kind and part, whatever its ids: every data
    request's write digests a new ``value:ID``. The text is the one built for those ids."""
    with sqlite_db.read() as session:
        dialect = session.connection().dialect
    digests._queries.clear()
    for batch in range(digests.MAX_QUERIES + 10):
        digests.part_query(dialect, f"batch:{batch}", 0)
        digests.part_query(dialect, f"value:{batch}", 0)
    assert len(digests._queries) == 2
    for scope in ("batch:7", "batch:none", "value:12", "run:3", "voids:40", "report:2025/2"):
        kind, _ = digests._parse(scope)
        for index in range(len(digests.KINDS[kind])):
            kept = digests.part_query(dialect, scope, index)
            assert kept == digests.build_part_query(dialect, scope, index), (scope, index)
