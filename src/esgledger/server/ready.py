"""Waiting for ``esg serve`` started as a child process to answer, for the screenshot script
and the tests that drive a real server.

Ready means its sign-in page answers 200. The bound is long because ``esg serve`` starts a
process per core, each importing the app afresh: on a machine loaded by other work that took
more than a minute. Giving up says why in one line: the process ended (with its exit code),
or it did not answer within the bound; both name where its output went when given.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

STARTUP_SECONDS = 300.0
POLL_SECONDS = 0.2


class ServerNotReady(RuntimeError):
    """The server ended or did not answer its sign-in page in time."""


def wait_until_ready(
    url: str,
    server: subprocess.Popen[bytes],
    *,
    seconds: float = STARTUP_SECONDS,
    log: Path | None = None,
) -> None:
    """Return once ``url``/login answers 200; :class:`ServerNotReady` otherwise."""
    where = f"; its output: {log}" if log else ""
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            raise ServerNotReady(
                f"esg serve exited with {server.returncode} before answering{where}"
            )
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() >= deadline:
            raise ServerNotReady(
                f"esg serve did not answer {url}/login within {seconds:g} s{where}"
            )
        time.sleep(POLL_SECONDS)
