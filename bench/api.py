"""Benchmark: the HTTP API under load from `wrk` — KPI reads against the floor, and a write mix.

Usage::

    .venv/bin/python bench/api.py [--connections 50] [--seconds 30] [--db sqlite|postgres|both]
                                  [--write-share 0.2] [--workers 1] [--postgres URL]

For each database it sets up a fresh workspace (a SQLite file in a temporary folder; for
PostgreSQL an empty database at ``--postgres URL`` or ``$ESG_BENCH_POSTGRES_URL``, else a
private cluster started like the test suite's, see ``tests/pg.py``): a group of sites, three
years of KPI values, and one data request per metric × site owned by an ESG manager. It then
starts ``esg serve`` as a separate process on loopback and drives it with ``wrk`` (Debian
package ``wrk``; ``scripts/setup.sh test`` installs it) and ``bench/wrk_mix.lua``, one wrk
thread per connection so each answer is timed per operation:

1. floor, a third of ``--seconds``: ``GET /api/v1/me`` — a token check and a tiny body, the
   cost of the app, auth and HTTP alone;
2. reads, a third of ``--seconds``: ``GET /api/v1/kpis`` (every KPI, three years, rolled up
   over the entity tree) read-only;
3. the mix, ``--seconds``: each request is a KPI read or, with probability
   ``--write-share``, a data-entry write (``POST /api/v1/requests/{id}/value`` with the
   version last seen);
4. the same mix at 200 connections, a third of ``--seconds``: no 5xx, no timeout expected.

It prints requests per second and p50/p99 latency per operation, the CPU share of the client
(wrk) and of the server, and checks that nothing acknowledged was lost: every 200 answer to a
write must be one stored change (a ``request.enter`` audit event) and each request's stored
value must be the last one acknowledged. The last line per database is a ``RESULT`` line
(keys in bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
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
LUA = Path(__file__).with_name("wrk_mix.lua")
LOAD_CONNECTIONS = 200
VALUE_STRIDE = 1_000_000_000  # each wrk run writes values of its own range
STARTUP_SECONDS = 300  # a busy shared machine starts the server slowly
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
                issued_on=dt.date(YEAR, 1, 2),  # a past year's collection
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
        self._wait(log)

    def _wait(self, log: Path) -> None:
        """Until the server answers; a server that exits or stays silent stops the run."""
        deadline = time.monotonic() + STARTUP_SECONDS
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
        raise SystemExit(f"esg serve did not answer within {STARTUP_SECONDS} s; see {log}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def _process_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by ``root`` and its live descendants (the server's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    family, total = {root}, 0.0
    for pid in sorted(parents):  # children have larger ids than their parents, mostly
        if pid in family or parents[pid] in family:
            family.add(pid)
            total += used.get(pid, 0.0)
    return total


_runs = itertools.count(1)


@dataclass
class Phase:
    """One wrk run: its summary (``ESG_WRK`` line), wall time and CPU seconds."""

    name: str
    connections: int
    result: dict
    wall: float
    client_cpu: float
    server_cpu: float

    def rps(self, op: str) -> float:
        return self.result[op]["n"] / self.result["seconds"] if self.result["seconds"] else 0.0

    def p(self, op: str, which: str) -> float:
        return float(self.result[op][f"{which}_ms"])

    def server_cpu_ms(self) -> float:
        """The server's CPU milliseconds per answered request: what counts on a loaded
        machine, where rates and latencies depend on the other work."""
        answered = sum(self.result[op]["n"] for op in ("read", "write") if op in self.result)
        return self.server_cpu * 1000 / max(answered, 1)

    @property
    def errors(self) -> int:
        r = self.result
        failed = sum(n for key, n in r["codes"].items() if key.split()[1][0] not in "23")
        return r["connect_errors"] + r["read_errors"] + r["write_errors"] + failed

    @property
    def server_errors(self) -> int:
        return sum(n for key, n in self.result["codes"].items() if key.split()[1][0] == "5")


def drive(
    server: Server,
    token: str,
    name: str,
    *,
    connections: int,
    seconds: float,
    path: str,
    write_share: float = 0.0,
    versions: dict[int, int] | None = None,
) -> Phase:
    """Run wrk with one thread per connection for ``seconds``; CPU measured for both sides."""
    env = {
        **os.environ,
        "ESG_TOKEN": token,
        "ESG_READ_PATH": path,
        "ESG_WRITE_SHARE": str(write_share),
        "ESG_THREADS": str(connections),
        "ESG_REQUESTS": ",".join(f"{r}:{v}" for r, v in (versions or {}).items()),
        "ESG_VALUE_BASE": str(next(_runs) * VALUE_STRIDE),
    }
    whole = max(1, round(seconds))  # wrk takes whole seconds only ("6.67s" is a usage error)
    command = ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{whole}s"]
    command += ["--timeout", "10s", "-s", str(LUA), server.base]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = _process_cpu_seconds(server.proc.pid)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = _process_cpu_seconds(server.proc.pid) - server_before
    line = next((x for x in done.stdout.splitlines() if x.startswith("ESG_WRK ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
    client_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Phase(name, connections, json.loads(line[8:]), wall, client_cpu, server_cpu)


def current_versions(target: str, ids: list[int]) -> dict[int, int]:
    """Each request's stored version once writes still in flight (sent before wrk stopped,
    their answers never read) have landed: the same versions twice, a second apart."""
    db = Database(target)
    try:
        last: dict[int, int] = {}
        while True:
            with db.read() as session:
                now = {rid: get_request(session, rid).version for rid in ids}
            if now == last:
                return now
            last = now
            time.sleep(1)
    finally:
        db.dispose()


@dataclass
class Expected:
    """What the ledger must hold for one request after the phases: at least ``acked`` stored
    changes, and as its value the last acknowledged one or a write sent after it whose answer
    was never read (timed out, or in flight when wrk stopped: it may or may not have landed)."""

    acked: int
    last: int
    maybe: set[int]


def expected_writes(results: list[dict]) -> dict[int, Expected]:
    """Request id → :class:`Expected`, over the phases' ``ESG_WRK`` results in order."""
    out: dict[int, Expected] = {}
    for result in results:
        for rid, (count, last) in result["acked"].items():
            before = out.get(int(rid))
            # the phase's unanswered writes of this request all came after its last ack
            out[int(rid)] = Expected((before.acked if before else 0) + count, last, set())
        for rid, values in result["unanswered"].items():
            if int(rid) in out:
                out[int(rid)].maybe.update(values)
    return out


def lost_writes(
    expected: dict[int, Expected], changes: dict[int, int], stored: dict[int, float | None]
) -> list[str]:
    """One line per request whose acknowledged writes are not all in the ledger: fewer
    stored changes (audit events) than acknowledgements, or a value that is neither the last
    acknowledged nor one sent after it and never answered."""
    lines = []
    for rid, want in sorted(expected.items()):
        have, value = changes.get(rid, 0), stored.get(rid)
        if have < want.acked or value not in {want.last, *want.maybe}:
            lines.append(
                f"lost on request {rid}: {want.acked} acknowledged, {have} stored; last "
                f"acknowledged {want.last}, unanswered after it {sorted(want.maybe)}, "
                f"stored value {value}"
            )
    return lines


def verify(target: str, expected: dict[int, Expected], ids: list[int]) -> tuple[int, int]:
    """(stored changes, lost): audit events of entered values, and the requests whose
    acknowledged writes are not all in the ledger (:func:`lost_writes`)."""
    db = Database(target)
    try:
        with db.read() as session:
            subjects = [f"request:{r}" for r in ids]
            events = session.scalars(
                select(AuditEvent.subject).where(
                    AuditEvent.action == "request.enter", AuditEvent.subject.in_(subjects)
                )
            ).all()
            changes: dict[int, int] = defaultdict(int)
            for subject in events:
                changes[int(subject.split(":")[1])] += 1
            stored: dict[int, float | None] = {}
            for rid in expected:
                value = current_value(session, get_request(session, rid))
                stored[rid] = value.value if value is not None else None
        lost = lost_writes(expected, changes, stored)
        for line in lost:
            print(f"  {line}", flush=True)
        return len(events), len(lost)
    finally:
        db.dispose()


def _warm(server: Server, token: str, path: str) -> None:
    """One request first, so the phases time the steady state rather than the first build."""
    headers = {"Authorization": f"Bearer {token}"}
    answer = httpx.get(server.base + path, headers=headers, timeout=300)
    if answer.status_code != 200:
        raise SystemExit(f"GET {path} answered {answer.status_code}: {answer.text[:200]}")


def run_one(kind: str, target: str, folder: Path, args: argparse.Namespace) -> str:
    print(f"[{kind}] seeding {target if kind == 'postgres' else folder / 'esg.db'} …", flush=True)
    token, ids = seed(target, folder)
    kpis = f"/api/v1/kpis?year={YEAR}&years=3"
    c, short = args.connections, max(2.0, args.seconds / 3)
    server = Server(target, folder / f"serve-{kind}.log", args.workers)
    try:
        _warm(server, token, "/api/v1/me")
        _warm(server, token, kpis)
        floor = drive(server, token, "floor", connections=c, seconds=short, path="/api/v1/me")
        reads = drive(server, token, "reads", connections=c, seconds=short, path=kpis)
        mix = drive(
            server, token, "mix", connections=c, seconds=args.seconds, path=kpis,
            write_share=args.write_share, versions={rid: 1 for rid in ids},
        )  # fmt: skip
        load = drive(
            server, token, "load", connections=LOAD_CONNECTIONS, seconds=short, path=kpis,
            write_share=args.write_share, versions=current_versions(target, ids),
        )  # fmt: skip
    finally:
        server.stop()
    phases = [floor, reads, mix, load]
    expected = expected_writes([mix.result, load.result])
    stored, lost = verify(target, expected, ids)
    cores = os.cpu_count() or 1
    for p in phases:
        print(
            f"[{kind}] {p.name:<5} c={p.connections:<3} read {p.rps('read'):8.1f}/s "
            f"p50 {p.p('read', 'p50'):7.1f} p99 {p.p('read', 'p99'):7.1f} ms | write "
            f"{p.rps('write'):6.1f}/s p99 {p.p('write', 'p99'):7.1f} ms | errors {p.errors} "
            f"timeouts {p.result['timeouts']} | cpu client {p.client_cpu / p.wall / cores:.0%} "
            f"server {p.server_cpu / p.wall / cores:.0%} of {cores} cores",
            flush=True,
        )
    acked_n = sum(e.acked for e in expected.values())
    mix_total = mix.result["read"]["n"] + mix.result["write"]["n"]
    wall = sum(p.wall for p in phases)
    fields = {
        "db": kind,
        "connections": c,
        "workers": args.workers,
        "seconds": f"{args.seconds:g}",
        "floor_rps": f"{floor.rps('read'):.1f}",
        "floor_p99_ms": f"{floor.p('read', 'p99'):.1f}",
        "read_rps": f"{reads.rps('read'):.1f}",
        "read_p50_ms": f"{reads.p('read', 'p50'):.1f}",
        "read_p99_ms": f"{reads.p('read', 'p99'):.1f}",
        "ratio_read_rps_vs_floor": f"{reads.rps('read') / max(floor.rps('read'), 1e-9):.2f}",
        "mix_read_rps": f"{mix.rps('read'):.1f}",
        "mix_read_p99_ms": f"{mix.p('read', 'p99'):.1f}",
        "mix_write_rps": f"{mix.rps('write'):.1f}",
        "mix_write_p99_ms": f"{mix.p('write', 'p99'):.1f}",
        "write_share": f"{mix.result['write']['n'] / max(mix_total, 1):.2f}",
        "acked": acked_n,
        "stored": stored,
        "lost": lost,
        "load_connections": LOAD_CONNECTIONS,
        "load_rps": f"{load.rps('read') + load.rps('write'):.1f}",
        "load_read_p99_ms": f"{load.p('read', 'p99'):.1f}",
        "load_write_p99_ms": f"{load.p('write', 'p99'):.1f}",
        "load_5xx": load.server_errors,
        "load_timeouts": load.result["timeouts"],
        "errors": sum(p.errors for p in phases),
        "timeouts": sum(p.result["timeouts"] for p in phases),
        "client_cpu_share": f"{sum(p.client_cpu for p in phases) / wall / cores:.2f}",
        "server_cpu_share": f"{sum(p.server_cpu for p in phases) / wall / cores:.2f}",
        "floor_server_cpu_ms": f"{floor.server_cpu_ms():.2f}",
        "read_server_cpu_ms": f"{reads.server_cpu_ms():.2f}",
        "mix_server_cpu_ms": f"{mix.server_cpu_ms():.2f}",
        "cores": cores,
    }
    return "RESULT " + " ".join(f"{k}={v}" for k, v in fields.items())


def _postgres_url(args: argparse.Namespace, stack: list[object]) -> str:
    """``--postgres``, else a fresh database in a private cluster (stopped at the end)."""
    if args.postgres:
        return str(args.postgres)
    from tests.pg import LocalPostgres

    cluster = LocalPostgres()
    stack.append(cluster)
    import psycopg

    name = "bench_" + uuid.uuid4().hex[:8]
    plain = cluster.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return cluster.url.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=50)
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
    if args.connections < 1 or args.seconds <= 0 or not 0 <= args.write_share <= 1:
        raise SystemExit("--connections ≥ 1, --seconds > 0 and 0 ≤ --write-share ≤ 1, please")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `scripts/setup.sh test` (or apt-get install wrk)")
    folder = Path(tempfile.mkdtemp(prefix="esg-bench-api-"))
    results: list[str] = []
    clusters: list[object] = []
    try:
        for kind in ("sqlite", "postgres"):
            if args.db not in (kind, "both"):
                continue
            sub = folder / kind
            sub.mkdir()
            target = str(sub / "esg.db") if kind == "sqlite" else _postgres_url(args, clusters)
            results.append(run_one(kind, target, sub, args))
    finally:
        for cluster in clusters:
            cluster.stop()  # type: ignore[attr-defined]
        shutil.rmtree(folder, ignore_errors=True)
    for line in results:
        print(line)


if __name__ == "__main__":
    main()
