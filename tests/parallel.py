"""Running the suite on several cores (pytest-xdist, ``scripts/test.sh`` passes ``-n auto``).

Each worker is a process of its own with its own PostgreSQL server, temporary folders and
Chromium. Work is handed out a whole test file at a time, so a module's fixtures are built
once; the files that read the demo are one unit on one worker, so the demo is built once
per run, and the browser tests another, so Chromium starts seldom.

The units are told from a test's id alone (:data:`DEMO_FILES`, :data:`BROWSER_TESTS`): xdist
3.8 groups ``xdist_group`` tests by a suffix it writes to ``item._nodeid``, which pytest 9.2
no longer reads, so those groups had silently become one unit per file and a worker that ran
any reader built the demo again (#20). ``tests/test_parallel.py`` fails when a file of the
run reads the demo and is not listed.

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
# Every test file with a test of the session's ``demo_build`` (tests/conftest.py).
DEMO_FILES = frozenset(
    {
        "tests/calc/test_demo_explain.py",
        "tests/checks/test_demo_defects.py",
        "tests/demo/test_demo.py",
        "tests/demo/test_demo_products.py",
        "tests/demo/test_demo_scope3.py",
        "tests/demo/test_demo_suppliers.py",
        "tests/demo/test_scale_stage.py",
        "tests/disclose/test_archive.py",
        "tests/disclose/test_quality_marks.py",
        "tests/disclose/test_report.py",
        "tests/disclose/test_report_content.py",
        "tests/disclose/test_report_pdf.py",
        "tests/disclose/test_social_registers.py",
        "tests/disclose/test_supply_chain_chapter.py",
        "tests/disclose/test_zh_generated_text.py",
        "tests/i18n/test_report_precedence_in_chinese.py",
        "tests/i18n/test_screenshot_pages_in_chinese.py",
        "tests/kpi/test_demo_golden.py",
        "tests/ledger/test_tamper.py",
        "tests/web/browser/test_daily_pages.py",
        "tests/web/browser/test_every_page_fits_a_phone.py",
        "tests/web/browser/test_readme_path.py",
        "tests/web/test_dashboard_pages.py",
    }
)
# The files of this run that read the demo, recorded at collection for tests/test_parallel.py.
DEMO_READERS = pytest.StashKey[frozenset[str]]()
# The ids this process collected more than once, for tests/test_parallel.py.
DUPLICATE_IDS = pytest.StashKey[list[str]]()
# Work handed out before the rest: the two groups, then each file of the fault suite.
LONGEST_FIRST = (DEMO_GROUP, BROWSER_GROUP, "tests/faults/")


def worker_name() -> str:
    """``gw0``, ``gw1`` … in an xdist worker; ``main`` when the suite runs in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def duplicate_ids(items: list[pytest.Item]) -> list[str]:
    """The ids held by more than one of ``items`` (xdist would run only the first)."""
    seen: set[str] = set()
    return sorted({item.nodeid for item in items if item.nodeid in seen or seen.add(item.nodeid)})


def demo_readers(items: list[pytest.Item]) -> frozenset[str]:
    """The files of ``items`` with a test of the session's demo build."""
    return frozenset(
        item.nodeid.split("::", 1)[0]
        for item in items
        if "demo_build" in getattr(item, "fixturenames", ())
    )


def scope_of(nodeid: str) -> str:
    """The unit of work a test is handed out in: the demo's readers together, the browser
    tests together, else the test's file."""
    path = nodeid.split("::", 1)[0]
    if path in DEMO_FILES:
        return DEMO_GROUP
    if path.startswith(BROWSER_TESTS):
        return BROWSER_GROUP
    return path


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
    """Hands out a group (:func:`scope_of`) or else a whole file at a time, the longest
    first (:func:`longest_first`)."""

    _ordered = False

    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid)

    def _assign_work_unit(self, node: WorkerController) -> None:
        if not self._ordered:  # the queue is complete by the first hand-out
            queue = dict(self.workqueue)
            self.workqueue.clear()
            self.workqueue.update((scope, queue[scope]) for scope in longest_first(list(queue)))
            self._ordered = True
        super()._assign_work_unit(node)
