"""A gate in front of the app: at most as many requests inside as the pool has connections.

Every sync dependency and endpoint runs on a worker thread, one hop each, and a request
keeps its database connection between hops. Without a gate, a burst of requests takes
every worker thread waiting for a pooled connection while the requests holding the
connections wait for a thread to finish on: the server stalls until the pool times out
(500s and resets at about 60 clients). Behind the gate, requests beyond the limit wait in
the event loop, holding neither a thread nor a connection, and a request inside always
finds a free connection (the pool has room for two per admitted request: the sign-in
check and the page's own session), so every request is answered, only later.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send


class RequestGate:
    """ASGI middleware admitting at most ``limit`` HTTP requests at once, in arrival order."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit
        self._slots: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # made inside the running event loop
            self._slots = anyio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
