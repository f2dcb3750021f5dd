"""Benchmark: the request list sorted by owner on PostgreSQL, before and after 0038_actsort (#14).

Usage::

    .venv/bin/python bench/owner_sort_pg.py [--postgres URL] [--rounds 5]

The plan test's requests (``tests/ledger/test_list_sort_indexes.py``) copied to about 20,000
and shared by three owners (one in 50, one in 10, the rest), then ``ANALYZE``. The page of
100 after the middle request of the list sorted by owner, both directions. "before": one
statement ordered by the owner's user name (a subquery per row), then id, with the index on
owner_id alone (as before 0038); "after": the statements ``request_list.page_by_owner`` sends
for that page — the users in name order, then that owner's requests after the key's id
(``owner_read``) — with the (owner_id, id) index. EXPLAIN ANALYZE's execution time (summed
over the statements) and the rows their scans read; rounds alternate which goes first.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' list loads

from activity_sort_pg import explain_analyze  # noqa: E402
from register_sort_pg import run_on_postgres  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from tests.ledger.test_list_sort_indexes import _grow, _load  # noqa: E402

from esgledger.auth.users import add_user, principal  # noqa: E402
from esgledger.ledger.db import Database  # noqa: E402
from esgledger.ledger.keyset import after, term  # noqa: E402
from esgledger.ledger.listing import page_order  # noqa: E402
from esgledger.ledger.workflow_models import DataRequest, User  # noqa: E402
from esgledger.workflow import request_list  # noqa: E402


def _schema(db: Database, new: bool) -> None:
    with db.write() as s:
        if new:
            s.execute(text("DROP INDEX IF EXISTS ix_data_requests_owner_id"))
            s.execute(
                text(
                    "CREATE INDEX IF NOT EXISTS ix_data_requests_owner_id_id "
                    "ON data_requests (owner_id, id)"
                )
            )
        else:
            s.execute(text("DROP INDEX IF EXISTS ix_data_requests_owner_id_id"))
            made = "CREATE INDEX IF NOT EXISTS ix_data_requests_owner_id ON data_requests"
            s.execute(text(made + " (owner_id)"))
        s.execute(text("ANALYZE data_requests"))


def _statements(db: Database, descending: bool, new: bool, size: int) -> list[Any]:
    old_order = page_order(request_list.SORT_KEYS["owner"], descending, request_list.THEN_BY)
    with db.read() as s:
        name, ident, oid = s.execute(
            select(*(term(o).column for o in old_order), DataRequest.owner_id)
            .order_by(*old_order)
            .offset(size // 2)
            .limit(1)
        ).one()
    if not new:
        terms = [term(o) for o in old_order]
        key = (name, ident)
        later = after(terms, key, large_nulls=True)
        return [select(DataRequest).order_by(*old_order).where(later).limit(100)]
    users = select(User.id, User.username).order_by(User.username)
    read = request_list.owner_read(select(DataRequest), oid, descending, ident).limit(100)
    return [users, read]


def measure(pg_db: Database, tmp_path: Path, rounds: int) -> None:
    _load(pg_db, tmp_path)
    with pg_db.write() as session:
        for name in ("zoe", "adam"):
            add_user(session, username=name, role="esg_manager", actor="setup")
    size = _grow(pg_db, DataRequest.__table__)
    with pg_db.write() as session:
        zoe, adam = (principal(session, n).user_id for n in ("zoe", "adam"))
        share = f"CASE WHEN id % 50 = 0 THEN {zoe} WHEN id % 10 = 0 THEN {adam} ELSE owner_id END"
        session.execute(text(f"UPDATE data_requests SET owner_id = {share}"))
    print(f"data_requests rows={size}", flush=True)
    ms: dict[str, list[float]] = {"before": [], "after": []}
    scanned: dict[str, list[int]] = {"before": [], "after": []}
    for rnd in range(rounds):
        for which in ("before", "after") if rnd % 2 == 0 else ("after", "before"):
            _schema(pg_db, which == "after")
            for descending in (False, True):
                took, rows = 0.0, 0
                for stmt in _statements(pg_db, descending, which == "after", size):
                    explain_analyze(pg_db, stmt)  # warm
                    one, read = explain_analyze(pg_db, stmt)
                    took, rows = took + one, rows + read
                ms[which].append(took)
                scanned[which].append(rows)
    _schema(pg_db, True)
    print(
        f"MEASURED owner later-page ms median before={statistics.median(ms['before']):.2f} "
        f"after={statistics.median(ms['after']):.2f} rows_scanned "
        f"before={max(scanned['before'])} after={max(scanned['after'])}"
    )


if __name__ == "__main__":
    run_on_postgres(measure, __doc__.split("\n\n")[0], "esg-bench-ownersort-")
