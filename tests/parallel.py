"""Running the suite on several cores (pytest-xdist, ``scripts/test.sh`` passes ``-n auto``).

Each worker is a process of its own with its own PostgreSQL server, temporary folders and
Chromium. Work is handed out a whole test file at a time, so a module's fixtures are built
once; the tests that read the demo are one group on one worker, so the demo is built once
per run, and the browser tests another, so Chromium starts seldom.
"""

from __future__ import annotations

import os

import pytest
from xdist.scheduler import LoadGroupScheduling

DEMO_GROUP = "demo"
BROWSER_GROUP = "browser"
BROWSER_TESTS = "tests/web/browser/"


def worker_name() -> str:
    """``gw0``, ``gw1`` … in an xdist worker; ``main`` when the suite runs in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def group_of(item: pytest.Item) -> str | None:
    """The group a test must share a worker with, or None when its file is enough."""
    if "demo_build" in getattr(item, "fixturenames", ()):
        return DEMO_GROUP
    if item.nodeid.startswith(BROWSER_TESTS):
        return BROWSER_GROUP
    return None


class FileOrGroupScheduling(LoadGroupScheduling):
    """Hands out a group (``@name`` on the test's id) or else a whole file at a time."""

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.rfind("@") > nodeid.rfind("]"):
            return nodeid.rsplit("@", 1)[-1]
        return nodeid.split("::", 1)[0]
