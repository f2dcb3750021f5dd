"""Benchmark: the activity list's page reads on PostgreSQL before and after 0038_actsort (#14).

Usage::

    .venv/bin/python bench/activity_sort_pg.py [--postgres URL] [--rounds 5] [--rows 200000]

The plan test's activity rows (``tests/ledger/test_list_sort_indexes.py``) copied to about
``--rows`` (each copy's attributes made unique, so activity, entity and start keep their ties,
as a ledger's do), then ``ANALYZE``. For each of the three sorts 0038_actsort mended
(activity, entity, start), both directions, two reads: the 1,000 rows after the middle row
(a keyset page, as an export reads) and the 100 rows of a far page by number (OFFSET at 90 %,
as the API's ``page``). "before": ties by id ascending in both directions, without the three
(column, id) indexes (as before 0038); "after": ties by id in the sort's direction, with them.
EXPLAIN ANALYZE's execution time and the rows its scans read; rounds alternate which goes
first. Then what the three indexes cost an import: 1,000 rows added by one INSERT (rolled
back). One ``MEASURED`` line per sort and read (medians), then ``TOTAL``.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' list loads

from register_sort_pg import run_on_postgres  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from tests.ledger.test_list_sort_indexes import _load  # noqa: E402

from esgledger.ledger.activity_pages import SORT, THEN_BY  # noqa: E402
from esgledger.ledger.db import Database  # noqa: E402
from esgledger.ledger.keyset import after, after_row, term  # noqa: E402
from esgledger.ledger.listing import page_order  # noqa: E402
from esgledger.ledger.models import ActivityRecord  # noqa: E402

ROWS = 200_000
INDEXES = {  # as 0038_actsort creates them
    "activity": ("ix_activity_records_activity_id", "activity, id"),
    "entity": ("ix_activity_records_entity_id_id", "entity_id, id"),
    "start": ("ix_activity_records_start_id", "start, id"),
}


def _schema(db: Database, new: bool) -> None:
    with db.write() as s:
        for name, columns in INDEXES.values():
            if new:
                made = f"CREATE INDEX IF NOT EXISTS {name} ON activity_records ({columns})"
                s.execute(text(made))
            else:
                s.execute(text(f"DROP INDEX IF EXISTS {name}"))
        s.execute(text("ANALYZE activity_records"))


def _grow(db: Database, rows: int) -> int:
    """The table's rows copied to about ``rows``: new ids, attributes unique per copy."""
    names = [c.name for c in ActivityRecord.__table__.columns]
    quoted = ", ".join(f'"{c}"' for c in names)
    values = [
        "top.id + row_number() OVER ()" if c == "id"
        else "'{\"copy\":' || g || '}'" if c == "attributes"
        else f't."{c}"'
        for c in names
    ]  # fmt: skip
    with db.write() as s:
        held = int(s.scalar(text("SELECT count(*) FROM activity_records")) or 0)
        s.execute(
            text(
                f"INSERT INTO activity_records ({quoted}) "
                f"SELECT {', '.join(values)} FROM activity_records AS t, "
                "(SELECT max(id) AS id FROM activity_records) AS top, "
                f"generate_series(1, {max(1, rows // held - 1)}) AS g"
            )
        )
        s.execute(text("ANALYZE activity_records"))
        return int(s.scalar(text("SELECT count(*) FROM activity_records")) or 0)


def _scanned(plan: dict[str, Any]) -> int:
    """Rows the plan's scans read (actual rows × loops of its leaf scan nodes)."""
    inner = plan.get("Plans") or []
    if not inner:
        return int(plan.get("Actual Rows", 0)) * int(plan.get("Actual Loops", 1))
    return sum(_scanned(p) for p in inner)


def explain_analyze(db: Database, stmt: Any) -> tuple[float, int]:
    """PostgreSQL's execution time (ms) of ``stmt`` and the rows its plan read."""
    with db.read() as s:
        conn = s.connection()
        c = stmt.compile(conn)
        got = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {c}", c.params).scalar_one()
    return float(got[0]["Execution Time"]), _scanned(got[0]["Plan"])


def _order(key: str, descending: bool, new: bool) -> tuple[Any, ...]:
    column = SORT[key]
    if new:
        return page_order(column, descending, THEN_BY)
    return (column.desc() if descending else column.asc(), *THEN_BY)


def _reads(db: Database, key: str, descending: bool, new: bool, size: int) -> dict[str, Any]:
    order = _order(key, descending, new)
    with db.read() as s:
        middle = s.execute(
            select(*(term(o).column for o in order))
            .select_from(ActivityRecord)
            .order_by(*order)
            .offset(size // 2)
            .limit(1)
        ).one()
    terms = [term(o) for o in order]
    base = select(ActivityRecord).order_by(*order)
    keyed = after_row if new else after  # the page's form since d5487c6 (activity_pages)
    return {
        "keyset": base.where(keyed(terms, tuple(middle), large_nulls=True)).limit(1000),
        "far": base.offset(size * 9 // 10).limit(100),
    }


def measure(pg_db: Database, tmp_path: Path, rounds: int) -> None:
    _load(pg_db, tmp_path)
    size = _grow(pg_db, int(getattr(measure, "rows", ROWS)))
    print(f"activity_records rows={size}", flush=True)
    totals: dict[str, list[float]] = {"before": [], "after": []}
    for key in INDEXES:
        for read in ("keyset", "far"):
            ms: dict[str, list[float]] = {"before": [], "after": []}
            scanned: dict[str, list[int]] = {"before": [], "after": []}
            for rnd in range(rounds):
                for which in ("before", "after") if rnd % 2 == 0 else ("after", "before"):
                    _schema(pg_db, which == "after")
                    for descending in (False, True):
                        stmt = _reads(pg_db, key, descending, which == "after", size)[read]
                        explain_analyze(pg_db, stmt)  # warm
                        took, rows = explain_analyze(pg_db, stmt)
                        ms[which].append(took)
                        scanned[which].append(rows)
            for w in totals:
                totals[w].append(statistics.median(ms[w]))
            print(
                f"MEASURED {key} {read} ms median before={statistics.median(ms['before']):.2f} "
                f"after={statistics.median(ms['after']):.2f} rows_scanned "
                f"before={max(scanned['before'])} after={max(scanned['after'])}",
                flush=True,
            )
    _schema(pg_db, True)
    print(
        f"TOTAL medians before={sum(totals['before']):.1f} ms after={sum(totals['after']):.1f} ms"
    )
    _writes(pg_db, rounds)


def _writes(pg_db: Database, rounds: int) -> None:
    """1,000 activity rows added by one INSERT (copies of the first 1,000, new ids and
    attributes), EXPLAIN ANALYZE's time, rolled back; without the three indexes and with."""
    names = [c.name for c in ActivityRecord.__table__.columns]
    values = [
        "top.id + row_number() OVER ()" if c == "id"
        else "'{\"new\":' || t.id || '}'" if c == "attributes"
        else f't."{c}"'
        for c in names
    ]  # fmt: skip
    insert = (
        "EXPLAIN (ANALYZE, FORMAT JSON) INSERT INTO activity_records "
        f"({', '.join(f'{chr(34)}{c}{chr(34)}' for c in names)}) SELECT {', '.join(values)} "
        "FROM (SELECT * FROM activity_records ORDER BY id LIMIT 1000) AS t, "
        "(SELECT max(id) AS id FROM activity_records) AS top"
    )
    per: dict[str, list[float]] = {"before": [], "after": []}
    for rnd in range(rounds * 2):
        for which in ("before", "after") if rnd % 2 == 0 else ("after", "before"):
            _schema(pg_db, which == "after")
            with pg_db.engine.connect() as conn:
                plan = conn.exec_driver_sql(insert).scalar_one()
                conn.rollback()
            per[which].append(float(plan[0]["Execution Time"]))
    _schema(pg_db, True)
    print(
        "MEASURED import 1,000 rows ms median "
        f"before={statistics.median(per['before']):.2f} after={statistics.median(per['after']):.2f}"
    )


if __name__ == "__main__":
    if "--rows" in sys.argv:
        at = sys.argv.index("--rows")
        measure.rows = int(sys.argv[at + 1])  # type: ignore[attr-defined]
        del sys.argv[at : at + 2]
    run_on_postgres(measure, __doc__.split("\n\n")[0], "esg-bench-actsort-")
