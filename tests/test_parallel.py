"""How the suite's work is handed out to xdist workers (tests/parallel.py)."""

from __future__ import annotations

from tests.parallel import BROWSER_GROUP, DEMO_GROUP, longest_first


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
