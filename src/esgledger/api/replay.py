"""Answers of state-bound reads replayed while the ledger is unchanged, before any routing.

A read such as ``GET /api/v1/kpis`` answers the same bytes to the same token for as long as
the ledger's state (:mod:`esgledger.ledger.state`) is the same: its body is kept per state
already (:mod:`esgledger.api.state_bodies`), and the token's sign-in is kept while no
account, token, grant or entity changed (:mod:`esgledger.api.sign_in`). What remained per
request was the framework's routing and dependencies, a session, a worker thread and the
state check: twenty times the cost of the HTTP answer itself. Here, in front of all that:

- a route that answers from state-bound data marks its 200 answer :func:`replayable`, naming
  the state its session read;
- this middleware keeps that answer under (state, token, sign-in window, path and query),
  and the version seen when the request arrived (SQLite's data version) as the state's (the
  session read the state after that, so while the version is unchanged the state is too);
- a request arriving while the data version is unchanged, with a token and URL answered in
  this state and window, and before the token expires, gets the kept answer (304 when its
  ``If-None-Match`` names the tag), exactly what the route would give, without a database
  connection or a thread.

Reads asking the same question (token, window, URL) while one of them takes the whole path
wait for it and take its kept answer: at a window's end every connection's next read misses
at once, and fifty sign-in look-ups for one token were the slowest reads of a read-only run.

On PostgreSQL the version is the state stamp itself, read on the watch's own connections
(:class:`~esgledger.ledger.pg_watch.PostgresWatch`): one statement, sent and answered at the
socket, shared by the reads waiting for it, instead of the whole stack.
Anything else (another method, no token, a changed ledger, an unmarked route) takes the
usual path. A write moves the version, so the next
read is a full one.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from esgledger.api.deps import UNTIL
from esgledger.api.state_bodies import matches
from esgledger.auth.recheck import recheck_window
from esgledger.auth.tokens import token_hash
from esgledger.ledger.change_watch import ChangeWatch, PostgresWatch
from esgledger.ledger.state import State, superseded
from esgledger.ledger.state_cache import StateCache

Watch = ChangeWatch | PostgresWatch
MARK = "esg_replayable_state"  # key in the request's state (scope["state"])
MAX_ANSWERS = 256


def replayable(request: Request, state: State) -> None:
    """Mark this request's 200 answer as a function of ``state``, the token and the URL
    alone, to be replayed while the ledger stays in that state."""
    setattr(request.state, MARK, state)


class _Pending:
    """A question (token, window, URL) being answered the whole way now: what it answered
    (when kept), and when its version was asked (a count of :attr:`Replay._asked`)."""

    def __init__(self, asked: int) -> None:
        self.done = anyio.Event()
        self.asked = asked
        self.answer: Answer | None = None


@dataclass(frozen=True)
class Answer:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str | None
    until: float  # the token's expiry (seconds since the epoch): never replayed after it


class Replay:
    """ASGI middleware replaying kept answers of :func:`replayable` reads (see above)."""

    def __init__(self, app: ASGIApp, watch: Watch, prefix: str):
        self.app = app
        self.watch = watch
        self.prefix = prefix
        self._answers: StateCache[Answer] = StateCache(MAX_ANSWERS)
        self._seen: tuple[Hashable, State] | None = None  # (version, the state it names)
        self._paths: set[str] = set()  # paths whose answers were marked replayable
        # questions being answered the whole way now: others asking the same wait for them
        self._pending: dict[tuple[Any, ...], _Pending] = {}
        self._asked = 0  # counts the times a request starts asking the version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        token = _bearer(scope)
        if token is None or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        # only paths that answered replayable before are worth asking the watch about
        arrived = asked = self._asked = self._asked + 1  # before the version is asked
        version = await self._version() if scope["path"] in self._paths else None
        if version is None:
            await self.app(scope, receive, send)
            if scope.get("state", {}).get(MARK) is not None:
                self._paths.add(scope["path"])  # routes are few: the set stays small
            return
        window = recheck_window()
        where = (token_hash(token), window, scope["path"], scope.get("query_string", b""))
        kept = self._kept(version, where)
        for _ in range(2):  # at most twice: the second answerer asked after we arrived
            pending = self._pending.get(where)
            if kept is not None or pending is None:
                break
            # the same question is being answered the whole way now (a new window, a new
            # state): its answer is what this request would get if its version was asked
            # after this request arrived; else the version is asked again, so a commit made
            # meanwhile is seen, and a read answering after that answers this one too
            await pending.done.wait()
            if pending.asked > arrived and pending.answer is not None:
                kept = pending.answer if time.time() < pending.answer.until else None
                break
            asked = self._asked = self._asked + 1
            version = await self._version()
            kept = None if version is None else self._kept(version, where)
        if kept is not None:
            await _send(kept, scope, send)
            return
        if version is None:  # no version after all: the usual path, nothing kept
            await self.app(scope, receive, send)
            return
        if where in self._pending:  # waited twice already: not a third time
            await self._answer_and_keep(scope, receive, send, version, where)
            return
        self._pending[where] = pending = _Pending(asked)
        try:
            pending.answer = await self._answer_and_keep(scope, receive, send, version, where)
        finally:
            del self._pending[where]
            pending.done.set()

    def _kept(self, version: Hashable, where: tuple[Any, ...]) -> Answer | None:
        """The answer kept for ``where`` in the state ``version`` names, if still valid."""
        seen = self._seen
        if seen is None or seen[0] != version:
            return None
        kept = self._answers.peek((seen[1], *where))
        return kept if kept is not None and time.time() < kept.until else None

    async def _version(self) -> Hashable | None:
        """The watch's version. A watch asking a server (PostgreSQL) answers with a
        question sent after this call began, shared by every request waiting for it, so
        many requests at once cost one statement, not one each
        (:class:`~esgledger.ledger.pg_watch.PostgresWatch`)."""
        if isinstance(self.watch, ChangeWatch):  # a counter in shared memory
            return self.watch.version()
        return await self.watch.version()  # type: ignore[no-any-return]

    async def _answer_and_keep(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        version: Hashable,
        where: tuple[Any, ...],
    ) -> Answer | None:
        """The route's answer, sent, and kept (returned) when it is a whole replayable 200."""
        start: Message | None = None
        chunks: list[bytes] = []
        whole = True

        async def keeping(message: Message) -> None:
            nonlocal start, whole
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                whole = whole and (len(chunks) == 1 or not message.get("more_body", False))
            await send(message)

        await self.app(scope, receive, keeping)
        state = scope.get("state", {}).get(MARK)
        until = scope.get("state", {}).get(UNTIL)
        if state is None or until is None or start is None or start["status"] != 200:
            return None
        if not whole:
            return None
        headers = list(start.get("headers", []))
        etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
        key: Hashable = (state, *where)
        kept = self._answers.get(
            key, lambda: self._new(state, Answer(headers, b"".join(chunks), etag, until))
        )
        self._seen = (version, state)
        return kept

    def _new(self, state: State, answer: Answer) -> Answer:
        """``answer``, the first kept in ``state``: the answers of older states of the
        database go (nobody can ask for them again; each holds a whole body)."""
        self._answers.drop(lambda kept: superseded(kept[0], state))  # type: ignore[index]
        return answer


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token if scheme.lower() == "bearer" and token.strip() else None
    return None


async def _send(answer: Answer, scope: Scope, send: Send) -> None:
    if answer.etag is not None:
        wanted = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
        if wanted is not None and matches(wanted.decode("latin-1"), answer.etag):
            headers = [(b"etag", answer.etag.encode("latin-1"))]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
    await send({"type": "http.response.start", "status": 200, "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})
