"""Benchmark: a later register page's read on PostgreSQL before and after 0033_regsort (#17).

Usage::

    .venv/bin/python bench/register_sort_pg.py [--postgres URL] [--rounds 5]

On the 20,000-row tables of ``tests/ledger/test_register_sort_indexes.py`` (the registers'
rows of ``tests/web/test_register_csv_exports.py`` copied), for each of the 8 sorts mended
(ties by id): the 1,000 rows after the middle row, ascending and descending, EXPLAIN ANALYZE's
execution time; "old" is the index on the column alone and ties by id ascending, "new" the
index on (column, id) and ties in the sort's direction; rounds alternating which goes first.
A fresh database, in ``--postgres`` (an empty database), ``$ESG_BENCH_POSTGRES_URL`` or a
private cluster as ``bench/api.py`` starts. One ``MEASURED`` line per sort (median ms of its
reads each way), then ``TOTAL``. It was ``tests/ledger/measure_register_sort_pg.py``, run
through pytest; a measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' register files and their 20,000-row tables

from api import _postgres_url  # noqa: E402
from postgres_cli import add_postgres_option, clusters_stopped  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from tests.ledger.test_register_sort_indexes import SORTED, _column, _grow  # noqa: E402

from esgledger.ledger.db import Database  # noqa: E402
from esgledger.ledger.keyset import after, term  # noqa: E402
from esgledger.ledger.listing import page_order  # noqa: E402
from esgledger.ledger.workspace import init_workspace  # noqa: E402

MENDED = {  # (page, key) of the 30 mended (assurance's, ties by ref, measured apart)
    ("/registers/board", "entity"),
    ("/registers/complaints", "entity"),
    ("/registers/complaints", "severity"),
    ("/registers/ohs", "state"),
    ("/registers/ohs-safety", "entity"),
    ("/registers/ohs-safety:operators", "entity"),
    ("/registers/whistleblowing", "entity"),
    ("/registers/whistleblowing", "state"),
}
OLD_ALONE = {"board_members", "ohs_special_operators"}


def _ms(db: Database, stmt: Any) -> float:
    with db.read() as s:
        conn = s.connection()
        c = stmt.compile(conn)
        plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {c}", c.params).scalar_one()
    return float(plan[0]["Execution Time"])


def _schema(db: Database, table: str, column: str, new: bool) -> None:
    with db.write() as s:
        if new:
            s.execute(text(f"DROP INDEX IF EXISTS ix_{table}_{column}"))
            s.execute(
                text(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column}_id ON {table} ({column}, id)")
            )
        else:
            s.execute(text(f"DROP INDEX IF EXISTS ix_{table}_{column}_id"))
            if table not in OLD_ALONE:
                s.execute(
                    text(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column} ON {table} ({column})")
                )
        s.execute(text(f"ANALYZE {table}"))


def measure(pg_db: Database, tmp_path: Path, rounds: int) -> None:
    from tests.web.test_register_csv_exports import _load

    _load(pg_db, tmp_path)
    tables = {a.class_.__table__ for _, _, a in SORTED}
    sizes = {t.name: _grow(pg_db, t) for t in tables}
    totals: dict[str, list[float]] = {"old": [], "new": []}
    for page, key, attribute in SORTED:
        if (page, key) not in MENDED:
            continue
        model, column = attribute.class_, _column(attribute)
        table = column.table.name
        per: dict[str, list[float]] = {"old": [], "new": []}
        for rnd in range(rounds):
            for which in ("old", "new") if rnd % 2 == 0 else ("new", "old"):
                _schema(pg_db, table, column.name, which == "new")
                for descending in (False, True):
                    order = (
                        page_order(attribute, descending, (model.id.asc(),))
                        if which == "new"
                        else (attribute.desc() if descending else attribute.asc(), model.id.asc())
                    )
                    with pg_db.read() as s:
                        mid = s.execute(
                            select(attribute, model.id)
                            .order_by(*order)
                            .offset(sizes[table] // 2)
                            .limit(1)
                        ).one()
                    later = (
                        select(model)
                        .order_by(*order)
                        .limit(1000)
                        .where(after([term(o) for o in order], tuple(mid), large_nulls=True))
                    )
                    _ms(pg_db, later)
                    per[which].append(_ms(pg_db, later))
        _schema(pg_db, table, column.name, True)
        for w in per:
            totals[w].append(statistics.median(per[w]))
        print(
            f"MEASURED {page} {key} later-page ms median "
            f"old={statistics.median(per['old']):.2f} new={statistics.median(per['new']):.2f}"
        )
    print(f"TOTAL medians old={sum(totals['old']):.1f} ms new={sum(totals['new']):.1f} ms")


def run_on_postgres(
    measure: Callable[[Database, Path, int], None], description: str, prefix: str
) -> None:
    """The command line of a PostgreSQL plan benchmark: ``measure`` on a fresh workspace in
    the given database or a private cluster, ``--rounds`` times."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=5)
    add_postgres_option(parser)
    args = parser.parse_args()
    with clusters_stopped() as clusters:
        db, _ = init_workspace(_postgres_url(args, clusters), actor="bench")
        try:
            with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
                measure(db, Path(tmp), args.rounds)
        finally:
            db.dispose()


if __name__ == "__main__":
    run_on_postgres(measure, __doc__.split("\n\n")[0], "esg-bench-sort-")
