"""Issue #14, "reads far from the floor": on SQLite a warm KPI read is answered before any
routing, from the answer kept for the ledger's state, the token and the URL, while nothing
was committed (``PRAGMA data_version`` on a private connection). These tests hold that the
replayed answer is the route's own to the byte and header, takes no database connection
and no worker thread, and is never given after a change, to another token, or to a token
whose user lost the right. On PostgreSQL the check is the state stamp, read on a connection
of the replay's own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from esgledger.auth.users import set_active
from esgledger.ledger.kpis import import_kpis
from tests.api.conftest import YEAR, Api, problem
from tests.api.test_read_statements import statements
from tests.api.test_read_thread_hops import hops

pytestmark = pytest.mark.usefixtures("one_recheck_window")

KPIS = f"/kpis?year={YEAR}&years=2"


def _sqlite(api: Api) -> bool:
    return api.db.dialect == "sqlite"


def test_a_replayed_read_is_the_routes_answer_without_database_or_thread(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert api.call("mia", "GET", KPIS).status_code == 200  # the path answers replayable
    full = api.call("mia", "GET", KPIS)
    assert full.status_code == 200
    with statements(api) as seen, hops(monkeypatch) as threads:
        again = [api.call("mia", "GET", KPIS) for _ in range(3)]
    for answer in again:
        assert answer.status_code == 200 and answer.content == full.content
        assert answer.headers.items() == full.headers.items()  # security headers included
    assert seen == []  # not a statement on the app's connections
    # SQLite: the data version, asked in the event loop; PostgreSQL: the state stamp, asked
    # in the event loop too, on the watch's own connection: no worker thread on either (a
    # hop to a thread and back waited for the interpreter's lock under load: 56-62 ms p99
    # per question, measured inside the server by bench/api_tail.py)
    assert threads == []


@contextmanager
def watch_statements(api: Api) -> Iterator[list[str]]:
    """The statements the PostgreSQL watch sends inside the block (it talks to the server
    at the socket, on connections of its own); none on SQLite."""
    watch = api.client.app.state.change_watch  # type: ignore[attr-defined]
    sent = getattr(watch, "sent", 0)
    seen: list[str] = []
    yield seen
    seen += [getattr(watch, "sql", "")] * (getattr(watch, "sent", 0) - sent)


def test_a_kept_read_runs_no_sql_on_sqlite_and_one_statement_on_postgresql(api: Api) -> None:
    """Per kept read, one after the other: SQLite reads its data version (a counter in
    shared memory, no SQL); PostgreSQL sends the state stamp's one statement and nothing
    else (no ping before it, no transaction around it)."""
    api.call("mia", "GET", KPIS)
    api.call("mia", "GET", KPIS)
    with statements(api) as seen, watch_statements(api) as asked:
        for _ in range(4):
            assert api.call("mia", "GET", KPIS).status_code == 200
    assert seen == []
    assert len(asked) == (0 if _sqlite(api) else 4), asked
    assert all("audit_events" in q for q in asked), asked


def test_a_replayed_read_answers_304_to_its_own_tag(api: Api) -> None:
    tag = api.call("mia", "GET", KPIS).headers["etag"]
    for _ in range(2):
        unchanged = api.client.get("/api/v1" + KPIS, headers={
            **api.headers("mia"), "If-None-Match": f'W/"other", {tag}'})  # fmt: skip
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged.headers["etag"] == tag
        assert "content-length" not in unchanged.headers
        assert unchanged.headers["x-frame-options"] == "DENY"


def test_an_answer_is_kept_per_token_and_url(api: Api) -> None:
    assert api.call("mia", "GET", KPIS).status_code == 200
    problem(api.call("resi", "GET", KPIS), 403)  # a respondent may not read KPIs
    problem(api.call(None, "GET", KPIS), 401)
    wrong = api.client.get("/api/v1" + KPIS, headers={"Authorization": "Bearer esg_nope"})
    problem(wrong, 401)
    energy = api.call("mia", "GET", KPIS + "&area=energy")
    assert {k["area"] for k in energy.json()["kpis"]} == {"energy"}
    assert api.call("mia", "GET", KPIS).content != energy.content


def test_a_commit_from_anywhere_ends_the_replay(api: Api, tmp_path: Path) -> None:
    before = api.call("mia", "GET", KPIS)
    path = tmp_path / "k.csv"
    path.write_text(
        f"entity,year,metric,value,unit\nHQ,{YEAR},packaging.plastics,77.5,t\n", encoding="utf-8"
    )
    import_kpis(api.db, path, actor="ada")  # another engine: another connection commits
    after = api.call("mia", "GET", KPIS)
    assert after.headers["etag"] != before.headers["etag"]
    [row] = [k for k in after.json()["kpis"] if k["metric"] == "packaging.plastics" and not k["dims"]]  # fmt: skip
    assert row["values"][str(YEAR)] == 77.5
    with api.db.write() as session:
        set_active(session, "mia", False, actor="ada")
    problem(api.call("mia", "GET", KPIS), 401)  # the kept answer is not given to her now


def test_requests_at_once_share_one_question_to_a_blocking_watch(api: Api) -> None:
    """On PostgreSQL the watch asks the server; reads arriving together share one question
    (each waits for one asked after it arrived), and a change is still seen at once. On
    SQLite the watch reads a local counter without SQLAlchemy: no statement at all."""
    import asyncio

    import httpx
    from sqlalchemy import event

    app = api.client.app
    engine = app.state.db.engine  # type: ignore[attr-defined]
    asked: list[str] = []

    def record(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "audit_events" in statement:
            asked.append(statement)

    async def together(n: int) -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            calls = [client.get("/api/v1" + KPIS, headers=api.headers("mia")) for _ in range(n)]
            return await asyncio.gather(*calls)

    api.call("mia", "GET", KPIS)  # the path answers replayable
    first = api.call("mia", "GET", KPIS)  # and this answer is kept
    event.listen(engine, "before_cursor_execute", record)
    try:
        with watch_statements(api) as watched:
            answers = asyncio.run(together(16))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    asked += watched
    assert all(a.status_code == 200 and a.content == first.content for a in answers)
    if _sqlite(api):
        assert asked == []
    else:
        assert 1 <= len(asked) <= 3, asked  # not one per request
    with api.db.write() as session:
        set_active(session, "mia", False, actor="ada")
    problem(api.call("mia", "GET", KPIS), 401)  # a change by another connection is seen
