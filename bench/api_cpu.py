"""Benchmark: the server's CPU per API request, in process — what counts on a busy machine.

Usage::

    .venv/bin/python bench/api_cpu.py [--rounds 200] [--runs 5] [--db URL] [--profile FILE]

Seeds the same workspace as ``bench/api.py`` (a SQLite file in a temporary folder unless
``--db`` names an empty PostgreSQL database), builds the app as ``esg serve`` does, and calls
it as an ASGI application in one event loop, no sockets and no HTTP client, so what is
measured is the server's own work. Each round is one mix step: a data-entry write
(``POST /api/v1/requests/{id}/value``) and the ``GET /api/v1/kpis`` read after it (the read
that pays for the changed ledger), then ``--reads`` more reads (kept answers). CPU seconds
(``time.process_time``) are summed per kind; each run prints milliseconds per request, and the
last line is the median over ``--runs``::

    RESULT db=… rounds=… write_cpu_ms=… read_after_write_cpu_ms=… read_cpu_ms=…

``--profile FILE`` writes a cProfile of the writes and first reads of one extra run.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import YEAR, seed

from esgledger.server import create_app

Call = tuple[int, bytes]


async def call(app: Any, method: str, path: str, token: str, body: bytes = b"") -> Call:
    """One request through the ASGI app: (status, body)."""
    route, _, query = path.partition("?")
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)  # nobody disconnects
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


class Mix:
    """The write-then-read rounds over the seeded requests, keeping each request's version."""

    def __init__(self, app: Any, token: str, ids: list[int], reads: int):
        self.app, self.token, self.ids, self.reads = app, token, ids, reads
        self.versions = dict.fromkeys(ids, 1)
        self.turn = 0
        self.read_path = f"/api/v1/kpis?year={YEAR}&years=3"

    async def write(self) -> None:
        rid = self.ids[self.turn % len(self.ids)]
        self.turn += 1
        payload = {"version": self.versions[rid], "value": 1000 + self.turn, "unit": "t"}
        status, body = await call(
            self.app, "POST", f"/api/v1/requests/{rid}/value", self.token,
            json.dumps(payload).encode(),
        )  # fmt: skip
        if status != 200:
            raise SystemExit(f"write to request {rid} answered {status}: {body[:300]!r}")
        self.versions[rid] = json.loads(body)["version"]

    async def read(self) -> None:
        status, body = await call(self.app, "GET", self.read_path, self.token)
        if status != 200:
            raise SystemExit(f"read answered {status}: {body[:300]!r}")

    async def run(self, rounds: int) -> dict[str, float]:
        """CPU milliseconds per write, per read after a write, per read of a kept answer."""
        spent = {"write": 0.0, "read_after_write": 0.0, "read": 0.0}
        for _ in range(rounds):
            t0 = time.process_time()
            await self.write()
            t1 = time.process_time()
            await self.read()
            t2 = time.process_time()
            for _ in range(self.reads):
                await self.read()
            t3 = time.process_time()
            spent["write"] += t1 - t0
            spent["read_after_write"] += t2 - t1
            spent["read"] += t3 - t2
        counts = {"write": rounds, "read_after_write": rounds, "read": rounds * self.reads}
        return {k: v * 1000 / max(counts[k], 1) for k, v in spent.items()}


def inline_threads() -> None:
    """Run the app's worker-thread calls in the event loop's thread, for the profile."""
    import anyio.to_thread

    async def run_sync(func: Any, *args: Any, **_: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="esg-bench-cpu-") as tmp:
        target = args.db or f"sqlite:///{Path(tmp) / 'esg.db'}"
        token, ids = seed(target, Path(tmp))
        app = create_app(target)
        mix = Mix(app, token, ids, args.reads)
        await mix.run(10)  # warm-up: imports, caches, first body
        results = []
        for i in range(args.runs):
            got = await mix.run(args.rounds)
            results.append(got)
            print(f"run {i + 1}: " + " ".join(f"{k}={v:.2f} ms" for k, v in got.items()))
        if args.profile:
            inline_threads()  # cProfile sees the main thread only
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.rounds):
                await mix.write()
                await mix.read()
            profiler.disable()
            profiler.dump_stats(args.profile)
        db = "sqlite" if target.startswith("sqlite") else "postgres"
        med = {k: statistics.median(r[k] for r in results) for k in results[0]}
        print(
            f"RESULT db={db} rounds={args.rounds} runs={args.runs} "
            f"write_cpu_ms={med['write']:.2f} read_after_write_cpu_ms="
            f"{med['read_after_write']:.2f} read_cpu_ms={med['read']:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reads", type=int, default=3, help="kept-answer reads per round")
    parser.add_argument("--db", default="", help="an empty PostgreSQL database URL")
    parser.add_argument("--profile", default="", help="write a cProfile of one more run here")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
