"""Benchmark: what migration 0037_reqsort's six (column, id) indexes cost issuing requests on
SQLite, and give the state stamp's question there (#14), as ``bench/request_sort_pg.py``
measures both on PostgreSQL.

Usage::

    .venv/bin/python bench/request_index_sqlite.py [--rounds 10]

A fresh SQLite workspace holding the plan test's requests copied to about 20,000 (each copy
a year further on, so the unique key holds); then 1,000 of them inserted once more by one
statement (copies ten thousand years on) and rolled back, this process's CPU seconds
(``time.process_time``: SQLite runs in it), "before" (the six indexes dropped and the one on
entity_id alone back) against "after" (0037's), rounds alternating which goes first. And
the state stamp's statement (:func:`esgledger.ledger.state.stamp_query`, whose
``max(updated_at)`` reads every request without (updated_at, id)), 2,000 times a round, CPU
ms per question. ``MEASURED`` lines, medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' list loads

from request_sort_pg import request_indexes  # noqa: E402
from sqlalchemy import text  # noqa: E402
from tests.ledger.test_list_sort_indexes import _load  # noqa: E402

from esgledger.ledger.db import Database  # noqa: E402
from esgledger.ledger.state import stamp_query  # noqa: E402
from esgledger.ledger.workflow_models import DataRequest  # noqa: E402
from esgledger.ledger.workspace import init_workspace  # noqa: E402

ROWS = 20_000


def _copy(offset: str, source: str) -> str:
    """``INSERT … SELECT`` of ``source``'s requests, a year ``offset`` on, ids numbered on."""
    columns = [c.name for c in DataRequest.__table__.columns]
    given = {"year": f"r.year + {offset}", "id": "top.id + row_number() OVER ()"}
    values = ", ".join(given.get(c, f'r."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    return (
        f"INSERT INTO data_requests ({names}) SELECT {values} FROM {source} AS r, "
        "(SELECT max(id) AS id FROM data_requests) AS top"
    )


def measure(db: Database, tmp: Path, rounds: int) -> None:
    _load(db, tmp)
    with db.write() as s:
        held = int(s.scalar(text("SELECT count(*) FROM data_requests")) or 0)
        for copy in range(1, ROWS // held):
            s.execute(text(_copy(str(copy), "(SELECT * FROM data_requests WHERE year = 2025)")))
        rows = int(s.scalar(text("SELECT count(*) FROM data_requests")) or 0)
    insert = _copy("10000", "(SELECT * FROM data_requests ORDER BY id LIMIT 1000)")
    per: dict[str, list[float]] = {"before": [], "after": []}
    for rnd in range(rounds):
        for which in ("before", "after") if rnd % 2 == 0 else ("after", "before"):
            request_indexes(db, which == "after")
            with db.engine.connect() as conn:
                start = time.process_time()
                done = conn.exec_driver_sql(insert).rowcount
                spent = time.process_time() - start
                conn.rollback()
            assert done == 1000, done
            per[which].append(spent * 1e3)
    print(
        f"MEASURED sqlite issuing 1,000 requests CPU ms median (rows={rows}) "
        f"before={statistics.median(per['before']):.2f} "
        f"after={statistics.median(per['after']):.2f}"
    )
    _question(db, rounds)


def _question(db: Database, rounds: int) -> None:
    """The state stamp's statement's CPU per question, without and with (updated_at, id)."""
    sql = str(stamp_query().compile(db.engine, compile_kwargs={"literal_binds": True}))
    per: dict[str, list[float]] = {"before": [], "after": []}
    for rnd in range(rounds):
        for which in ("before", "after") if rnd % 2 == 0 else ("after", "before"):
            request_indexes(db, which == "after")
            with db.engine.connect() as conn:
                conn.exec_driver_sql(sql).one()  # planned once, as a kept connection does
                start = time.process_time()
                for _ in range(2000):
                    conn.exec_driver_sql(sql).one()
                per[which].append((time.process_time() - start) / 2000 * 1e3)
    print(
        "MEASURED sqlite state stamp question CPU ms median "
        f"before={statistics.median(per['before']):.3f} "
        f"after={statistics.median(per['after']):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="esg-bench-reqwrites-") as tmp:
        db, _ = init_workspace(str(Path(tmp) / "w.db"), actor="bench")
        try:
            measure(db, Path(tmp), args.rounds)
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
