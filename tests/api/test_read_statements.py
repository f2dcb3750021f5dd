"""Issue #14, "reads far from the floor": a warm authenticated read costs the database next
to nothing. Once the token was checked and the KPI bytes kept for the ledger's state, a
read asks only whether the ledger changed (on SQLite ``PRAGMA data_version``; on PostgreSQL
the state stamp) — counted here with an SQLAlchemy event on the app's own engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.api.conftest import YEAR, Api

pytestmark = pytest.mark.usefixtures("one_recheck_window")


@contextmanager
def statements(api: Api) -> Iterator[list[str]]:
    """The SQL the app's engine runs inside the block (the driver's statements, BEGIN too)."""
    seen: list[str] = []
    engine = api.client.app.state.db.engine  # type: ignore[attr-defined]

    def record(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_warm_authenticated_read_asks_only_whether_the_ledger_changed(api: Api) -> None:
    for path in ("/me", f"/kpis?year={YEAR}&years=2"):
        assert api.call("mia", "GET", path).status_code == 200  # warms the caches
        with statements(api) as seen:
            assert api.call("mia", "GET", path).status_code == 200
            assert api.call("mia", "GET", path).status_code == 200
        print(path, seen)
        assert len(seen) <= 2 * 2, seen  # per request: BEGIN and the freshness question
