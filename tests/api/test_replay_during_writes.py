"""Issue #14, the mix's read tail, measured inside the server (`bench/api_tail.py
--write-share 0.2`): 90 % of the mix's reads took the whole path (sign-in, session, state,
route: six statements each), and all of the slowest 1 % had. Reads arriving together wait
for the one answering their question; when a write committed while they waited, each of
them then took the whole path on its own, although the first to do so answers all of them:
its state was read after they arrived, so it holds every commit they could have seen. Here
the reads left waiting by a commit wait once more, for that one read, and take its answer;
the answers are still a fresh read's after the commit."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from esgledger.api.replay import Replay
from esgledger.ledger.kpis import import_kpis
from tests.api.conftest import YEAR, Api
from tests.api.test_read_statements import statements

pytestmark = pytest.mark.usefixtures("one_recheck_window")

KPIS = f"/api/v1/kpis?year={YEAR}&years=2"


def _together(api: Api, n: int) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=api.client.app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            calls = [client.get(KPIS, headers=api.headers("mia")) for _ in range(n)]
            return await asyncio.gather(*calls)

    return asyncio.run(run())


def _commit(api: Api, folder: Path, value: float) -> None:
    path = folder / f"k{value}.csv"
    path.write_text(
        "entity,year,metric,value,unit,restatement_reason\n"
        f"HQ,{YEAR},packaging.plastics,{value},t,weighbridge recalibrated\n",
        encoding="utf-8",
    )
    import_kpis(api.db, path, actor="ada")  # another engine: another connection commits


def test_reads_left_waiting_by_a_commit_share_one_whole_path(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _together(api, 1)  # the path answers replayable
    with statements(api) as alone:
        _commit(api, tmp_path, 11.0)
        _together(api, 1)  # one read's whole path after a commit
    whole = len(alone)
    assert whole >= 3, alone
    answering = Replay._answer_and_keep
    commits = iter([12.0])
    paths: list[int] = []  # reads that took the whole path

    async def answer_during_a_commit(replay: Replay, *args: Any) -> Any:
        paths.append(1)
        value = next(commits, None)
        if value is not None:  # the first read answering: a write commits while it does
            _commit(api, tmp_path, value)
        return await answering(replay, *args)

    monkeypatch.setattr(Replay, "_answer_and_keep", answer_during_a_commit)
    _commit(api, tmp_path, 13.0)  # a new state: the next read takes the whole path
    with statements(api) as seen:
        answers = _together(api, 16)
    monkeypatch.undo()
    fresh = _together(api, 1)[0]
    assert all(a.status_code == 200 for a in answers)
    # the first read's answer is of the state it read (after the commit made meanwhile);
    # every other read arrived before that commit ended, so it may get that state or a later
    assert {a.content for a in answers} == {fresh.content}
    # the first read's whole path, and one more for those it left waiting: not one each
    assert len(paths) <= 2, (len(paths), whole, len(seen))
    assert len(seen) <= 2 * whole, (whole, len(seen))
