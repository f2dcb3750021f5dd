"""Benchmark: the HTTP API under concurrent clients — KPI reads and data-entry writes.

Usage::

    .venv/bin/python bench/api.py [--clients 50] [--seconds 30] [--db sqlite|postgres|both]
                                  [--write-share 0.2] [--postgres URL]

For each database it sets up a fresh workspace (a SQLite file in a temporary folder; for
PostgreSQL an empty database at ``--postgres URL`` or ``$ESG_BENCH_POSTGRES_URL``, else a
private cluster started like the test suite's, see ``tests/pg.py``): a group of sites, three
years of KPI values, and one data request per metric × site owned by an ESG manager. It then
starts ``esg serve`` as a separate process on loopback and drives it from this process with
``--clients`` concurrent asyncio clients (httpx):

1. baseline, about a third of ``--seconds``: every client GETs ``/api/v1/metrics`` (token
   check plus an in-memory catalog: the cost of the app, auth and HTTP alone);
2. the mix, ``--seconds``: each client GETs ``/api/v1/kpis`` (three years rolled up over
   the entity tree) or, with probability ``--write-share``, enters a new value on one of its
   own requests, sending the version it last saw (so no write is refused as stale).

It prints throughput and p50/p99 latency per operation, the read latency as a ratio of the
baseline's, and checks that nothing acknowledged was lost: every 200 answer to a write must
be one stored change (a ``request.enter`` audit event) and each request's stored value must
be the last one acknowledged. The last line per database is
``RESULT db=… clients=… seconds=… read_rps=… read_p50_ms=… read_p99_ms=… write_rps=…
write_p50_ms=… write_p99_ms=… acked=… stored=… lost=… baseline_rps=… baseline_p50_ms=…
ratio_read_p50_vs_baseline=… errors=…`` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.pg (the private PostgreSQL cluster)

from esgledger.auth.tokens import issue_token  # noqa: E402
from esgledger.auth.users import add_user, principal  # noqa: E402
from esgledger.ledger.db import Database  # noqa: E402
from esgledger.ledger.entities import import_entities  # noqa: E402
from esgledger.ledger.kpis import import_kpis  # noqa: E402
from esgledger.ledger.models import AuditEvent  # noqa: E402
from esgledger.ledger.workspace import init_workspace  # noqa: E402
from esgledger.workflow.requests import current_value, get_request, issue_requests  # noqa: E402

YEAR = 2025
SITES = 10
METRICS = (
    "packaging.plastics",
    "packaging.cartons",
    "packaging.wood",
    "packaging.metal",
    "air.nox",
    "air.sox",
    "air.pm",
    "air.vocs",
    "wastewater.industrial",
    "wastewater.domestic",
    "wastewater.cod",
    "wastewater.bod",
    "wastewater.nh3_n",
    "wastewater.tn",
    "wastewater.tp",
)  # all reported in t, no breakdowns


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def seed(target: str, folder: Path) -> tuple[str, list[int]]:
    """Migrate and fill the workspace; returns the manager's token and the request ids."""
    db, _ = init_workspace(target, actor="bench")
    try:
        sites = [f"S{i:02d}" for i in range(1, SITES + 1)]
        entity_rows: list[list[object]] = [["GRP", "Bench group", "", "CN", "CN-GD", "group"]]
        entity_rows += [[s, f"Site {s}", "GRP", "CN", "CN-GD", "site"] for s in sites]
        entities = _csv(
            folder / "entities.csv",
            ["id", "name", "parent", "country", "subdivision", "kind"],
            entity_rows,
        )
        import_entities(db, entities, actor="bench")
        kpi_rows: list[list[object]] = [
            [s, y, m, f"{10 + i + (y - 2022):.1f}", "t"]
            for y in (YEAR - 2, YEAR - 1)
            for s in sites
            for i, m in enumerate(METRICS)
        ]
        import_kpis(
            db,
            _csv(folder / "kpis.csv", ["entity", "year", "metric", "value", "unit"], kpi_rows),
            actor="bench",
        )
        with db.write() as session:
            add_user(session, username="mia", role="esg_manager", actor="bench")
            token, _ = issue_token(session, "mia", actor="bench")
            ids = issue_requests(
                session,
                principal(session, "mia"),
                year=YEAR,
                metrics=list(METRICS),
                owner="mia",
                due=dt.date(YEAR + 1, 3, 31),
                entities=sites,
            )["ids"]
        return token, ids
    finally:
        db.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``esg serve`` in its own process on a free loopback port."""

    def __init__(self, target: str, log: Path, workers: int = 1):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("wb")
        env = {**os.environ, "ESG_ACTOR": "bench"}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "esgledger.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--db",
                target,
                "--workers",
                str(workers),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"esg serve exited with {self.proc.returncode}; see {log}")
            try:
                if httpx.get(self.base + "/api/v1/openapi.json", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"esg serve did not answer within 60 s; see {log}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    acked: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def drive(
    base: str,
    token: str,
    clients: int,
    seconds: float,
    *,
    write_share: float,
    own: list[list[int]] | None,
    stats: Stats,
    seed_: int,
) -> float:
    """Run ``clients`` loops for ``seconds``; returns the measured wall time."""
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    versions: dict[int, int] = {}
    attempts: dict[int, int] = defaultdict(int)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=120
    ) as client:
        if own is not None:
            for rid in {r for mine in own for r in mine}:
                versions[rid] = (await client.get(f"/api/v1/requests/{rid}")).json()["version"]
        stop = time.perf_counter() + seconds

        async def one(n: int) -> None:
            rng = random.Random(seed_ * 1000 + n)
            mine = own[n] if own is not None else []
            turn = 0
            while time.perf_counter() < stop:
                if own is None:
                    op, call = "baseline", client.get("/api/v1/metrics")
                elif mine and rng.random() < write_share:
                    rid = mine[turn % len(mine)]
                    turn += 1
                    attempts[rid] += 1  # a new figure each time: every write is a change
                    value = float(attempts[rid])
                    body = {"version": versions[rid], "value": value, "unit": "t"}
                    op, call = "write", client.post(f"/api/v1/requests/{rid}/value", json=body)
                else:
                    op, call = "read", client.get("/api/v1/kpis", params={"year": YEAR, "years": 3})
                t0 = time.perf_counter()
                try:
                    response = await call
                except httpx.HTTPError:
                    stats.errors[op] += 1
                    continue
                took = time.perf_counter() - t0
                if response.status_code != 200:
                    stats.errors[op] += 1
                    if op == "write" and response.status_code == 409:
                        versions[rid] = (await client.get(f"/api/v1/requests/{rid}")).json()[
                            "version"
                        ]
                    continue
                stats.latencies[op].append(took)
                if op == "write":
                    stats.acked[rid].append(value)
                    versions[rid] = response.json()["version"]

        start = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(clients)))
        return time.perf_counter() - start


def verify(target: str, acked: dict[int, list[float]], ids: list[int]) -> tuple[int, int]:
    """(stored changes, lost): audit events of entered values, and acknowledged writes whose
    change is not in the ledger (a count mismatch, or a final value that is not the last)."""
    db = Database(target)
    try:
        with db.read() as session:
            subjects = [f"request:{r}" for r in ids]
            events = session.scalars(
                select(AuditEvent.subject).where(
                    AuditEvent.action == "request.enter", AuditEvent.subject.in_(subjects)
                )
            ).all()
            per_request: dict[int, int] = defaultdict(int)
            for subject in events:
                per_request[int(subject.split(":")[1])] += 1
            lost = 0
            for rid in ids:
                values = acked.get(rid, [])
                lost += max(0, len(values) - per_request.get(rid, 0))
                if values:
                    value = current_value(session, get_request(session, rid))
                    if value is None or value.value != values[-1]:
                        lost += 1
        return len(events), lost
    finally:
        db.dispose()


def run_one(
    kind: str,
    target: str,
    folder: Path,
    clients: int,
    seconds: float,
    write_share: float,
    workers: int = 1,
) -> str:
    print(f"[{kind}] seeding {target if kind == 'postgres' else folder / 'esg.db'} …", flush=True)
    token, ids = seed(target, folder)
    own = [ids[n::clients] for n in range(clients)]  # each request belongs to one client
    server = Server(target, folder / f"serve-{kind}.log", workers)
    try:
        base_stats, mix_stats = Stats(), Stats()
        base_s = asyncio.run(
            drive(
                server.base,
                token,
                clients,
                max(2.0, seconds / 3),
                write_share=0,
                own=None,
                stats=base_stats,
                seed_=1,
            )
        )
        mix_s = asyncio.run(
            drive(
                server.base,
                token,
                clients,
                seconds,
                write_share=write_share,
                own=own,
                stats=mix_stats,
                seed_=2,
            )
        )
    finally:
        server.stop()
    acked = sum(len(v) for v in mix_stats.acked.values())
    stored, lost = verify(target, mix_stats.acked, ids)
    base_lat = base_stats.latencies["baseline"]
    reads, writes = mix_stats.latencies["read"], mix_stats.latencies["write"]
    ms = 1000.0
    print(f"[{kind}] {clients} clients, baseline {base_s:.1f} s, mix {mix_s:.1f} s")
    for name, lat, wall in (
        ("baseline GET /metrics", base_lat, base_s),
        ("read GET /kpis", reads, mix_s),
        ("write POST /requests/{id}/value", writes, mix_s),
    ):
        print(
            f"[{kind}]   {name:<34} {len(lat) / wall:8.1f} req/s  p50 {pct(lat, 50) * ms:8.1f}"
            f" ms  p99 {pct(lat, 99) * ms:8.1f} ms  n={len(lat)}"
        )
    errors = dict(mix_stats.errors) | {f"baseline_{k}": v for k, v in base_stats.errors.items()}
    print(
        f"[{kind}]   writes acknowledged {acked}, stored {stored}, lost {lost}; "
        f"errors {json.dumps(errors) if errors else 'none'}"
    )
    ratio = pct(reads, 50) / pct(base_lat, 50) if base_lat and reads else float("nan")
    return (
        f"RESULT db={kind} clients={clients} workers={workers} seconds={seconds:g} "
        f"read_rps={len(reads) / mix_s:.1f} read_p50_ms={pct(reads, 50) * ms:.1f} "
        f"read_p99_ms={pct(reads, 99) * ms:.1f} write_rps={len(writes) / mix_s:.1f} "
        f"write_p50_ms={pct(writes, 50) * ms:.1f} write_p99_ms={pct(writes, 99) * ms:.1f} "
        f"acked={acked} stored={stored} lost={lost} "
        f"baseline_rps={len(base_lat) / base_s:.1f} baseline_p50_ms={pct(base_lat, 50) * ms:.1f} "
        f"ratio_read_p50_vs_baseline={ratio:.2f} errors={sum(errors.values())}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--write-share", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=1, help="esg serve --workers")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ESG_BENCH_POSTGRES_URL"),
        help="an empty PostgreSQL database (default: a private cluster)",
    )
    args = parser.parse_args()
    if args.clients < 1 or args.seconds <= 0 or not 0 <= args.write_share <= 1:
        raise SystemExit("--clients ≥ 1, --seconds > 0 and 0 ≤ --write-share ≤ 1, please")
    folder = Path(tempfile.mkdtemp(prefix="esg-bench-api-"))
    results = []
    cluster = None
    try:
        if args.db in ("sqlite", "both"):
            sqlite_folder = folder / "sqlite"
            sqlite_folder.mkdir()
            results.append(
                run_one(
                    "sqlite",
                    str(sqlite_folder / "esg.db"),
                    sqlite_folder,
                    args.clients,
                    args.seconds,
                    args.write_share,
                    args.workers,
                )
            )
        if args.db in ("postgres", "both"):
            url = args.postgres
            if not url:
                from tests.pg import LocalPostgres

                cluster = LocalPostgres()
                import psycopg

                name = "bench_" + uuid.uuid4().hex[:8]
                plain = cluster.url.replace("postgresql+psycopg://", "postgresql://")
                with psycopg.connect(plain, autocommit=True) as conn:
                    conn.execute(f"CREATE DATABASE {name}")
                url = cluster.url.rsplit("/", 1)[0] + f"/{name}"
            pg_folder = folder / "postgres"
            pg_folder.mkdir()
            results.append(
                run_one(
                    "postgres",
                    url,
                    pg_folder,
                    args.clients,
                    args.seconds,
                    args.write_share,
                    args.workers,
                )
            )
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    for line in results:
        print(line)


if __name__ == "__main__":
    main()
