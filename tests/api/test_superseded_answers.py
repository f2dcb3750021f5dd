"""Issue #14, the write mix's server CPU: the KPI body of a ledger state (hundreds of
kilobytes) is kept for that state only. The ledger's state moves forward with every write,
so a kept body and a kept answer of an older state of the same database can never be asked
for again; keeping up to 64 bodies and 256 answers of them held a quarter of a gigabyte on a
large table, and every new body was fresh memory for the kernel to fault in (about half a
millisecond of a read after a write). They are dropped when the newer state's is kept."""

from __future__ import annotations

from collections.abc import Hashable

import pytest
from starlette.types import ASGIApp

from esgledger.api import state_bodies
from esgledger.api.replay import Replay
from esgledger.ledger.state import superseded
from tests.api.conftest import YEAR, Api

pytestmark = pytest.mark.usefixtures("one_recheck_window")


def _replay(api: Api) -> Replay:
    app: ASGIApp | None = api.client.app.middleware_stack  # type: ignore[attr-defined]
    while app is not None and not isinstance(app, Replay):
        app = getattr(app, "app", None)
    assert app is not None
    return app


def _states(keys: list[Hashable]) -> set[object]:
    return {key[0] for key in keys if isinstance(key, tuple)}


def test_bodies_and_answers_of_older_states_are_dropped(api: Api) -> None:
    issued = api.ok("mia", "POST", "/requests", 201, json={
        "year": YEAR, "metrics": ["packaging.cartons"], "owner": "mia",
        "due": "2099-03-31", "entities": ["SZ1"]})  # fmt: skip
    [rid] = issued["ids"]
    path = f"/kpis?year={YEAR}&years=2"
    replay = _replay(api)
    state_bodies.clear()  # bodies of other tests' databases stay until they age out
    assert api.call("mia", "GET", path).status_code == 200  # the path is known replayable
    version, tags = 1, set()
    for value in range(1, 6):
        version = api.ok("mia", "POST", f"/requests/{rid}/value", json={
            "version": version, "value": value, "unit": "t"})["version"]  # fmt: skip
        for user in ("mia", "aldo"):  # two tokens: two answers of the same state
            answer = api.call(user, "GET", path)
            assert answer.status_code == 200
            tags.add(answer.headers["etag"])
        assert len(_states(list(state_bodies._bodies._entries))) == 1
        assert len(_states(list(replay._answers._entries))) == 1
        assert len(replay._answers._entries) == 2  # both tokens' answers of this state
    again = api.call("aldo", "GET", path)  # the kept answer of the current state
    assert again.headers["etag"] in tags and again.status_code == 200


def test_only_older_states_of_the_same_database_are_superseded() -> None:
    now = ("sqlite:///a.db", 10, "h10", "2026-12-05", 7)
    assert superseded(("sqlite:///a.db", 9, "h9", "2026-12-04", 7), now)
    assert superseded(("sqlite:///a.db", 10, "h10", "2026-12-04", 6), now)  # same event
    assert not superseded(now, now)
    assert not superseded(("sqlite:///a.db", 11, "h11", "2026-12-05", 7), now)  # newer
    assert not superseded(("sqlite:///b.db", 9, "h9", "2026-12-04", 7), now)  # another file
    assert not superseded(("sqlite:///a.db", "user.", 9, "h9"), now)  # another kind of stamp
    assert superseded(("sqlite:///a.db", None, None, None, None), now)  # an empty log, then
