"""Running the suite on several cores (pytest-xdist, ``scripts/test.sh`` passes ``-n auto``).

Each worker is a process of its own with its own PostgreSQL server, temporary folders and
Chromium. Work is handed out a whole test file at a time, so a module's fixtures are built
once; the tests that read the demo are one group on one worker, so the demo is built once
per run, and the browser tests another, so Chromium starts seldom.

The longest work goes first: xdist orders files by their number of tests, which put the fault
suite (a few tests a file, each running ``esg`` processes it kills, ~2 CPU s a test against
~0.5 on average) last, where one worker ran it while the other had nothing left to do. The
groups and the fault suite now lead, the rest following by number of tests (#20).
"""

from __future__ import annotations

import os

import pytest
from xdist.scheduler import LoadGroupScheduling
from xdist.workermanage import WorkerController

DEMO_GROUP = "demo"
BROWSER_GROUP = "browser"
BROWSER_TESTS = "tests/web/browser/"
# Work handed out before the rest: the two groups, then each file of the fault suite.
LONGEST_FIRST = (DEMO_GROUP, BROWSER_GROUP, "tests/faults/")


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


def leads(scope: str) -> bool:
    """Whether a file or group is handed out before the others (:data:`LONGEST_FIRST`)."""
    return any(scope == first or scope.startswith(first) for first in LONGEST_FIRST)


def longest_first(scopes: list[str]) -> list[str]:
    """The scopes with the leading ones first, in their :data:`LONGEST_FIRST` order; the
    order among the rest (xdist's: most tests first) is kept."""
    rank = {scope: next(i for i, f in enumerate(LONGEST_FIRST) if scope.startswith(f))
            for scope in scopes if leads(scope)}  # fmt: skip
    return sorted(scopes, key=lambda scope: rank.get(scope, len(LONGEST_FIRST)))


class FileOrGroupScheduling(LoadGroupScheduling):
    """Hands out a group (``@name`` on the test's id) or else a whole file at a time, the
    longest first (:func:`longest_first`)."""

    _ordered = False

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.rfind("@") > nodeid.rfind("]"):
            return nodeid.rsplit("@", 1)[-1]
        return nodeid.split("::", 1)[0]

    def _assign_work_unit(self, node: WorkerController) -> None:
        if not self._ordered:  # the queue is complete by the first hand-out
            queue = dict(self.workqueue)
            self.workqueue.clear()
            self.workqueue.update((scope, queue[scope]) for scope in longest_first(list(queue)))
            self._ordered = True
        super()._assign_work_unit(node)
