"""Benchmark: importing a large activity file, against a bare sqlite3 ``executemany``.

Usage::

    .venv/bin/python bench/ingest.py [N] [--repeat R] [--preloaded M] [--postgres URL] [--keep]

Generates N activity rows (default 1,000,000) as CSV in a temporary folder: about 1,000 sites
under one group, monthly periods over several years, a mix of activity types with compatible
units, and a ``use`` attribute on some fuel rows. It imports the entities, then times
``import_activities`` end to end (read, validate, insert, commit) into a fresh SQLite
workspace, in a process of its own whose peak memory it prints. In the same run it times the
like-for-like baseline: the same rows, already parsed into Python tuples, inserted with
``sqlite3.executemany`` into a fresh SQLite file with the same schema and PRAGMAs, in one
transaction, with the secondary indexes set aside and built after (as the import does); and
the same insert with the indexes in place. ``--preloaded M`` also times the import into a
table already holding M rows; ``--postgres URL`` (an empty database) into PostgreSQL.

The last line printed is ``RESULT key=value …`` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import text

from esgledger.catalog import activity_types
from esgledger.ledger.activities import import_activities
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.workspace import init_workspace

ENTITIES = 1_000
FIRST_YEAR = 2019
USES = ("", "stationary", "mobile")


def combos() -> list[tuple[str, str, str]]:
    """Distinct (activity, unit, use) triples; each gives one row per entity and month.

    Every activity type appears with each of its reference units in turn; fuels also with
    ``use`` blank, stationary and mobile (three distinct natural keys).
    """
    out: list[tuple[str, str, str]] = []
    for kind in activity_types().values():
        uses = USES if kind.category == "fuel" else ("",)
        for i, use in enumerate(uses):
            out.append((kind.id, kind.units[i % len(kind.units)], use))
    # A stride through the list, so that the first few combinations already mix categories.
    stride = next(p for p in range(31, 10**6) if math.gcd(p, len(out)) == 1)
    return [out[k * stride % len(out)] for k in range(len(out))]


def month_bounds(months: int, first_year: int = FIRST_YEAR) -> tuple[list[str], list[str]]:
    starts, ends = [], []
    for m in range(months):
        year, month = first_year + m // 12, m % 12 + 1
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        starts.append(first.isoformat())
        ends.append((nxt - dt.timedelta(days=1)).isoformat())
    return starts, ends


def entity_ids() -> list[str]:
    return [f"S{i:04d}" for i in range(ENTITIES)]


def write_entities(folder: Path) -> Path:
    rows = [("GRP", "Benchmark Group", "", "CN", "CN-GD", "group")]
    rows += [(e, f"Site {e}", "GRP", "CN", "CN-GD", "site") for e in entity_ids()]
    frame = pl.DataFrame(
        rows, schema=["id", "name", "parent", "country", "subdivision", "kind"], orient="row"
    )
    path = folder / "entities.csv"
    frame.write_csv(path)
    return path


def months_for(n: int) -> int:
    return max(60, -(-n // (ENTITIES * len(combos()))))


def generate(n: int, first_year: int = FIRST_YEAR) -> pl.DataFrame:
    """N activity rows as strings (the CSV's cells), with distinct natural keys."""
    kinds = combos()
    months = months_for(n)
    starts, ends = month_bounds(months, first_year)
    i = pl.int_range(0, n, dtype=pl.Int64, eager=True).alias("i")
    frame = pl.DataFrame(i)
    ent = pl.lit(pl.Series("entity", entity_ids()))
    act = pl.lit(pl.Series("activity", [k[0] for k in kinds]))
    unit = pl.lit(pl.Series("unit", [k[1] for k in kinds]))
    use = pl.lit(pl.Series("use", [k[2] for k in kinds]))
    # Slot j = i // ENTITIES is one (month, combination) pair for every entity; the mapping
    # is a bijection that spreads both months and combinations even for small N.
    slot = pl.col("i") // ENTITIES
    month = slot % months
    combo = (slot // months + month) % len(kinds)
    # A deterministic spread of quantities in tenths; one row in 50 above 1,000 is written
    # with a thousands separator, as spreadsheets export it.
    tenths = (pl.col("i") * 7919) % 1_000_000 + 10
    whole, frac = tenths // 10, (tenths % 10).cast(pl.Utf8)
    grouped = pl.format("{},{}.{}", whole // 1000, (whole % 1000).cast(pl.Utf8).str.zfill(3), frac)
    return frame.select(
        ent.gather(pl.col("i") % ENTITIES).alias("entity"),
        pl.lit(pl.Series(starts)).gather(month).alias("start"),
        pl.lit(pl.Series(ends)).gather(month).alias("end"),
        act.gather(combo).alias("activity"),
        pl.when((pl.col("i") % 50 == 0) & (whole >= 1000))
        .then(grouped)
        .otherwise(pl.format("{}.{}", whole, frac))
        .alias("quantity"),
        unit.gather(combo).alias("unit"),
        use.gather(combo).alias("use"),
    )


def as_tuples(frame: pl.DataFrame, batch_id: int) -> list[tuple[object, ...]]:
    """The rows as the ledger stores them, parsed up front (not timed)."""
    parsed = frame.select(
        "entity",
        "start",
        "end",
        "activity",
        pl.col("quantity").str.replace_all(",", "", literal=True).cast(pl.Float64),
        "unit",
        pl.when(pl.col("use") == "")
        .then(pl.lit(""))
        .otherwise(pl.lit('{"use":"') + pl.col("use") + pl.lit('"}'))
        .alias("attributes"),
        pl.lit(batch_id).alias("batch_id"),
    )
    return list(parsed.iter_rows())


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds on the clock
    cpu: float  # seconds of this process's CPU, all threads (the machine may be shared)


def timed(func: Callable[[], object]) -> Timing:
    began, cpu = time.perf_counter(), time.process_time()
    func()
    return Timing(time.perf_counter() - began, time.process_time() - cpu)


def fastest(timings: list[Timing]) -> Timing:
    return min(timings, key=lambda t: t.wall)


def baseline(path: Path, rows: list[tuple[object, ...]], *, rebuild: bool = False) -> Timing:
    """A bare ``executemany`` of ``rows`` into a fresh, migrated SQLite file, one transaction.

    With ``rebuild`` the table's two secondary indexes are dropped first and created again
    after the insert, in the same transaction (what the import does for a large file).
    """
    db, _ = init_workspace(str(path), actor="bench")
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO entities (id, name, kind, parent_id, country, subdivision, created_at, "
        "version) VALUES (?, ?, ?, ?, 'CN', 'CN-GD', '2024-01-01', 1)",
        [("GRP", "Benchmark Group", "group", None)]
        + [(e, f"Site {e}", "site", "GRP") for e in entity_ids()],
    )
    conn.execute(
        "INSERT INTO import_batches (id, kind, source, sha256, rows, actor, created_at) "
        "VALUES (1, 'activities', 'bench', '', 0, 'bench', '2024-01-01 00:00:00')"
    )
    conn.execute("COMMIT")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'activity_records' AND sql IS NOT NULL"
    ).fetchall()
    sql = (
        'INSERT INTO activity_records ("entity_id", "start", "end", "activity", "quantity", '
        '"unit", "attributes", "batch_id") VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    )

    def insert() -> None:
        conn.execute("BEGIN IMMEDIATE")
        if rebuild:
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
        conn.executemany(sql, rows)
        if rebuild:
            for _, create in indexes:
                conn.execute(create)
        conn.execute("COMMIT")

    timing = timed(insert)
    count = conn.execute("SELECT count(*) FROM activity_records").fetchone()[0]
    conn.close()
    assert count == len(rows), (count, len(rows))
    return timing


def index_sql(db: Database) -> list[str]:
    """The definitions of ``activity_records``' indexes (SQLite), to check they survive."""
    if db.dialect != "sqlite":
        return []
    with db.read() as session:
        return sorted(
            session.execute(
                text(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'activity_records' AND sql IS NOT NULL"
                )
            ).scalars()
        )


def preload(path: Path, rows: int) -> None:
    """Store ``rows`` activity rows of earlier years (no key shared with the timed file)
    straight into the SQLite workspace ``path``, indexes set aside: a ledger already full."""
    if not rows:
        return
    years = -(-months_for(rows) // 12)
    frame = generate(rows, first_year=FIRST_YEAR - years)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO import_batches (kind, source, sha256, rows, actor, created_at) "
        "VALUES ('activities', 'preloaded', '', ?, 'bench', '2024-01-01 00:00:00')",
        (rows,),
    )
    batch = conn.execute("SELECT max(id) FROM import_batches").fetchone()[0]
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'activity_records' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    sql = (
        'INSERT INTO activity_records ("entity_id", "start", "end", "activity", "quantity", '
        '"unit", "attributes", "batch_id") VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    )
    for offset in range(0, rows, 500_000):
        conn.executemany(sql, as_tuples(frame.slice(offset, 500_000), batch))
    for _, create in indexes:
        conn.execute(create)
    conn.execute("COMMIT")
    conn.close()


def prepared(target: str, entities: Path, preloaded: int) -> str:
    """A migrated workspace with the entities imported and ``preloaded`` rows stored."""
    db, _ = init_workspace(target, actor="bench")
    try:
        import_entities(db, entities, actor="bench")
    finally:
        db.dispose()
    if preloaded:
        path = Database(target).sqlite_path
        assert path is not None, "--preloaded is for SQLite workspaces"
        preload(path, preloaded)
    return target


def child_import(target: str, activities: str) -> None:
    """In a fresh process (so its peak memory is the import's own): time
    ``import_activities`` and print ``TIMING wall cpu peak_kb rows``."""
    db = Database(target)
    try:
        indexes = index_sql(db)
        summary: dict[str, object] = {}
        timing = timed(lambda: summary.update(import_activities(db, activities, actor="bench")))
        assert index_sql(db) == indexes, "the import changed the table's indexes"
    finally:
        db.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"TIMING {timing.wall} {timing.cpu} {peak} {summary['rows']}")


def timed_import(
    target: str, entities: Path, activities: Path, preloaded: int = 0
) -> tuple[Timing, int, int]:
    """Prepare the workspace (untimed), then time ``import_activities`` end to end in a
    process of its own; the timing, its peak memory (MB) and the rows it stored."""
    prepared(target, entities, preloaded)
    out = subprocess.run(
        [sys.executable, __file__, "--child-import", target, str(activities)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("TIMING "))
    wall, cpu, peak_kb, rows = line.split()[1:]
    return Timing(float(wall), float(cpu)), int(peak_kb) // 1024, int(rows)


def rate(n: int, timing: Timing) -> str:
    return f"{timing.wall:.2f} s ({timing.cpu:.2f} s CPU), {n / timing.wall:,.0f} rows/s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000, help="rows to import")
    parser.add_argument("--postgres", metavar="URL", help="also import into this empty database")
    parser.add_argument(
        "--preloaded",
        type=int,
        default=0,
        metavar="N",
        help="also time the import into a SQLite table already holding N rows",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timing; fastest kept")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--child-import", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_import:
        child_import(*args.child_import)
        return 0
    n: int = args.rows

    folder = Path(tempfile.mkdtemp(prefix="esg-bench-ingest-"))
    began = time.perf_counter()
    frame = generate(n)
    entities = write_entities(folder)
    activities = folder / "activities.csv"
    frame.write_csv(activities)
    size_mb = activities.stat().st_size / 1e6
    print(
        f"generated {n:,} rows ({size_mb:.0f} MB CSV, {frame['activity'].n_unique()} activity "
        f"types, {frame['start'].n_unique()} months) in {time.perf_counter() - began:.1f} s: "
        f"{folder}"
    )

    def imports(name: str, preloaded: int = 0) -> tuple[Timing, int]:
        runs = []
        for run in range(args.repeat):
            target = str(folder / f"{name}-{run}.db")
            timing, peak, stored = timed_import(target, entities, activities, preloaded)
            assert stored == n, (stored, n)
            runs.append((timing, peak))
        return min(runs, key=lambda r: r[0].wall)

    imported, peak = imports("esg")
    print(f"import_activities, SQLite, empty table: {rate(n, imported)}, peak {peak} MB")

    rows = as_tuples(frame, 1)
    del frame
    base = fastest([baseline(folder / f"bare-{r}.db", rows) for r in range(args.repeat)])
    print(f"bare executemany, indexes in place:     {rate(n, base)}")
    rebuilt = fastest(
        [baseline(folder / f"rebuild-{r}.db", rows, rebuild=True) for r in range(args.repeat)]
    )
    print(f"bare executemany, indexes set aside:    {rate(n, rebuilt)}")
    del rows
    ratio = imported.wall / rebuilt.wall
    print(
        f"ratio import / bare executemany with indexes set aside (as the import does): "
        f"{ratio:.2f} (CPU {imported.cpu / rebuilt.cpu:.2f})"
    )
    print("targets: 1,000,000 rows in under 10 s, at most 2x the like-for-like executemany")

    extra = ""
    if args.preloaded:
        full, full_peak = imports("preloaded", args.preloaded)
        print(
            f"import_activities, SQLite, {args.preloaded:,} rows stored: {rate(n, full)}, "
            f"peak {full_peak} MB; {full.wall / imported.wall:.2f}x the empty table "
            "(target: under 2x)"
        )
        extra += (
            f" preloaded={args.preloaded} preloaded_seconds={full.wall:.3f} "
            f"ratio_preloaded_vs_empty={full.wall / imported.wall:.2f} "
            f"preloaded_peak_rss_mb={full_peak}"
        )
    if args.postgres:
        pg, pg_peak, stored = timed_import(args.postgres, entities, activities)
        assert stored == n, (stored, n)
        print(f"import_activities, PostgreSQL:          {rate(n, pg)}, peak {pg_peak} MB")
        extra += f" pg_seconds={pg.wall:.3f} pg_rows_per_s={n / pg.wall:.0f}"
        extra += f" pg_peak_rss_mb={pg_peak}"

    if not args.keep:
        shutil.rmtree(folder)
    print(
        f"RESULT rows={n} seconds={imported.wall:.3f} rows_per_s={n / imported.wall:.0f} "
        f"baseline_seconds={rebuilt.wall:.3f} ratio_vs_executemany_set_aside={ratio:.2f} "
        f"cpu_seconds={imported.cpu:.3f} baseline_cpu_seconds={rebuilt.cpu:.3f} "
        f"peak_rss_mb={peak} in_place_baseline_seconds={base.wall:.3f}{extra}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
