"""How the suite's work is handed out to xdist workers (tests/parallel.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.parallel import (
    BROWSER_GROUP,
    DEMO_FILES,
    DEMO_GROUP,
    DEMO_READERS,
    DUPLICATE_IDS,
    FileOrGroupScheduling,
    longest_first,
)


def test_the_groups_and_the_fault_suite_are_handed_out_first_the_rest_in_given_order() -> None:
    given = [
        "tests/ingest/test_malformed_corpus.py",  # xdist's order: most tests first
        "tests/auth/test_permissions.py",
        BROWSER_GROUP,
        "tests/faults/test_crashes.py",
        DEMO_GROUP,
        "tests/web/test_headers.py",
        "tests/faults/test_read_only.py",
        "tests/test_faults_elsewhere.py",
    ]
    assert longest_first(given) == [
        DEMO_GROUP,
        BROWSER_GROUP,
        "tests/faults/test_crashes.py",
        "tests/faults/test_read_only.py",
        "tests/ingest/test_malformed_corpus.py",
        "tests/auth/test_permissions.py",
        "tests/web/test_headers.py",
        "tests/test_faults_elsewhere.py",
    ]
    assert longest_first([]) == []


def test_the_demo_readers_and_the_browser_tests_are_each_one_unit_of_work() -> None:
    """xdist 3.8 groups ``xdist_group`` tests by a suffix it writes to ``item._nodeid``, which
    pytest 9.2 no longer reads (the id lives in ``item._id``): every file was a unit of its
    own, and each worker that ran a file reading the demo built it (#20). The units are now
    told from the test's id alone."""
    split = FileOrGroupScheduling.__new__(FileOrGroupScheduling)._split_scope
    reader = next(iter(sorted(DEMO_FILES)))
    assert split(f"{reader}::test_x[sqlite]") == split(f"{reader}::test_y") == DEMO_GROUP
    assert split("tests/web/browser/test_roles.py::test_x[postgresql]") == BROWSER_GROUP
    assert split("tests/api/test_api.py::test_x[sqlite]") == "tests/api/test_api.py"
    assert split("tests/api/test_api.py::test_x[a@b]") == "tests/api/test_api.py"


def test_every_file_reading_the_demo_is_in_the_demo_group(pytestconfig: pytest.Config) -> None:
    """The files this run collected with a test of the session's ``demo_build`` (recorded at
    collection, tests/conftest.py) are all listed: an unlisted one would build the demo again
    in another worker."""
    readers = pytestconfig.stash[DEMO_READERS]
    assert readers <= DEMO_FILES, sorted(readers - DEMO_FILES)
    assert all(Path(path).is_file() for path in DEMO_FILES), sorted(DEMO_FILES)


def test_no_two_collected_tests_share_an_id(pytestconfig: pytest.Config) -> None:
    """xdist hands tests out by id: of tests sharing one it runs the first alone. Under
    pytest 9.2 schemathesis 4.32 gave its 87 operations' tests one id (pytest builds a test's
    id from ``originalname``, which schemathesis sets to the bare function's name), so the
    suite on several workers ran 1 of them and reported "1 passed" (#20)."""
    assert pytestconfig.stash[DUPLICATE_IDS] == [], pytestconfig.stash[DUPLICATE_IDS][:5]
