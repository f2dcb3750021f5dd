"""A later activity page by number, ledger and store merged, on a SQLite workspace (#14).

    .venv/bin/python bench/activity_number_sort.py WORKSPACE_DB [--before REV] [--at 0.9]

Reads one page of 100 sorted by entity, descending, at the fraction ``--at`` of the list, in
this process, and prints its CPU seconds (``time.process_time``) and peak RSS. ``--before
REV`` runs ``ledger/activity_pages.py`` as it was at git revision REV instead (the rest of
the code as checked out), for a before → after in one copy: run each in a fresh process,
alternated. The workspace is not written."""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

from esgledger.ledger import activity_pages
from esgledger.ledger.db import Database
from esgledger.ledger.listing import ListParams

LIMIT = 100


def _module_at(rev: str) -> types.ModuleType:
    """``ledger/activity_pages.py`` as at ``rev``, loaded beside the current one."""
    source = subprocess.run(
        ["git", "show", f"{rev}:src/esgledger/ledger/activity_pages.py"],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    ).stdout
    module = types.ModuleType("activity_pages_before")
    exec(compile(source, f"{rev}:activity_pages.py", "exec"), module.__dict__)
    return module


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--before", default=None)
    parser.add_argument("--at", type=float, default=0.9)
    parser.add_argument("--sort", default="entity")
    args = parser.parse_args(argv)
    module: Any = _module_at(args.before) if args.before else activity_pages
    db = Database(str(args.workspace))
    with db.read() as session:
        first = module.activity_page(session, ListParams(LIMIT, 1, args.sort, True), module.SORT)
    page = int(first.total * args.at) // LIMIT + 1
    started = time.process_time()
    with db.read() as session:
        found = module.activity_page(session, ListParams(LIMIT, page, args.sort, True), module.SORT)
    cpu = time.process_time() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ids = [r["id"] for r in found.rows]
    print(
        f"code={args.before or 'current'} sort={args.sort} page={page} of total={found.total} "
        f"rows={len(ids)} first_id={ids[0] if ids else None} last_id={ids[-1] if ids else None} "
        f"cpu_s={cpu:.3f} max_rss_mb={rss:.0f}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
