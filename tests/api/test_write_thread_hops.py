"""Issue #14, the write mix's server CPU: a data-entry write makes one hop to a worker thread
(its endpoint's, which writes, commits and then shapes the answer). Building the writer
(the request and its token, no I/O) was a sync dependency of its own, so FastAPI ran it on
a worker thread too: a second hop there and back on every write of every route."""

from __future__ import annotations

import pytest

from tests.api.conftest import YEAR, Api
from tests.api.test_read_thread_hops import hops


@pytest.mark.usefixtures("one_recheck_window")
def test_a_value_entry_hops_to_a_worker_thread_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = api.ok("mia", "POST", "/requests", 201, json={
        "year": YEAR, "metrics": ["packaging.plastics"], "owner": "olga", "due": "2099-03-31",
        "entities": ["HQ"]})  # fmt: skip
    (rid,) = issued["ids"]
    version = api.ok("olga", "POST", f"/requests/{rid}/value", json={
        "version": 1, "value": 1.5, "unit": "t"})["version"]  # fmt: skip
    with hops(monkeypatch) as seen:
        answer = api.ok("olga", "POST", f"/requests/{rid}/value", json={
            "version": version, "value": 2.5, "unit": "t"})  # fmt: skip
    assert (answer["value"], answer["version"]) == (2.5, version + 1)
    assert len(seen) == 1 and "request_enter" in seen[0], seen
