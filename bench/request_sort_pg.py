"""Benchmark: what migration 0037_reqsort's (column, id) indexes give the data request list's
sorts on PostgreSQL, and the freshness question, and what they cost a write (#14).

Usage::

    .venv/bin/python bench/request_sort_pg.py [--postgres URL] [--rounds 5]

Before 0037 the request list ordered ties by (year, due, entity, metric, dims, id) after the
chosen key (:data:`esgledger.workflow.request_list.PRINTED`), so PostgreSQL sorted the table
for a page sorted by due, metric, updated, entity, state or year (``tests/ledger/
test_list_sort_indexes.py``). On the test's table of about 20,000 requests (copies sharing a
year, due date, owner and state, as a year's requests do), for each of those sorts: the 1,000
requests after the middle one, ascending and descending, EXPLAIN ANALYZE's execution time,
"before" (those ties, the six indexes dropped and the one on entity_id alone back) against
"after" (ties by id in the sort's direction, :data:`~esgledger.workflow.request_list.THEN_BY`,
and 0037's indexes), rounds alternating which goes first.

Then the API's freshness question (:func:`esgledger.ledger.state.stamp_query`, prepared, as
:class:`~esgledger.ledger.pg_watch.PostgresWatch` runs it), whose ``max(updated_at)`` reads
every request, without and with the (updated_at, id) index: the server's CPU per question
(``/proc``: the private cluster runs here) over 2,000 questions. And the six indexes' cost
to issuing requests: 1,000 requests inserted by one statement (EXPLAIN ANALYZE, rolled back),
without and with them. A fresh database, in ``--postgres``, ``$ESG_BENCH_POSTGRES_URL`` or a
private cluster as ``bench/api.py`` starts. ``MEASURED`` lines, medians.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' list loads and their 20,000-row tables

from register_sort_pg import _ms, run_on_postgres  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.dialects import postgresql  # noqa: E402
from tests.ledger.test_list_sort_indexes import LISTS, _grow, _load  # noqa: E402

from esgledger.ledger.db import Database  # noqa: E402
from esgledger.ledger.keyset import after, term  # noqa: E402
from esgledger.ledger.listing import page_order  # noqa: E402
from esgledger.ledger.state import stamp_query  # noqa: E402
from esgledger.ledger.workflow_models import DataRequest  # noqa: E402
from esgledger.workflow.request_list import PRINTED, THEN_BY  # noqa: E402

WANTED = {  # sort key → its column (0037's index on (column, id) each)
    "due": "due_date",
    "metric": "metric_id",
    "updated": "updated_at",
    "entity": "entity_id",
    "state": "state",
    "year": "year",
}


def request_indexes(db: Database, present: bool) -> None:
    """0037's indexes as it leaves them (``present``) or as it found them."""
    with db.write() as s:
        for column in WANTED.values():
            name = f"ix_data_requests_{column}_id"
            if present:
                s.execute(
                    text(f"CREATE INDEX IF NOT EXISTS {name} ON data_requests ({column}, id)")
                )
            else:
                s.execute(text(f"DROP INDEX IF EXISTS {name}"))
        if present:
            s.execute(text("DROP INDEX IF EXISTS ix_data_requests_entity"))
        else:
            s.execute(
                text(
                    "CREATE INDEX IF NOT EXISTS ix_data_requests_entity "
                    "ON data_requests (entity_id)"
                )
            )
        s.execute(text("ANALYZE data_requests"))


def _later(db: Database, order: tuple[Any, ...], rows: int) -> Any:
    """The 1,000 requests after the middle one in ``order``."""
    with db.read() as s:
        middle = s.execute(
            select(*(term(o).column for o in order))
            .select_from(DataRequest)
            .order_by(*order)
            .offset(rows // 2)
            .limit(1)
        ).one()
    terms = [term(o) for o in order]
    return (
        select(DataRequest)
        .order_by(*order)
        .limit(1000)
        .where(after(terms, tuple(middle), large_nulls=True))
    )


def measure(pg_db: Database, tmp_path: Path, rounds: int) -> None:
    _load(pg_db, tmp_path)
    rows = _grow(pg_db, DataRequest.__table__)
    listed = LISTS["requests"]
    totals: dict[str, list[float]] = {"before": [], "after": []}
    for key in WANTED:
        element = listed.keys[key]
        per: dict[str, list[float]] = {"before": [], "after": []}
        for rnd in range(rounds):
            for which in ("before", "after") if rnd % 2 == 0 else ("after", "before"):
                request_indexes(pg_db, which == "after")
                for descending in (False, True):
                    ties = PRINTED if which == "before" else THEN_BY
                    order = page_order(element, descending, ties)
                    later = _later(pg_db, order, rows)
                    with pg_db.read() as s:  # a whole page each way, or the times mean nothing
                        assert len(s.execute(later).all()) == 1000, (key, which, descending)
                    _ms(pg_db, later)  # warm
                    per[which].append(_ms(pg_db, later))
        for w in per:
            totals[w].append(statistics.median(per[w]))
        old, new = statistics.median(per["before"]), statistics.median(per["after"])
        print(
            f"MEASURED requests {key} later-page ms median (rows={rows}) "
            f"before={old:.2f} after={new:.2f}",
            flush=True,
        )
    print(
        f"TOTAL medians before={sum(totals['before']):.1f} ms after={sum(totals['after']):.1f} ms"
    )
    _question(pg_db, rounds)
    _writes(pg_db, rounds)


def _question(pg_db: Database, rounds: int) -> None:
    """The freshness question's server CPU, prepared, without and with (updated_at, id)."""
    import psycopg

    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    sql = str(stamp_query().compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    conninfo = pg_db.url.replace("postgresql+psycopg://", "postgresql://")
    per: dict[str, list[float]] = {"before": [], "after": []}
    with psycopg.connect(conninfo, autocommit=True) as conn:
        pg, pid = conn.pgconn, conn.info.backend_pid
        for rnd in range(rounds):
            for which in ("before", "after") if rnd % 2 == 0 else ("after", "before"):
                request_indexes(pg_db, which == "after")
                pg.exec_(b"DEALLOCATE ALL")  # planned afresh with the indexes as they are
                pg.prepare(b"stamp", sql.encode())
                start = _cpu(pid)
                for _ in range(2000):
                    pg.exec_prepared(b"stamp", [])
                per[which].append((_cpu(pid) - start) / 2000 * 1e3)
    print(
        "MEASURED freshness question server CPU ms median "
        f"before={statistics.median(per['before']):.3f} after={statistics.median(per['after']):.3f}"
    )


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _writes(pg_db: Database, rounds: int) -> None:
    """1,000 requests inserted by one statement (copies in a year far off), rolled back."""
    columns = [c.name for c in DataRequest.__table__.columns]
    names = ", ".join(f'"{c}"' for c in columns)
    given = {"year": "r.year + 1000", "id": "top.id + row_number() OVER ()"}  # ids given so
    values = ", ".join(given.get(c, f'r."{c}"') for c in columns)  # (the copies' were too)
    insert = (
        f"EXPLAIN (ANALYZE, FORMAT JSON) INSERT INTO data_requests ({names}) "
        f"SELECT {values} FROM (SELECT * FROM data_requests ORDER BY id LIMIT 1000) AS r, "
        "(SELECT max(id) AS id FROM data_requests) AS top"
    )
    per: dict[str, list[float]] = {"before": [], "after": []}
    for rnd in range(rounds * 2):
        for which in ("before", "after") if rnd % 2 == 0 else ("after", "before"):
            request_indexes(pg_db, which == "after")
            with pg_db.engine.connect() as conn:
                plan = conn.exec_driver_sql(insert).scalar_one()
                conn.rollback()
            per[which].append(float(plan[0]["Execution Time"]))
    print(
        "MEASURED issuing 1,000 requests ms median "
        f"before={statistics.median(per['before']):.2f} after={statistics.median(per['after']):.2f}"
    )


if __name__ == "__main__":
    run_on_postgres(measure, __doc__.split("\n\n")[0], "esg-bench-requestsort-")
