"""Issue #14 (speed): the pages' findings after this process's own data-request step take what
the step touched from the writer's note (:mod:`esgledger.ledger.request_events`), as the KPI
table's update does: no audit events or requests are read to bound the rerun. A process
that did not make the write (the note forgotten here) asks the database; both give what a
full run of the checks gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from esgledger.ledger import request_events
from esgledger.web import state_findings
from tests.checks.test_findings_incremental import check
from tests.conftest import Cli
from tests.kpi.test_cache_incremental import issue, seeded, step  # noqa: F401 - fixture

ASKS = ("SELECT audit_events.action, audit_events.subject", "SELECT data_requests.year")


@contextmanager
def touched_queries(work: Cli) -> Iterator[list[str]]:
    """The statements run inside the block that ask what the writes since touched."""
    seen: list[str] = []

    def record(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith(ASKS):
            seen.append(statement)

    event.listen(work.db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(work.db.engine, "before_cursor_execute", record)


def test_findings_after_this_processs_own_step_read_no_audit_events(seeded: Cli) -> None:  # noqa: F811
    work = seeded
    state_findings.clear()
    check(work, "full")
    cartons = issue(work, "packaging.cartons", "B")
    check(work, "full")  # issuing requests is not bounded
    for value, elsewhere in ((700, False), (650, True), (600, False)):
        step(work, "mia", cartons, "enter", value=value, unit="t")
        if elsewhere:
            request_events.clear()  # as in a process that did not make the write
        with touched_queries(work) as asked:
            check(work, "incremental")
        assert bool(asked) == elsewhere, asked
