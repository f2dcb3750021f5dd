"""Benchmark: where the slowest kept KPI reads' time goes, measured inside the server.

Usage::

    .venv/bin/python bench/api_tail.py [--connections 50] [--seconds 6] [--rounds 3]
                                       [--variants base,freeze,noaccess]
                                       [--db sqlite|postgres|URL] [--write-share 0.2]

A wrk run on a shared machine times the client and the scheduler as much as the server, so
this measures in the server process itself. It seeds the workspace of ``bench/api.py``,
starts a server process that runs the app as ``esg serve --workers 1`` does (uvicorn, its
access log to a file) with instruments around it, and has ``wrk`` send kept reads
(``GET /api/v1/kpis``, read-only) at ``--connections``. The instruments record, per phase:

- each request's server time, from the ASGI call to its last ``send`` returning;
- every garbage collection: its generation and pause (``gc.callbacks``);
- how long each request's body took to hand to the connection (a full socket buffer
  makes uvicorn wait for the client to read: ``slow_sending_body`` is the median share of
  a slow request's time spent so);
- the event loop's lag (a task asking to wake every millisecond: how late it woke);
- the server's CPU seconds (``time.process_time``).

- per read, how long it waited for the replay's freshness question
  (:meth:`esgledger.api.replay.Replay._version`; ``wait_p50_ms``, ``wait_p99_ms``) and
  whether it took the whole path (a miss: sign-in, session, state, route), the statements
  run on the app's pool and the questions asked of the watch (SQLite's data version,
  PostgreSQL's state stamp: the watch's own count of statements sent where it keeps one).
  ``version_p99_ms`` times each call of the watch: one per question when the replay shared
  the question (before), one per waiting read when the watch shares it.
- PostgreSQL's watch: each question's round trip, sent to answered (``question_p50_ms``,
  ``question_p99_ms``), and the CPU of the server processes answering it per question
  (``question_server_cpu_ms``, from ``/proc``: the private cluster runs on this machine);
  and per read, its wait in three parts: queued until its question was sent (``queued_*``:
  every connection busy), that question's round trip (``trip_p99_ms``), and the answer's
  hand-off until the read resumed (``handoff_*``: the event loop's turn).

``--db postgres`` starts a private cluster as ``bench/api.py`` does (or give a URL).
``--write-share`` > 0 sends ``bench/api.py``'s mix instead (reads, and data-entry writes of
that share through ``bench/wrk_mix.lua``): the statistics are then the reads', with the
writes' count and server-time p99, the slowest reads' overlap with a write being served,
and wrk's own p99 per operation beside them.

The slowest 1 % of requests are compared with the collections: the share of them that
overlap a generation-2 pause says whether the collector makes the tail. Variants are
switched inside the one server process between phases and alternated round by round, so
each is compared with the baseline in the same run:

- ``base``: the interpreter's collector as it starts (thresholds 700/10/10, nothing frozen);
- ``freeze``: ``gc.freeze()`` after a collection (what the app built so far is never
  scanned again by a collection);
- ``…:linksN``: the variant with PostgreSQL's watch asking on N connections (its default
  otherwise, :data:`esgledger.ledger.pg_watch.LINKS`); ``…:text`` with its statement sent
  as text each time, parsed and planned anew (as before it was prepared); both may be given
  (``noaccess:links2:text``); ``…:freeze`` frozen as ``freeze`` is (``noaccess:freeze``).
- ``noaccess``: base with uvicorn's access log off. The server process logs every request
  (as ``esg serve --access-log`` does) unless this variant turns it off; every access-log
  write is timed, and counted as having waited when the thread gave up the CPU inside it
  (a voluntary context switch), which tells a blocked write from a preempted process.

One line per phase and a RESULT line per variant (medians over ``--rounds``)::

    RESULT variant=… requests=… p50_ms=… p99_ms=… max_ms=… gen2=… gen2_pause_ms=…
           slow_in_gen2=… slow_in_any_gc=… slow_sending_body=… loop_lag_max_ms=… cpu_ms=…
           log_writes=… log_write_max_ms=… log_writes_waited=… sql_app_per_read=…
           sql_watch_per_read=… misses=… slow_missed=… slow_in_version=… version_p99_ms=…
           version_max_ms=… writes=… write_p99_ms=… missed_p50_ms=… missed_p99_ms=…
           kept_p99_ms=… slow_overlap_write=… wrk_read_p99_ms=… wrk_write_p99_ms=…
           wait_p50_ms=… wait_p99_ms=… question_p50_ms=… question_p99_ms=…
           question_server_cpu_ms=… queued_p50_ms=… queued_p99_ms=… trip_p99_ms=…
           handoff_p50_ms=… handoff_p99_ms=…

(one line). On a loaded machine the latencies measure the scheduler too (``loop_lag_max_ms``
shows how long the process went without the CPU); the counts and ``cpu_ms`` do not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import gc
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import YEAR, Server, _free_port, _postgres_url, current_versions, drive, seed

from esgledger.auth.recheck import RECHECK_SECONDS

KPIS = f"/api/v1/kpis?year={YEAR}&years=3"
CONTROL = "/_tail/"
KEYS = (
    "requests", "p50_ms", "p99_ms", "max_ms", "gen0", "gen1", "gen2", "gen2_pause_ms",
    "slow_in_gen2", "slow_in_any_gc", "slow_sending_body", "slow_in_window_first_s",
    "loop_lag_max_ms", "cpu_ms", "log_writes", "log_write_max_ms", "log_writes_waited",
    "sql_app_per_read", "sql_watch_per_read", "misses", "slow_missed", "slow_in_version",
    "version_p99_ms", "version_max_ms", "writes", "write_p99_ms", "missed_p50_ms",
    "missed_p99_ms", "kept_p99_ms", "slow_overlap_write", "wrk_read_p99_ms", "wrk_write_p99_ms",
    "wait_p50_ms", "wait_p99_ms", "question_p50_ms", "question_p99_ms", "question_server_cpu_ms",
    "queued_p50_ms", "queued_p99_ms", "trip_p99_ms", "handoff_p50_ms", "handoff_p99_ms",
)  # fmt: skip
# per request: seconds waiting for the replay's freshness question, and whether it missed
_SEEN: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("seen", default=None)


class Tail:
    """ASGI wrapper recording each request's server time, the collector's pauses and the
    loop's lag; ``/_tail/phase?variant=…`` starts a phase, ``/_tail/stats`` ends it."""

    def __init__(self, app: Any):
        self.app = app
        self.spans: list[tuple[float, float]] = []
        self.body_waits: list[float] = []  # per request: seconds its body's send took
        self.pauses: list[tuple[int, float, float]] = []  # (generation, start, stop)
        self.lags: list[float] = []
        self.emits: list[float] = []  # seconds each access-log record took to write
        self._mono_offset = time.perf_counter() - time.monotonic()
        self.blocked = 0  # access-log writes that waited (a voluntary context switch)
        self._gc_start = 0.0
        self._cpu = time.process_time()
        self._lag_task: asyncio.Task[None] | None = None
        self.seen: list[list[float]] = []  # per request: [version wait s, missed 0/1]
        self.versions: list[float] = []  # seconds each question to the watch took
        self.sql_app = 0  # statements on the app's engine (its pool)
        self._sent = 0  # the watch's statements sent when the phase began (when it counts)
        self.questions: list[float] = []  # seconds from each question sent to its answer
        # where a read's wait for the question goes: (queued until its question was sent,
        # the question's round trip, the answer's hand-off until the read resumed), seconds
        self.parts: list[tuple[float, float, float]] = []
        self.arrived: list[float] = []  # each caller of the watch, in its queue's order
        self.asked_in: dict[int, int] = {}  # caller → the question that answered it
        self.sent_at: list[float] = []  # each question's send
        self.answered_at: dict[int, float] = {}
        self.link_question: dict[int, int] = {}  # connection → its question out
        self.unsent = 0  # callers the watch has sent a question for
        self._backend_cpu: dict[int, float] = {}  # the watch's server processes' CPU seconds
        gc.callbacks.append(self._on_gc)
        self._instrument()

    def _instrument(self) -> None:
        """Time the replay's freshness question per request, note its misses (the whole
        path taken), count the watch's questions and the statements of the app's pool."""
        from sqlalchemy import event

        from esgledger.api.replay import Replay

        tail, asked, answered = self, Replay._version, Replay._answer_and_keep

        async def version(replay: Replay) -> Any:
            start = time.perf_counter()
            try:
                return await asked(replay)
            finally:
                took = time.perf_counter() - start
                mine = _SEEN.get()
                if mine is not None:
                    mine[0] += took

        async def answer(replay: Replay, *args: Any) -> Any:
            mine = _SEEN.get()
            if mine is not None:
                mine[1] = 1.0
            return await answered(replay, *args)

        Replay._version = version  # type: ignore[method-assign]
        Replay._answer_and_keep = answer  # type: ignore[method-assign]
        watch = self.app.state.change_watch
        plain = watch.version

        def timed_version() -> Any:
            start = time.perf_counter()
            try:
                return plain()
            finally:
                tail.versions.append(time.perf_counter() - start)

        async def timed_async_version() -> Any:  # the watch asking PostgreSQL in the loop
            start = time.perf_counter()
            tail.arrived.append(start)  # in the order the watch queues its callers
            asked = len(tail.arrived) - 1
            try:
                return await plain()
            finally:
                now = time.perf_counter()
                tail.versions.append(now - start)
                question = tail.asked_in.get(asked)
                if question is not None and question in tail.answered_at:
                    sent, answered = tail.sent_at[question], tail.answered_at[question]
                    tail.parts.append((sent - start, answered - sent, now - answered))

        asks = asyncio.iscoroutinefunction(plain)
        watch.version = timed_async_version if asks else timed_version

        def count(*_args: Any) -> None:
            tail.sql_app += 1

        event.listen(self.app.state.db.engine, "before_cursor_execute", count)
        if hasattr(watch, "_answered"):  # PostgreSQL's watch: time each question's round trip
            handed, sending = watch._answered, watch._send

            def timed_send(link: Any, waiters: list[Any]) -> None:
                # the callers it answers: the oldest not yet sent for (the watch's queue order)
                question = len(tail.sent_at)
                tail.sent_at.append(time.perf_counter())
                for caller in range(tail.unsent, tail.unsent + len(waiters)):
                    tail.asked_in[caller] = question
                tail.unsent += len(waiters)
                tail.link_question[id(link)] = question
                sending(link, waiters)

            def timed_answer(link: Any) -> None:
                tail.questions.append(time.monotonic() - link.sent_at)
                tail.answered_at[tail.link_question[id(link)]] = time.perf_counter()
                handed(link)

            watch._send, watch._answered = timed_send, timed_answer

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._gc_start = now
        else:
            self.pauses.append((info["generation"], self._gc_start, now))

    async def _lag(self) -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.001)
            self.lags.append(time.perf_counter() - asked - 0.001)

    def _timed(self, emit: Any) -> Any:
        def timed(record: logging.LogRecord) -> None:
            waits = resource.getrusage(resource.RUSAGE_THREAD).ru_nvcsw
            start = time.perf_counter()
            emit(record)
            self.emits.append(time.perf_counter() - start)
            if resource.getrusage(resource.RUSAGE_THREAD).ru_nvcsw != waits:
                self.blocked += 1  # the thread gave up the CPU inside the write: it waited

        return timed

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(CONTROL):
            await self._control(scope, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        waited = 0.0
        mine = [0.0, 0.0, 1.0 if scope["method"] == "POST" else 0.0]
        _SEEN.set(mine)

        async def timed_send(message: Any) -> None:
            nonlocal waited
            asked = time.perf_counter()
            await send(message)
            if message["type"] == "http.response.body":
                waited += time.perf_counter() - asked

        await self.app(scope, receive, timed_send)
        self.spans.append((start, time.perf_counter()))
        self.body_waits.append(waited)
        self.seen.append(mine)

    async def _control(self, scope: Any, send: Any) -> None:
        if self._lag_task is None:
            self._lag_task = asyncio.get_running_loop().create_task(self._lag())
            for handler in logging.getLogger("uvicorn.access").handlers:
                handler.emit = self._timed(handler.emit)  # type: ignore[method-assign]
        if scope["path"] == CONTROL + "phase":
            variant, *options = scope["query_string"].decode().partition("=")[2].split(":")
            _apply(variant, options)
            watch = self.app.state.change_watch
            links = next((o.removeprefix("links") for o in options if o.startswith("links")), "")
            if hasattr(watch, "links"):  # PostgreSQL's watch: how many connections it asks on
                watch.links = int(links or _LINKS)
            if hasattr(watch, "prepare"):  # and whether its statement is prepared
                watch.prepare = "text" not in options
            await asyncio.sleep(0.1)  # the lag of the switch itself is not the phase's
            self.spans, self.pauses, self.lags, self.emits = [], [], [], []
            self.body_waits, self.seen, self.versions = [], [], []
            self.blocked = self.sql_app = 0
            self._sent = getattr(self.app.state.change_watch, "sent", 0)
            self.questions, self.parts = [], []
            self._backend_cpu = _backend_cpu(self.app.state.change_watch)
            self._cpu = time.process_time()
            body = b"{}"
        else:
            body = json.dumps(self._stats()).encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    def _stats(self) -> dict[str, float]:
        cpu = time.process_time() - self._cpu
        every = len(self.spans)
        reads = [i for i, m in enumerate(self.seen) if not m[2]]
        spans = [self.spans[i] for i in reads]
        seen = [self.seen[i] for i in reads]
        body_waits = [self.body_waits[i] for i in reads]
        writes = sorted(b - a for (a, b), m in zip(self.spans, self.seen, strict=True) if m[2])
        write_spans = [s for s, m in zip(self.spans, self.seen, strict=True) if m[2]]
        took = sorted(stop - start for start, stop in spans)
        n = len(took)
        if not n:
            return {"requests": 0}
        cut = took[int(n * 0.99)]
        slow = [(a, b) for a, b in spans if b - a >= cut]
        since = [start - self._mono_offset for start, _ in slow]  # on the monotonic clock
        # the kept answers and sign-ins are keyed by a 10 s window of the monotonic clock
        at_window = sum(1 for t in since if t % RECHECK_SECONDS < 1.0) / max(len(slow), 1)
        pairs = zip(spans, body_waits, strict=True)
        in_send = [w / (b - a) for (a, b), w in pairs if b - a >= cut]
        gen2 = [(a, b) for g, a, b in self.pauses if g == 2]
        slow_seen = [m for (a, b), m in zip(spans, seen, strict=True) if b - a >= cut]
        in_version = [m[0] / (b - a) for (a, b), m in zip(spans, seen, strict=True) if b - a >= cut]
        versions = sorted(self.versions)
        waits = sorted(m[0] for m in seen)
        # questions to the watch: its own count where it keeps one (a question shared by
        # many callers, each timed in ``versions``), else one per call of it
        sent = getattr(self.app.state.change_watch, "sent", None)
        questions = len(versions) if sent is None else sent - self._sent
        missed = sorted(b - a for (a, b), m in zip(spans, seen, strict=True) if m[1])
        rounds = sorted(self.questions)
        queued, trip, handoff = (sorted(p[i] for p in self.parts) for i in range(3))
        before, after = self._backend_cpu, _backend_cpu(self.app.state.change_watch)
        backend = sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())
        kept = sorted(b - a for (a, b), m in zip(spans, seen, strict=True) if not m[1])

        def share(pauses: list[tuple[float, float]]) -> float:
            hit = sum(1 for a, b in slow if any(p < b and q > a for p, q in pauses))
            return hit / max(len(slow), 1)

        return {
            "requests": n,
            "p50_ms": took[n // 2] * 1e3,
            "p99_ms": cut * 1e3,
            "max_ms": took[-1] * 1e3,
            "gen0": sum(1 for g, _, _ in self.pauses if g == 0),
            "gen1": sum(1 for g, _, _ in self.pauses if g == 1),
            "gen2": len(gen2),
            "gen2_pause_ms": max((b - a for a, b in gen2), default=0.0) * 1e3,
            "gc_ms_total": sum(b - a for _, a, b in self.pauses) * 1e3,
            "slow_in_gen2": share(gen2),
            "slow_in_window_first_s": at_window,
            "slow_sending_body": statistics.median(in_send) if in_send else 0.0,
            "slow_in_any_gc": share([(a, b) for _, a, b in self.pauses]),
            "loop_lag_p99_ms": sorted(self.lags)[int(len(self.lags) * 0.99)] * 1e3
            if self.lags
            else 0.0,
            "loop_lag_max_ms": max(self.lags, default=0.0) * 1e3,
            "cpu_ms": cpu * 1e3 / every,
            "log_writes": len(self.emits),
            "log_write_max_ms": max(self.emits, default=0.0) * 1e3,
            "log_write_ms_total": sum(self.emits) * 1e3,
            "log_writes_waited": self.blocked,
            "sql_app_per_read": self.sql_app / n,
            "sql_watch_per_read": questions / n,
            "misses": int(sum(m[1] for m in self.seen)),
            "slow_missed": sum(m[1] for m in slow_seen) / max(len(slow_seen), 1),
            "slow_in_version": statistics.median(in_version) if in_version else 0.0,
            "version_p99_ms": versions[int(len(versions) * 0.99)] * 1e3 if versions else 0.0,
            "version_max_ms": max(versions, default=0.0) * 1e3,
            "writes": len(writes),
            "write_p99_ms": _pct(writes, 0.99) * 1e3,
            "missed_p50_ms": _pct(missed, 0.5) * 1e3,
            "missed_p99_ms": _pct(missed, 0.99) * 1e3,
            "kept_p99_ms": _pct(kept, 0.99) * 1e3,
            "slow_overlap_write": share(write_spans),
            "wait_p50_ms": _pct(waits, 0.5) * 1e3,
            "wait_p99_ms": _pct(waits, 0.99) * 1e3,
            "question_p50_ms": _pct(rounds, 0.5) * 1e3,
            "question_p99_ms": _pct(rounds, 0.99) * 1e3,
            "question_server_cpu_ms": backend * 1e3 / max(questions, 1),
            "queued_p50_ms": _pct(queued, 0.5) * 1e3,
            "queued_p99_ms": _pct(queued, 0.99) * 1e3,
            "trip_p99_ms": _pct(trip, 0.99) * 1e3,
            "handoff_p50_ms": _pct(handoff, 0.5) * 1e3,
            "handoff_p99_ms": _pct(handoff, 0.99) * 1e3,
        }


try:
    from esgledger.ledger.pg_watch import LINKS as _LINKS
except ImportError:  # a version before the watch had connections of its own to choose
    _LINKS = 1


def _backend_cpu(watch: Any) -> dict[int, float]:
    """CPU seconds of each of PostgreSQL's server processes answering the watch (a private
    cluster on this machine: ``/proc``); empty for SQLite's watch or a remote server."""
    found: dict[int, float] = {}
    for pid in getattr(watch, "backends", list)():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def _pct(sorted_values: list[float], p: float) -> float:
    return sorted_values[int(len(sorted_values) * p)] if sorted_values else 0.0


def _apply(variant: str, options: list[str]) -> None:
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    logging.getLogger("uvicorn.access").disabled = False
    if variant == "freeze" or "freeze" in options:
        gc.collect()
        gc.freeze()
    if variant == "noaccess":
        logging.getLogger("uvicorn.access").disabled = True
    elif variant not in ("base", "freeze"):
        raise SystemExit(f"unknown variant {variant!r}")


def serve(target: str, port: int) -> None:
    """The server process: the app as ``esg serve --workers 1`` runs it, instrumented."""
    import uvicorn

    from esgledger.server import create_app

    app = create_app(target)
    uvicorn.run(Tail(app), host="127.0.0.1", port=port, access_log=True)


class TailServer(Server):
    """:class:`api.Server`, running :func:`serve` instead of ``esg serve``."""

    def __init__(self, target: str, log: Path):
        self.target = target
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("wb")
        code = f"import api_tail; api_tail.serve({target!r}, {self.port})"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=Path(__file__).resolve().parent,
            env={**os.environ, "ESG_ACTOR": "bench"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait(log)


def phase(
    server: TailServer, token: str, variant: str, args: argparse.Namespace, ids: list[int]
) -> dict[str, Any]:
    import httpx

    httpx.get(f"{server.base}{CONTROL}phase?variant={variant}", timeout=60)
    if args.write_share > 0:  # the mix of bench/api.py, its client timings kept too
        mixed = drive(
            server, token, "mix", connections=args.connections, seconds=args.seconds, path=KPIS,
            write_share=args.write_share, versions=current_versions(server.target, ids),
        )  # fmt: skip
        got: dict[str, Any] = httpx.get(f"{server.base}{CONTROL}stats", timeout=60).json()
        got["wrk_read_p99_ms"] = mixed.p("read", "p99")
        got["wrk_write_p99_ms"] = mixed.p("write", "p99")
        return got
    subprocess.run(
        [
            "wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s",
            "--timeout", "10s", "-H", f"Authorization: Bearer {token}", server.base + KPIS,
        ],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return dict(httpx.get(f"{server.base}{CONTROL}stats", timeout=60).json())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default="base,freeze,noaccess")
    parser.add_argument(
        "--write-share",
        type=float,
        default=0.0,
        help="> 0: bench/api.py's mix (reads, and writes of this share) instead of reads only",
    )
    parser.add_argument(
        "--db",
        default="sqlite",
        help="sqlite (a file), postgres (a private cluster, as bench/api.py starts) or the "
        "URL of an empty PostgreSQL database",
    )
    args = parser.parse_args()
    variants = args.variants.split(",")
    clusters: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="esg-bench-tail-") as tmp:
        if args.db == "sqlite":
            target = f"sqlite:///{Path(tmp) / 'esg.db'}"
        else:
            url = None if args.db == "postgres" else args.db
            target = _postgres_url(argparse.Namespace(postgres=url), clusters)
        token, ids = seed(target, Path(tmp))
        server = TailServer(target, Path(tmp) / "serve.log")
        try:
            import httpx

            httpx.get(server.base + KPIS, headers={"Authorization": f"Bearer {token}"}, timeout=300)
            results: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
            for r in range(args.rounds):
                for variant in variants:
                    got = phase(server, token, variant, args, ids)
                    results[variant].append(got)
                    print(
                        f"round {r + 1} {variant}: "
                        + " ".join(f"{k}={_num(got.get(k, 0))}" for k in KEYS)
                    )
            for variant, runs in results.items():
                med = {k: statistics.median(float(x.get(k, 0.0)) for x in runs) for k in KEYS}
                print(
                    f"RESULT variant={variant} "
                    + " ".join(f"{k}={_num(v)}" for k, v in med.items())
                )
        finally:
            server.stop()
            for cluster in clusters:
                cluster.stop()


def _num(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
