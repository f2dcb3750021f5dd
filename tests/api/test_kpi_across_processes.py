"""Issue #14: the KPI update on write is seen by every server process, on SQLite and
PostgreSQL, with two real ``esg serve`` processes on one workspace (as ``--workers 2`` runs
them: each keeps its own tables).

A process that did not make a write brings its kept table up to date from the audit events
it has not seen (:mod:`esgledger.kpi.cache`): the figures a request's steps on the first
process moved are in the second's very next answer (never stale), and that update costs the
second process less CPU than recomputing its table after a write it cannot bound (a KPI
import), which is what it would pay if it recomputed. Each process's CPU is read from
``/proc`` (Linux), around one GET.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from esgledger.ledger.db import Database
from tests.api.conftest import setup_users
from tests.conftest import Cli
from tests.factories import write_csv
from tests.web.browser.conftest import _free_port, wait_for_process

YEAR = 2025
KPI_HEADER = ["entity", "year", "metric", "value", "unit"]
TICKS = os.sysconf("SC_CLK_TCK")  # /proc counts CPU in ticks (10 ms): several rounds
ROUNDS = 4


class Server:
    """``esg serve --workers 1`` in a process of its own."""

    def __init__(self, db: Database, log: Path):
        self.port = _free_port()
        esg = Path(sys.executable).with_name("esg")
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [str(esg), "serve", "--db", db.url, "--port", str(self.port), "--workers", "1"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for_process(self.url, self.process)

    def cpu_ms(self) -> float:
        """The process's user + system CPU so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / TICKS

    def call(self, token: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def two(db: Database, tmp_path: Path) -> Iterator[tuple[Server, Server, dict[str, str], Cli]]:
    tokens = setup_users(db, tmp_path)
    cli = Cli(db)
    rows = [
        [entity, year, metric, value, unit]
        for year in (YEAR - 2, YEAR - 1, YEAR)
        for entity in ("SZ1", "WH1", "VN1")
        for metric, value, unit in (("packaging.plastics", 4, "t"), ("packaging.wood", 2, "t"))
    ]
    cli("import", "kpis", str(write_csv(tmp_path / "k.csv", KPI_HEADER, rows)))
    db.dispose()
    servers: list[Server] = []
    try:
        servers += [Server(db, tmp_path / "a.log"), Server(db, tmp_path / "b.log")]
        yield servers[0], servers[1], tokens, cli
    finally:
        for server in servers:
            server.stop()


def cartons(series: dict[str, Any]) -> float | None:
    [row] = [k for k in series["kpis"] if k["metric"] == "packaging.cartons" and not k["dims"]]
    return row["values"][str(YEAR)]  # type: ignore[no-any-return]


def read(server: Server, token: str) -> tuple[dict[str, Any], float]:
    """The KPI series from ``server`` and the CPU milliseconds it spent answering."""
    before = server.cpu_ms()
    series = server.call(token, f"/api/v1/kpis?year={YEAR}")
    return series, server.cpu_ms() - before


def test_a_write_on_one_process_is_in_the_others_next_answer_updated_not_recomputed(
    two: tuple[Server, Server, dict[str, str], Cli], tmp_path: Path
) -> None:
    a, b, tokens, cli = two
    issued = a.call(
        tokens["mia"],
        "/api/v1/requests",
        {"year": YEAR, "metrics": ["packaging.cartons"], "owner": "olga",
         "due": str(dt.date.today() + dt.timedelta(days=30)), "entities": ["SZ1"], "reviewer": "rita"},
    )  # fmt: skip
    [rid] = issued["ids"]
    for server in (a, b):  # each process keeps its own table
        first, _ = read(server, tokens["aldo"])
        assert cartons(first) is None
    updates, recomputations, version = [], [], 1
    for turn in range(1, ROUNDS + 1):
        if turn > 1:  # back to its owner, to be entered again
            version = a.call(tokens["rita"], f"/api/v1/requests/{rid}/return",
                             {"version": version, "comment": "again"})["version"]  # fmt: skip
        req = a.call(tokens["olga"], f"/api/v1/requests/{rid}/value",
                     {"version": version, "value": 7 * turn, "unit": "t"})  # fmt: skip
        req = a.call(tokens["olga"], f"/api/v1/requests/{rid}/submit", {"version": req["version"]})
        version = a.call(tokens["rita"], f"/api/v1/requests/{rid}/approve",
                         {"version": req["version"]})["version"]  # fmt: skip
        updated, cpu = read(b, tokens["aldo"])
        assert cartons(updated) == 7.0 * turn  # the other process's write, at once
        updates.append(cpu)
        later = [["SZ1", YEAR, "packaging.metal", turn, "t", f"turn {turn}"]]
        cli(
            "import",
            "kpis",
            str(write_csv(tmp_path / f"k{turn}.csv", [*KPI_HEADER, "restatement_reason"], later)),
        )
        recomputed, cpu = read(b, tokens["aldo"])  # an import: the whole table
        assert cartons(recomputed) == 7.0 * turn
        recomputations.append(cpu)
    print(f"second process: updates {updates} CPU ms, recomputations {recomputations}")
    assert sum(updates) < sum(recomputations)
