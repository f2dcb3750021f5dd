"""Benchmark: a later list page's read on PostgreSQL before and after 0035_listsort (#14).

Usage::

    .venv/bin/python bench/list_sort_pg.py [--postgres URL] [--rounds 5]

On the 20,000-row tables of ``tests/ledger/test_list_sort_indexes.py`` (the audit log's and
the suppliers' rows copied), for each of the 5 sorts 0035_listsort mended: the 1,000 rows
after the middle row, ascending and descending, in the page's order (ties by id in the sort's
direction), EXPLAIN ANALYZE's execution time; "old" without the sort's (column, id) index
(as before 0035), "new" with it; rounds alternating which goes first. A fresh database, in
``--postgres`` (an empty database), ``$ESG_BENCH_POSTGRES_URL`` or a private cluster as
``bench/api.py`` starts. One ``MEASURED`` line per sort (median ms of its reads both ways),
then ``TOTAL``.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' list loads and their 20,000-row tables

from register_sort_pg import _ms, run_on_postgres  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from tests.ledger.test_list_sort_indexes import LISTS, _grow, _load, _order  # noqa: E402

from esgledger.ledger.db import Database  # noqa: E402
from esgledger.ledger.keyset import after, term  # noqa: E402

# (list, sort key) → (table, index, its columns) as 0035_listsort creates it
MENDED = {
    ("audit", "ts"): ("audit_events", "ix_audit_events_ts_id", "ts, id DESC"),
    ("audit", "actor"): ("audit_events", "ix_audit_events_actor_id", "actor, id DESC"),
    ("suppliers", "name"): ("suppliers", "ix_suppliers_name_id", "name, id"),
    ("suppliers", "country"): ("suppliers", "ix_suppliers_country_id", "country, id"),
    ("suppliers", "spend"): ("suppliers", "ix_suppliers_spend_id", "spend, id"),
}


def _schema(db: Database, table: str, index: str, columns: str, new: bool) -> None:
    with db.write() as s:
        if new:
            s.execute(text(f"CREATE INDEX IF NOT EXISTS {index} ON {table} ({columns})"))
        else:
            s.execute(text(f"DROP INDEX IF EXISTS {index}"))
        s.execute(text(f"ANALYZE {table}"))


def measure(pg_db: Database, tmp_path: Path, rounds: int) -> None:
    _load(pg_db, tmp_path)
    sizes = {t: _grow(pg_db, LISTS[n].model.__table__) for n, t in (("audit", "audit_events"),
             ("suppliers", "suppliers"))}  # fmt: skip
    totals: dict[str, list[float]] = {"old": [], "new": []}
    for (name, key), (table, index, columns) in MENDED.items():
        listed = LISTS[name]
        element = listed.keys[key]
        per: dict[str, list[float]] = {"old": [], "new": []}
        for rnd in range(rounds):
            for which in ("old", "new") if rnd % 2 == 0 else ("new", "old"):
                _schema(pg_db, table, index, columns, which == "new")
                for descending in (False, True):
                    order = _order(listed, element, descending)
                    with pg_db.read() as s:
                        mid = s.execute(
                            select(*(term(o).column for o in order))
                            .select_from(listed.model)
                            .order_by(*order)
                            .offset(sizes[table] // 2)
                            .limit(1)
                        ).one()
                    terms = [term(o) for o in order]
                    later = (
                        select(listed.model)
                        .order_by(*order)
                        .limit(1000)
                        .where(after(terms, tuple(mid), large_nulls=True))
                    )
                    _ms(pg_db, later)  # warm
                    per[which].append(_ms(pg_db, later))
        _schema(pg_db, table, index, columns, True)
        for w in per:
            totals[w].append(statistics.median(per[w]))
        print(
            f"MEASURED {name} {key} later-page ms median "
            f"old={statistics.median(per['old']):.2f} new={statistics.median(per['new']):.2f}",
            flush=True,
        )
    print(f"TOTAL medians old={sum(totals['old']):.1f} ms new={sum(totals['new']):.1f} ms")
    _writes(pg_db, rounds)


def _writes(pg_db: Database, rounds: int) -> None:
    """What the audit log's two indexes cost a write: 1,000 events appended (copies of the
    last, new ids and hashes) by one INSERT, EXPLAIN ANALYZE's time, rolled back; without
    the two indexes (old) and with them (new), alternating."""
    audit = [(t, i, c) for (n, _), (t, i, c) in MENDED.items() if n == "audit"]
    insert = (
        "EXPLAIN (ANALYZE, FORMAT JSON) INSERT INTO audit_events "
        "(id, ts, actor, action, subject, payload, prev_hash, hash) "
        "SELECT top.id + g, now(), e.actor, e.action, e.subject, e.payload, e.prev_hash, "
        "md5(g::text || 'w') || md5(g::text) FROM generate_series(1, 1000) AS g, "
        "(SELECT max(id) AS id FROM audit_events) AS top, "
        "(SELECT * FROM audit_events ORDER BY id DESC LIMIT 1) AS e"
    )
    per: dict[str, list[float]] = {"old": [], "new": []}
    for rnd in range(rounds * 2):
        for which in ("old", "new") if rnd % 2 == 0 else ("new", "old"):
            for table, index, columns in audit:
                _schema(pg_db, table, index, columns, which == "new")
            with pg_db.engine.connect() as conn:
                plan = conn.exec_driver_sql(insert).scalar_one()
                conn.rollback()
            per[which].append(float(plan[0]["Execution Time"]))
    for table, index, columns in audit:
        _schema(pg_db, table, index, columns, True)
    print(
        "MEASURED audit write 1,000 events ms median "
        f"old={statistics.median(per['old']):.2f} new={statistics.median(per['new']):.2f}"
    )


if __name__ == "__main__":
    run_on_postgres(measure, __doc__.split("\n\n")[0], "esg-bench-listsort-")
