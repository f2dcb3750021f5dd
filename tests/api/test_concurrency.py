"""Many clients at once against the real server process (`esg serve`), on SQLite and PostgreSQL.

Regression for the stall at ~60 concurrent requests: every worker thread blocked waiting for a
pooled connection while the requests holding the connections waited for a thread. The test
fires 200 authenticated requests at once from 200 client threads and expects 200 answers of
200 — no 5xx, no reset, no timeout. It asserts no duration.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from esgledger.ledger.db import Database
from tests.api.conftest import setup_users
from tests.web.browser.conftest import _free_port, wait_for_process

CLIENTS = 200
READERS = ("ada", "mia", "aldo", "rita")
PATHS = ("/api/v1/entities", "/login")  # a token check and a page that signs its form


@pytest.fixture
def served(db: Database, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`esg serve --db … --port P` in its own process, with a token per test user."""
    tokens = setup_users(db, tmp_path)
    db.dispose()
    port = _free_port()
    esg = Path(sys.executable).with_name("esg")
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(esg), "serve", "--db", db.url, "--port", str(port), "--workers", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_process(url, server)
        yield url, tokens
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _get(url: str, token: str, start: threading.Barrier) -> int | str:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError as exc:  # reset, refused, timed out: reported, never retried
        return f"{type(exc).__name__}: {exc}"


def test_200_concurrent_clients_all_get_an_answer(served: tuple[str, dict[str, str]]) -> None:
    url, tokens = served
    start = threading.Barrier(CLIENTS)
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(
            pool.map(
                lambda i: _get(f"{url}{PATHS[i % 2]}", tokens[READERS[i % 4]], start),
                range(CLIENTS),
            )
        )
    failed = [a for a in answers if a != 200]
    assert not failed, f"{len(failed)} of {CLIENTS} failed, e.g. {failed[:3]}"
