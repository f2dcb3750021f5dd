"""Issue #14: a data request's write holds the writer lock only for the write. The answer (the
request as ``GET /requests/{id}`` shows it) is read after the commit, in a read session (a
value entry reads only the names there, the rest it holds), and stays what it was: the same
body as a read of the request right after the write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from esgledger.workflow.request_list import request_dicts
from esgledger.workflow.requests import get_request
from tests.api.conftest import YEAR, Api

pytestmark = pytest.mark.usefixtures("one_recheck_window")

METRIC = "packaging.plastics"
DETAIL_ONLY = {"comments", "evidence", "history"}


@dataclass
class Seen:
    """The SQL the app's engine ran, split by whether it ran on a write connection."""

    in_write: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@contextmanager
def statements(api: Api) -> Iterator[Seen]:
    seen = Seen()
    engine = api.client.app.state.db.engine  # type: ignore[attr-defined]

    def record(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        writing = conn.get_execution_options().get("esg_write", False)
        (seen.in_write if writing else seen.outside).append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _answer_queries(api: Api, request_id: int) -> list[str]:
    """The statements that shape a request's answer (names and current value)."""
    with api.db.read() as session:
        req = get_request(session, request_id)
        engine = session.get_bind()
        shaped: list[str] = []

        def record(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            shaped.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            request_dicts(session, [req])
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert len(shaped) == 2, shaped
    return shaped


def test_a_request_write_answers_after_its_commit(api: Api) -> None:
    issued = api.ok("mia", "POST", "/requests", 201, json={
        "year": YEAR, "metrics": [METRIC], "owner": "olga", "due": "2099-03-31",
        "entities": ["HQ", "SZ1"], "reviewer": "rita"})  # fmt: skip
    rid, other = issued["ids"]
    steps = [
        ("olga", "value", {"version": 1, "value": 4.25, "unit": "t", "note": "meter"}),
        ("olga", "submit", {"version": 2}),
        ("rita", "return", {"version": 3, "comment": "March is missing"}),
        ("olga", "value", {"version": 4, "value": 4.5, "unit": "t"}),
        ("olga", "submit", {"version": 5}),
        ("rita", "approve", {"version": 6}),
        ("mia", "lock", {"version": 7}),
        ("mia", "restate", {"version": 8, "value": 4.75, "unit": "t", "reason": "recalibrated"}),
    ]
    # a first write of each kind warms the app's caches (sign-in, compiled statements)
    api.ok("olga", "POST", f"/requests/{other}/value", json={"version": 1, "value": 1, "unit": "t"})
    shaping = set(_answer_queries(api, rid))
    for user, step, body in steps:
        with statements(api) as seen:
            answer = api.ok(user, "POST", f"/requests/{rid}/{step}", json=body)
        assert seen.in_write, f"{step}: the write ran on a write connection"
        assert not shaping & set(seen.in_write), f"{step}: answer shaped inside the write"
        # a value entry holds its request and value: only the names are read after it
        # (test_value_answer_known.py)
        needed = {q for q in shaping if "FROM users" in q} if step == "value" else shaping
        assert needed <= set(seen.outside), f"{step}: answer shaped after the commit"
        shown = api.ok("aldo", "GET", f"/requests/{rid}")
        assert answer == {k: v for k, v in shown.items() if k not in DETAIL_ONLY}, step
    assert (answer["state"], answer["value"], answer["version"]) == ("submitted", 4.75, 9)
