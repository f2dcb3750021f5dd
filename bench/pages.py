"""Benchmark: every page's server time with 4,300 data requests in one year (issue #14).

    .venv/bin/python bench/pages.py [REQUESTS=4300] [--repeat R] [--keep] [--reuse DIR]

Builds the demo (``esg demo``) with a collection of REQUESTS data requests for the year after
the report year (``esg demo --requests``), signs in as the demo's admin and asks every page
R times (default 5) through the ASGI app in this process (httpx, no network), keeping each
page's median: the time the server spends on it, template rendering included, with the
caches kept per ledger state warm. Then each page again R times, each time just after a
write (a data owner enters a new value on a draft request): the first view after a change,
every cache kept per ledger state cold. Three kinds of write, each timed apart: a value
entered in the collection year (``cold``), an electricity value entered in the checked
report year, which moves KPI figures and the inputs of the rules reading them (``checked``),
and an import of a one-row KPI file in the checked year (``import``). The baseline,
in the same run, is the sign-in page: the same app, middleware and templates with no ledger
query, the floor for any page. Goal: every list page under 300 ms at 4,300 requests.

Each GET is timed twice: wall-clock and the process's CPU time (the server's work; a
loaded machine stretches the first, not the second). One line per page (``page=… ms=…
cpu_ms=… cold_ms=… cold_cpu_ms=… checked_ms=… checked_cpu_ms=… import_ms=… import_cpu_ms=…
bytes=… status=…``), then the last line::

    RESULT rows=… seconds=… rows_per_s=… baseline_ms=… ratio_vs_login=… max_page_ms=…
           max_page=… pages_over_300ms=… max_cold_ms=… max_cold_page=… cold_over_300ms=…
           max_cpu_ms=… max_cpu_page=… max_cold_cpu_ms=… max_cold_cpu_page=…
           max_checked_cpu_ms=… max_checked_cpu_page=… max_import_cpu_ms=…
           max_import_cpu_page=… cpu_over_300ms=… csv_ms=… csv_cpu_ms=… csv_bytes=… errors=…

``rows`` is the number of requests, ``seconds`` the sum of the pages' medians and
``ratio_vs_login`` the slowest page's median over the sign-in page's; ``cpu_over_300ms``
counts a page once if any of its medians (warm or after any kind of write) is over.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from esgledger.auth.users import principal
from esgledger.catalog import metrics
from esgledger.demo import REPORT_YEAR, build
from esgledger.demo.scale_stage import scale_requests
from esgledger.demo.team_stage import read_credentials
from esgledger.ledger.db import Database
from esgledger.ledger.entities import list_entities
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.workflow_models import DataRequest, User
from esgledger.server import create_app
from esgledger.workflow.requests import get_request, issue_requests
from esgledger.workflow.values import enter_value

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
ELECTRICITY = "energy.electricity.purchased"  # read by the KPI table and 11 rules
MANAGER = "manager"  # the demo's manager, who issues the checked year's request


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


async def clocked(client: httpx.AsyncClient, path: str) -> tuple[float, float, httpx.Response]:
    """Wall and CPU milliseconds of one GET (the app runs in this process, so the process's
    CPU time is the server's, which a loaded machine does not inflate)."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = await client.get(path)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, response


async def timed(client: httpx.AsyncClient, path: str, repeat: int) -> tuple[float, float, int, int]:
    """Median wall and CPU milliseconds, last size and status of ``repeat`` GETs (after one
    warm-up)."""
    await client.get(path)
    samples = [await clocked(client, path) for _ in range(repeat)]
    response = samples[-1][2]
    return (
        statistics.median(s[0] for s in samples),
        statistics.median(s[1] for s in samples),
        len(response.content),
        response.status_code,
    )


class Writer:
    """A data owner entering a new value on one draft request of ``year`` (of ``metric``
    if named, issued for the first entity without one when none is a draft), as the write
    before each cold view (every cache kept per ledger state misses after it)."""

    def __init__(self, db: Database, year: int = YEAR, metric: str | None = None):
        self.db, self.turn = db, 0
        found = self._draft(year, metric)
        if found is None:
            assert metric is not None, f"no draft request in {year}"
            self._issue(year, metric)
            found = self._draft(year, metric)
            assert found is not None
        self.request_id, self.owner = found

    def _draft(self, year: int, metric: str | None) -> tuple[int, str] | None:
        query = (
            select(DataRequest.id, User.username)
            .join(User, User.id == DataRequest.owner_id)
            .where(DataRequest.year == year, DataRequest.state == "draft")
            .order_by(DataRequest.id)
            .limit(1)
        )
        if metric is not None:
            query = query.where(DataRequest.metric_id == metric)
        with self.db.read() as session:
            row = session.execute(query).first()
        return None if row is None else (row[0], row[1])

    def _issue(self, year: int, metric: str) -> None:
        with self.db.write() as session:
            taken = set(
                session.scalars(
                    select(DataRequest.entity_id).where(
                        DataRequest.year == year, DataRequest.metric_id == metric
                    )
                )
            )
            entity = next(e.id for e in list_entities(session) if e.id not in taken)
            issue_requests(
                session, principal(session, MANAGER), year=year, metrics=[metric],
                owner=MANAGER, due=dt.date(year + 1, 6, 30), entities=[entity],
                issued_on=dt.date(year + 1, 1, 2),
            )  # fmt: skip

    def write(self) -> None:
        self.turn += 1
        with self.db.write() as session:
            req = get_request(session, self.request_id)
            unit = metrics()[req.metric_id].unit
            who = principal(session, self.owner)
            enter_value(session, who, req.id, version=req.version, value=self.turn, unit=unit)


class Importer:
    """An import of a one-row KPI file in ``year`` (a value restated each turn), as a
    data team member imports a correction: a write the caches cannot bound by request."""

    def __init__(self, db: Database, folder: Path, year: int = REPORT_YEAR):
        self.db, self.path, self.year, self.turn = db, folder / "one-row.csv", year, 0
        with db.read() as session:
            self.entity = list_entities(session)[0].id  # the group

    def write(self) -> None:
        self.turn += 1
        with self.path.open("w", newline="") as out:
            rows = csv.writer(out)
            rows.writerow(["entity", "year", "metric", "value", "unit", "restatement_reason"])
            rows.writerow(
                [self.entity, self.year, "air.nox", 10 + self.turn, "t", f"bench {self.turn}"]
            )
        import_kpis(self.db, self.path, actor="admin")


async def cold(
    client: httpx.AsyncClient, path: str, repeat: int, writer: Writer | Importer
) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``repeat`` GETs, each the first after a write."""
    samples = []
    for _ in range(repeat):
        await asyncio.to_thread(writer.write)
        samples.append(await clocked(client, path))
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


Timings = dict[str, tuple[float, float, int, int]]
Cold = dict[str, tuple[float, float]]
WRITES = ("cold", "checked", "import")  # the kinds of write before a view, as named in the lines


async def measure(
    db: Database, password: str, repeat: int, folder: Path
) -> tuple[Timings, dict[str, Cold]]:
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
        writers: dict[str, Writer | Importer] = {
            "cold": Writer(db),
            "checked": await asyncio.to_thread(Writer, db, REPORT_YEAR, ELECTRICITY),
            "import": Importer(db, folder),
        }
        after = {
            kind: {path: await cold(client, path, repeat, writer) for path in PAGES}
            for kind, writer in writers.items()
        }
    return results, after


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
        results, after = asyncio.run(measure(db, password, args.repeat, folder))
    finally:
        if args.keep or args.reuse:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    for path, (ms, cpu, size, status) in results.items():
        written = "".join(
            f" {kind}_ms={after[kind][path][0]:.1f} {kind}_cpu_ms={after[kind][path][1]:.1f}"
            for kind in WRITES
            if path in after[kind]
        )
        print(f"page={path} ms={ms:.1f} cpu_ms={cpu:.1f}{written} bytes={size} status={status}")
    after_write = after["cold"]
    baseline = results.pop("/login")[0]
    csv_ms, csv_cpu, csv_bytes, _ = results.pop(CSV_PAGE)
    slowest = max(results, key=lambda p: results[p][0])
    top = results[slowest][0]
    busiest = max(results, key=lambda p: results[p][1])
    total = sum(r[0] for r in results.values()) / 1000
    over = sum(r[0] > GOAL_MS for r in results.values())
    failed = [p for p, r in results.items() if r[3] != 200]
    coldest = max(after_write, key=lambda p: after_write[p][0])
    cold_over = sum(ms > GOAL_MS for ms, _ in after_write.values())
    cold_busiest = max(after_write, key=lambda p: after_write[p][1])
    cpu_over = sum(
        max(results[p][1], *(after[k][p][1] for k in WRITES)) > GOAL_MS
        for p in results
        if p in after_write
    )
    busiest_after = {
        k: max(after[k], key=lambda p, k=k: after[k][p][1]) for k in ("checked", "import")
    }
    written = " ".join(
        f"max_{k}_cpu_ms={after[k][p][1]:.1f} max_{k}_cpu_page={p}"
        for k, p in busiest_after.items()
    )
    print(
        f"RESULT rows={args.requests} seconds={total:.3f} rows_per_s={args.requests / total:.0f} "
        f"baseline_ms={baseline:.1f} ratio_vs_login={top / baseline:.1f} "
        f"max_page_ms={top:.1f} max_page={slowest.replace(' ', '')} pages_over_300ms={over} "
        f"max_cold_ms={after_write[coldest][0]:.1f} max_cold_page={coldest} "
        f"cold_over_300ms={cold_over} max_cpu_ms={results[busiest][1]:.1f} "
        f"max_cpu_page={busiest} max_cold_cpu_ms={after_write[cold_busiest][1]:.1f} "
        f"max_cold_cpu_page={cold_busiest} {written} cpu_over_300ms={cpu_over} "
        f"csv_ms={csv_ms:.1f} csv_cpu_ms={csv_cpu:.1f} csv_bytes={csv_bytes} errors={len(failed)}"
    )


if __name__ == "__main__":
    main()
