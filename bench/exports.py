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
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' entity tree and complaint file header

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


def export(pages: Iterator[list[Any]]) -> tuple[float, list[str], int]:
    """CPU seconds to read and write every page as CSV, the refs in order, and the reads."""
    cpu = time.process_time()
    out, refs, reads = io.StringIO(), [], 0
    writer = csv.writer(out)
    for rows in pages:
        reads += 1
        for row in map(flat, rows):
            writer.writerow([row.get(c) for c in COLUMNS])
            refs.append(row["ref"])
    return time.process_time() - cpu, refs, reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--baseline", choices=("offset", "unindexed"), default="offset")
    args = parser.parse_args()
    result = ""
    for size in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix="esg-bench-exports-"))
        db, _ = init_workspace(str(folder / "esg.db"), actor="bench")
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
                f"reads={old_reads}/{new_reads}",
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
