"""Issue #14: `esg serve` writes no per-request access log unless asked (`--access-log`).

uvicorn's access log formatted and wrote a line for every request in the event loop: 0.10 ms
of the 0.36 ms of server CPU a kept KPI read cost (`bench/api_tail.py`, the log on and off
alternated in one server process). Requests that matter are in the audit log; the access
log stays one option away, for a server without a proxy that logs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from esgledger.ledger.db import Database
from tests.web.browser.conftest import _free_port, wait_for_process


def _served_log(db: Database, tmp_path: Path, *options: str) -> str:
    """What `esg serve` printed while it answered ``/login`` and ``/api/v1/openapi.json``."""
    db.dispose()
    port = _free_port()
    esg = Path(sys.executable).with_name("esg")
    log_path = tmp_path / f"serve{len(options)}.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(esg), "serve", "--db", db.url, "--port", str(port), "--workers", "1", *options],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for_process(url, server)
            with urllib.request.urlopen(f"{url}/api/v1/openapi.json", timeout=60) as answer:
                assert answer.status == 200
        finally:
            server.terminate()
            server.wait(timeout=30)
    return log_path.read_text(encoding="utf-8", errors="replace")


def test_serve_logs_no_request_by_default(sqlite_db: Database, tmp_path: Path) -> None:
    printed = _served_log(sqlite_db, tmp_path)
    assert "Web app on http://127.0.0.1:" in printed  # the server did start and say so
    assert "GET /api/v1/openapi.json" not in printed
    assert "GET /login" not in printed


def test_access_log_logs_every_request(sqlite_db: Database, tmp_path: Path) -> None:
    printed = _served_log(sqlite_db, tmp_path, "--access-log")
    assert '"GET /api/v1/openapi.json HTTP/1.1" 200' in printed
    assert '"GET /login HTTP/1.1" 200' in printed
