"""Benchmark: every page's server time with 4,300 data requests in one year (issue #14).

    .venv/bin/python bench/pages.py [REQUESTS=4300] [--repeat R] [--keep] [--reuse DIR]

Builds the demo (``esg demo``) with a collection of REQUESTS data requests for the year after
the report year (``esg demo --requests``), signs in as the demo's admin and asks every page
R times (default 5) through the ASGI app in this process (httpx, no network), keeping each
page's median: the time the server spends on it, template rendering included. The baseline,
in the same run, is the sign-in page: the same app, middleware and templates with no ledger
query, the floor for any page. Goal: every list page under 300 ms at 4,300 requests.

One line per page (``page=… ms=… bytes=… status=…``), then the last line::

    RESULT rows=… seconds=… rows_per_s=… baseline_ms=… ratio_vs_login=… max_page_ms=…
           max_page=… pages_over_300ms=… csv_ms=… csv_bytes=… errors=…

``rows`` is the number of requests, ``seconds`` the sum of the pages' medians and
``ratio_vs_login`` the slowest page's median over the sign-in page's.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from esgledger.demo import REPORT_YEAR, build
from esgledger.demo.scale_stage import scale_requests
from esgledger.demo.team_stage import read_credentials
from esgledger.ledger.db import Database
from esgledger.server import create_app

GOAL_MS = 300.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
YEAR = REPORT_YEAR + 1
PAGES = (
    "/",
    "/requests",
    f"/requests?year={YEAR}&page=20",
    "/requests?sort=-owner",
    "/requests?q=wastewater",
    "/requests/overdue",
    "/review",
    "/audit",
    "/audit?page=50",
    "/audit?q=request.submit&sort=actor",
    "/findings",
    "/kpis",
    "/emissions",
    "/requests/1",
)
CSV_PAGE = f"/requests?year={YEAR}&format=csv"


def seed(folder: Path, count: int) -> tuple[Database, str]:
    """The demo with ``count`` requests next year; returns the database and admin's password."""
    build(folder / "demo")
    db = Database(str(folder / "demo" / "esg.db"))
    scale_requests(db, year=YEAR, count=count)
    password = next(p for u, _, p in read_credentials(folder / "demo") if u == "admin")
    return db, password


def reopen(folder: Path) -> tuple[Database, str]:
    """A demo seeded by an earlier run (``--keep``), as :func:`seed` returns it."""
    password = next(p for u, _, p in read_credentials(folder / "demo") if u == "admin")
    return Database(str(folder / "demo" / "esg.db")), password


async def timed(client: httpx.AsyncClient, path: str, repeat: int) -> tuple[float, int, int]:
    """Median milliseconds, last size and status of ``repeat`` GETs (after one warm-up)."""
    await client.get(path)
    times, response = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    assert response is not None
    return statistics.median(times), len(response.content), response.status_code


async def measure(db: Database, password: str, repeat: int) -> dict[str, tuple[float, int, int]]:
    app = create_app(db.url)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        token = CSRF.search((await client.get("/login")).text).group(1)  # type: ignore[union-attr]
        form = {"username": "admin", "password": password, "csrf_token": token}
        signed = await client.post("/login", data=form)
        assert signed.status_code == 303, signed.text[-300:]
        results = {"/login": await timed(client, "/login", repeat)}
        for path in (*PAGES, CSV_PAGE):
            results[path] = await timed(client, path, repeat)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("requests", nargs="?", type=int, default=4300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--reuse", type=Path, help="a folder kept by --keep: measure it again")
    args = parser.parse_args()
    folder = args.reuse or Path(tempfile.mkdtemp(prefix="esg-bench-pages-"))
    try:
        started = time.perf_counter()
        db, password = reopen(folder) if args.reuse else seed(folder, args.requests)
        print(f"seeded {args.requests} requests in {time.perf_counter() - started:.1f} s")
        results = asyncio.run(measure(db, password, args.repeat))
    finally:
        if args.keep or args.reuse:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    for path, (ms, size, status) in results.items():
        print(f"page={path} ms={ms:.1f} bytes={size} status={status}")
    baseline = results.pop("/login")[0]
    csv_ms, csv_bytes, _ = results.pop(CSV_PAGE)
    slowest = max(results, key=lambda p: results[p][0])
    top = results[slowest][0]
    total = sum(ms for ms, _, _ in results.values()) / 1000
    over = sum(ms > GOAL_MS for ms, _, _ in results.values())
    failed = [p for p, (_, _, status) in results.items() if status != 200]
    print(
        f"RESULT rows={args.requests} seconds={total:.3f} rows_per_s={args.requests / total:.0f} "
        f"baseline_ms={baseline:.1f} ratio_vs_login={top / baseline:.1f} "
        f"max_page_ms={top:.1f} max_page={slowest.replace(' ', '')} pages_over_300ms={over} "
        f"csv_ms={csv_ms:.1f} csv_bytes={csv_bytes} errors={len(failed)}"
    )


if __name__ == "__main__":
    main()
