"""Benchmark: a register page's CSV export of N rows, read a page at a time (issue #17).

Imports N complaints (default 10,000, 50,000 and 100,000, one workspace each, on SQLite) with
every stage time, ties in the state and NULLs in the closing time, then exports the whole
list in three of the page's sorts — newest first (the page's default, an indexed column), by
state (few values, many ties, no index) and by ref — two ways, in the same run:

- **offset** (the baseline, what the export did before): page after page by number, each read
  skipping the rows before it with OFFSET and counting the list again;
- **keyset** (:func:`esgledger.web.listing.every_page`): counted once, each read continuing
  after the last row's sort key and id.

Both read through the page's own fetch (the staged register's ``page_rows``) and write the
rows as CSV; the benchmark checks that both give the same rows in the same order.

``--baseline unindexed`` compares instead the keyset export (every page in one snapshot, as
the page's export reads now) with the same export after the indexes of the sorted columns
(``0032_reg5``) are dropped: what each sort cost before they existed, on the same rows
(after one export not timed, to warm the caches). CPU seconds (``time.process_time``; SQLite
runs in this process) are the measure on a shared machine. One ``MEASURED`` line per size and
sort, then ``RESULT rows=… cpu_seconds=… offset_cpu_seconds=… cpu_ratio_vs_offset=…`` for the
largest size's default sort.

``--db postgres`` runs the same on PostgreSQL: a fresh database in ``--postgres`` (empty),
``$ESG_BENCH_POSTGRES_URL`` or a private cluster as ``bench/api.py`` starts. The server's
CPU is then most of the work: each figure is this process's CPU seconds plus those of the
server processes serving this database (their ``/proc`` times, so the server must run on
this machine), before → after each export.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' entity tree and complaint file header

from postgres_cli import DEFAULT_HELP, add_postgres_option, clusters_stopped  # noqa: E402
from tests.factories import ENTITIES, ENTITY_HEADER, write_csv  # noqa: E402
from tests.registers.complaint_files import HEADER  # noqa: E402

from esgledger.ledger.db import Database  # noqa: E402
from esgledger.ledger.entities import import_entities  # noqa: E402
from esgledger.ledger.listing import MAX_LIMIT, ListParams, Page  # noqa: E402
from esgledger.ledger.workspace import init_workspace  # noqa: E402
from esgledger.registers.complaints import STAGED, import_complaints  # noqa: E402
from esgledger.registers.staged import page_rows  # noqa: E402
from esgledger.web.listing import every_page, flat, snapshot_pages  # noqa: E402

SIZES = (10_000, 50_000, 100_000)
SORTS = ("-accepted", "state", "ref")
COLUMNS = ("ref", "entity", "accepted_at", "state", "clock_due", "breaches", "closed_at")
SITES = ("SZ1", "WH1", "VN1", "HQ")
HOURS = (0, 1, 2, 30, 90, 200)  # hours after acceptance each stage was entered


def complaints(path: Path, rows: int, seed: int = 17) -> Path:
    """``rows`` complaints of 2025, in every state of the loop, some closed (NULL otherwise)."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1)
    lines = []
    for n in range(rows):
        accepted = start + dt.timedelta(days=rng.randint(0, 350), hours=rng.randint(8, 18))
        stages = rng.randint(1, 6)  # accepted … closed
        times = [f"{accepted + dt.timedelta(hours=h):%Y-%m-%d %H:%M}" for h in HOURS[:stages]]
        severity = rng.choice(("high", "medium", "low"))
        empty = [""] * (6 - stages)
        lines.append([f"C{n:07d}", rng.choice(SITES), "phone", "AC", severity, *times, *empty])
    return write_csv(path, HEADER, lines)


def fetcher(db: Database) -> Callable[[ListParams], Page[dict[str, Any]]]:
    def fetch(params: ListParams) -> Page[dict[str, Any]]:
        with db.read() as session:
            return page_rows(session, STAGED, params, exported=True)

    return fetch


def reader(session: Any, params: ListParams) -> Page[dict[str, Any]]:
    return page_rows(session, STAGED, params, exported=True)


SORT_INDEXES = {"state": "ix_complaints_state", "ref": "", "accepted": ""}  # "": unique/kept


def unindexed(db: Database, sort: str, size: int) -> str:
    """The keyset export in ``sort`` without, then with, the sorted column's index (0032)."""
    params = ListParams(sort=sort.lstrip("-"), descending=sort.startswith("-"))
    index = SORT_INDEXES[sort.lstrip("-")]
    if index:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP INDEX {index}")
    before, old, _ = export(snapshot_pages(db, params, reader))
    if index:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE INDEX {index} ON complaints ({sort.lstrip('-')})")
    after, new, reads = export(snapshot_pages(db, params, reader))
    assert old == new and len(new) == size, (sort, len(old), len(new))
    return (
        f"MEASURED rows={size} sort={sort} unindexed_cpu_seconds={before:.3f} "
        f"indexed_cpu_seconds={after:.3f} ratio={after / before:.3f} reads={reads}"
    )


def by_offset(params: ListParams, fetch: Callable[[ListParams], Page[Any]]) -> Iterator[list[Any]]:
    """The export's reads before keyset paging: page ``n`` by OFFSET, each counted."""
    number = 1
    while True:
        page = fetch(ListParams(MAX_LIMIT, number, params.sort, params.descending))
        yield list(page.rows)
        if not page.has_next:
            return
        number += 1


_SERVER: list[Database] = []  # the PostgreSQL workspace whose server CPU counts, if any
_SERVER_SECONDS: list[float] = []  # the server's part of each export's CPU seconds


def _server_ticks() -> dict[int, int]:
    """CPU ticks (user + system) of each server process serving :data:`_SERVER`'s database."""
    if not _SERVER:
        return {}
    with _SERVER[0].engine.connect() as conn:
        pids = conn.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        ).scalars()
        ticks = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile, or not on this machine
                continue
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


def _cpu() -> tuple[float, dict[int, int]]:
    return time.process_time(), _server_ticks()


def _since(start: tuple[float, dict[int, int]]) -> float:
    """CPU seconds of this process and of the server's processes since ``start``."""
    own, ticks = start
    now = _server_ticks()
    server = sum(t - ticks.get(pid, 0) for pid, t in now.items()) / os.sysconf("SC_CLK_TCK")
    _SERVER_SECONDS.append(server)
    return time.process_time() - own + server


def export(pages: Iterator[list[Any]]) -> tuple[float, list[str], int]:
    """CPU seconds to read and write every page as CSV, the refs in order, and the reads."""
    cpu = _cpu()
    out, refs, reads = io.StringIO(), [], 0
    writer = csv.writer(out)
    for rows in pages:
        reads += 1
        for row in map(flat, rows):
            writer.writerow([row.get(c) for c in COLUMNS])
            refs.append(row["ref"])
    return _since(cpu), refs, reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--baseline", choices=("offset", "unindexed"), default="offset")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    add_postgres_option(parser, "with --db postgres: " + DEFAULT_HELP)
    args = parser.parse_args()
    with clusters_stopped() as clusters:
        run(args, clusters)


def _fresh_postgres(args: argparse.Namespace, clusters: list[Any]) -> str:
    """An empty database: ``--postgres`` (once), else a new one in the private cluster."""
    if args.postgres:
        given, args.postgres = args.postgres, ""  # a second size needs a second database
        return str(given)
    if args.postgres == "":
        raise SystemExit("one size at a time with --postgres (each needs an empty database)")
    from api import _postgres_url

    if not clusters:
        return _postgres_url(argparse.Namespace(postgres=None), clusters)
    import uuid

    import psycopg

    url = str(clusters[0].url)
    name = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}"


def run(args: argparse.Namespace, clusters: list[Any]) -> None:
    result = ""
    for size in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix="esg-bench-exports-"))
        target = (
            _fresh_postgres(args, clusters) if args.db == "postgres" else str(folder / "esg.db")
        )
        db, _ = init_workspace(target, actor="bench")
        _SERVER[:] = [db] if args.db == "postgres" else []
        import_entities(db, write_csv(folder / "e.csv", ENTITY_HEADER, ENTITIES), actor="bench")
        import_complaints(db, complaints(folder / "c.csv", size), actor="bench")
        fetch = fetcher(db)
        if args.baseline == "unindexed":
            export(snapshot_pages(db, ListParams(sort="ref"), reader))  # warm, not timed
            for sort in SORTS:
                print(unindexed(db, sort, size), flush=True)
            continue
        for sort in SORTS:
            params = ListParams(sort=sort.lstrip("-"), descending=sort.startswith("-"))
            before, old, old_reads = export(by_offset(params, fetch))
            after, new, new_reads = export(every_page(params, fetch))
            assert old == new and len(new) == size, (sort, len(old), len(new))
            print(
                f"MEASURED rows={size} sort={sort} offset_cpu_seconds={before:.3f} "
                f"keyset_cpu_seconds={after:.3f} ratio={after / before:.3f} "
                f"reads={old_reads}/{new_reads}"
                + (
                    f" server_cpu_seconds={_SERVER_SECONDS[-2]:.3f}/{_SERVER_SECONDS[-1]:.3f}"
                    if _SERVER
                    else ""
                ),
                flush=True,
            )
            if sort == SORTS[0]:
                result = (
                    f"RESULT rows={size} cpu_seconds={after:.3f} "
                    f"offset_cpu_seconds={before:.3f} cpu_ratio_vs_offset={after / before:.3f}"
                )
    print(result)


if __name__ == "__main__":
    main()
