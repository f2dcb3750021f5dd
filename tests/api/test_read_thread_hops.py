"""Issue #14, "the API's per-request cost": every sync dependency or endpoint runs on a
worker thread, and each hop there and back costs the event loop and the thread more CPU
than a warm read's own work. A warm authenticated read makes one hop on SQLite (the
endpoint's; the session is made, checked and closed in the loop) and at most three on
PostgreSQL (the sign-in check, the endpoint, closing a session that talked to the server);
it used to make four on both (session opened, sign-in check, endpoint, session closed).
Counted by wrapping the one function Starlette and FastAPI hop through."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anyio.to_thread
import pytest

from esgledger.auth.tokens import list_tokens, revoke_token
from tests.api.conftest import YEAR, Api


@contextmanager
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the functions run on worker threads inside the block."""
    seen: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(func, "__name__", repr(func)))
        return await real(func, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(anyio.to_thread, "run_sync", counted)
        yield seen


@pytest.mark.usefixtures("one_recheck_window")  # no new sign-in window midway
def test_a_warm_authenticated_read_hops_to_a_worker_thread_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite = api.client.app.state.db.dialect == "sqlite"  # type: ignore[attr-defined]
    most = 1 if sqlite else 3
    # a warm KPI read is replayed before routing: no hop at all, the freshness question on
    # PostgreSQL asked in the event loop too (test_replay.py)
    for path, fewest in (("/me", 1), (f"/kpis?year={YEAR}&years=2", 0)):
        for _ in range(2):  # warms the caches (and teaches the replay the path)
            assert api.call("mia", "GET", path).status_code == 200
        with hops(monkeypatch) as seen:
            assert api.call("mia", "GET", path).status_code == 200
        assert fewest <= len(seen) <= (0 if fewest == 0 else most), (path, seen)


def test_a_revoked_token_is_refused_at_once_after_a_warm_read(api: Api) -> None:
    """The sign-in kept in the event loop is the one kept per ledger state: revoking the
    token moves the state, so the very next read checks it again and is refused."""
    assert api.call("mia", "GET", "/me").status_code == 200
    assert api.call("mia", "GET", "/me").status_code == 200
    db = api.client.app.state.db  # type: ignore[attr-defined]
    with db.write() as session:
        for row in list_tokens(session, "mia"):
            revoke_token(session, row.id, actor="test")
    assert api.call("mia", "GET", "/me").status_code == 401
