"""#13.3 through the API: ``POST /imports/kpis`` takes the same path as
``esg import`` (validate before the write lock). The real server process is paused at
``import.validated`` while another writer stores the same rows; resumed, the request is
refused with a one-line 409 and nothing of its file is written (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from esgledger.faults import ENV
from esgledger.ledger.db import Database
from esgledger.ledger.kpis import import_kpis
from tests.api.conftest import setup_users
from tests.factories import write_csv
from tests.faults.conftest import counts
from tests.web.browser.conftest import _free_port, wait_for_process

PREFIX = "/api/v1"
LEDGER = ("kpi_values", "import_batches", "audit_events")


def _paused(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("T", "t")


@pytest.fixture
def served(db: Database, tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen[bytes]]]:
    """`esg serve` in its own process, set to stop itself once an import is validated."""
    token = setup_users(db, tmp_path)["mia"]  # an ESG manager: imports straight into the ledger
    db.dispose()
    port = _free_port()
    env = {**os.environ, ENV: "import.validated:pause", "ESG_LOCK_WAIT_SECONDS": "2"}
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("esg")), "serve", "--db", db.url, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url, token, server
    finally:
        os.kill(server.pid, signal.SIGCONT)
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _kpi_file(folder: Path) -> Path:
    header = ["entity", "year", "metric", "value", "unit"]
    return write_csv(folder / "kpis.csv", header, [["SZ1", 2025, "ghg.scope1", 5, "tCO2e"]])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], tries: int = 5) -> None:
    """As :func:`wait_for_process`, for longer: a busy shared machine starts a server slowly."""
    for attempt in range(tries):
        try:
            wait_for_process(url, server)
            return
        except RuntimeError:
            if server.poll() is not None or attempt == tries - 1:
                raise


CASES = {
    "kpis": (_kpi_file, lambda db, path: import_kpis(db, path, actor="other")),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_api_import_refuses_a_clash_arising_while_its_file_is_validated(
    served: tuple[str, str, subprocess.Popen[bytes]], db: Database, tmp_path: Path, kind: str
) -> None:
    url, token, server = served
    make, other_import = CASES[kind]
    path = make(tmp_path)
    answers: list[httpx.Response] = []

    def post() -> None:
        answers.append(
            httpx.post(
                f"{url}{PREFIX}/imports/{kind}",
                headers={"Authorization": f"Bearer {token}"},
                files={"file": (path.name, path.read_bytes())},
                timeout=300,
            )
        )

    client = threading.Thread(target=post)
    client.start()
    deadline = time.monotonic() + 120
    while not _paused(server.pid):
        assert time.monotonic() < deadline and client.is_alive(), "the server never paused"
        time.sleep(0.05)
    other_import(db, path)  # the same rows, by another writer: the lock was free
    before = counts(db, *LEDGER)
    os.kill(server.pid, signal.SIGCONT)
    client.join(timeout=300)
    (answer,) = answers
    assert answer.status_code == 409, answer.text
    detail = answer.json()["detail"]
    assert "another user changed" in detail and "nothing was imported" in detail
    assert "\n" not in detail and "Traceback" not in answer.text
    assert counts(db, *LEDGER) == before
