"""#17: the screenshot script (and the tests that start ``esg serve``) wait for the server to
answer its sign-in page, within a bound long enough for a loaded machine (``esg serve``
starts a process per core, each importing the app; on a machine loaded by a whole suite that
took more than the script's old 60 s), and say in one line why they gave up."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from esgledger.server.ready import STARTUP_SECONDS, ServerNotReady, wait_until_ready
from tests.web.browser.conftest import _free_port

SLOW_SERVER = textwrap.dedent(
    """
    import http.server, sys, time
    time.sleep(float(sys.argv[2]))  # importing the app, on a loaded machine

    class Login(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/login" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Login).serve_forever()
    """
)


def _start(tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    script = tmp_path / "server.py"
    script.write_text(SLOW_SERVER)
    return subprocess.Popen([sys.executable, str(script), *args])


def test_the_bound_is_long_enough_for_a_loaded_machine() -> None:
    assert STARTUP_SECONDS >= 240  # the browser tests' bound since #14


def test_it_waits_for_a_slow_start_then_returns(tmp_path: Path) -> None:
    port = _free_port()
    server = _start(tmp_path, str(port), "1.5")
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", server, seconds=30)
        assert server.poll() is None
    finally:
        server.kill()
        server.wait()


def test_a_server_that_exits_is_reported_with_its_code_and_log(tmp_path: Path) -> None:
    server = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    log = tmp_path / "serve.log"
    with pytest.raises(ServerNotReady) as caught:
        wait_until_ready("http://127.0.0.1:9", server, seconds=30, log=log)
    assert str(caught.value) == f"esg serve exited with 3 before answering; its output: {log}"


def test_a_server_that_never_answers_is_reported_with_the_bound(tmp_path: Path) -> None:
    port = _free_port()
    server = _start(tmp_path, str(port), "60")
    try:
        with pytest.raises(ServerNotReady) as caught:
            wait_until_ready(f"http://127.0.0.1:{port}", server, seconds=1)
    finally:
        server.kill()
        server.wait()
    message = str(caught.value)
    assert message.startswith(f"esg serve did not answer http://127.0.0.1:{port}/login within 1 s")
    assert "\n" not in message
