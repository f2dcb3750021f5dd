"""A live esgledger server per module and one real Chromium for all of them, for browser tests.

The server is uvicorn on a free loopback port, serving a SQLite workspace in a temporary
folder, run in a background thread; the browser is Debian's Chromium driven by Playwright
(no browser download). Each test gets a fresh browser context, so cookies never leak
from one role to the next.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from esgledger.ledger.db import Database
from esgledger.server import create_app
from esgledger.server.ready import wait_until_ready

CHROMIUM = "/usr/bin/chromium"
STARTUP_SECONDS = 240  # see wait_for_process
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_process(url: str, server: subprocess.Popen[bytes]) -> None:
    """Wait until ``esg serve`` in a child process answers ``/login`` (or fail, saying so).

    A bound, not a speed check: ``esg serve`` starts a process per core (each importing the
    app afresh), and on a machine loaded by a whole suite that took more than a minute."""
    wait_until_ready(url, server, seconds=STARTUP_SECONDS)


def _wait_until_up(url: str, server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the test server stopped while starting")
        if server.started:
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
        time.sleep(0.05)
    raise RuntimeError(f"the test server at {url} did not answer within 20 s")


@pytest.fixture(scope="module")
def workspace(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[Database]:
    """A fresh SQLite workspace for the module (a copy of the migrated template); the module's
    own fixture fills it."""
    path = tmp_path_factory.mktemp("site") / "esg.db"
    shutil.copy(sqlite_template, path)
    db = Database(str(path))
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def live_server(workspace: Database) -> Iterator[str]:
    """uvicorn serving the workspace on a free port, in a background thread."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(workspace.url), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="esg-test-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, thread)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for the browser tests (a launch costs seconds); each test's fresh context
    keeps the tests apart. Package scope, not session: between its calls Playwright's sync API
    leaves its event loop marked as running in the main thread, which the tests after this
    package must not inherit."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context (no cookies), failing fast instead of hanging."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()
