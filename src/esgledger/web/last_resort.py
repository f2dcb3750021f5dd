"""The innermost net for an unexpected failure, inside the security headers.

Starlette answers an exception no handler took in ``ServerErrorMiddleware``, which sits
outside every middleware we add: its 500 would leave without the security headers. This
middleware sits just inside :class:`~esgledger.web.headers.SecurityHeaders` and turns the
exception into the app's own answer (an HTML page, or problem details under ``/api/``), so
a 500 is dressed like every other answer and never shows a traceback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Handler = Callable[[Request, Exception], Awaitable[Response]]


class LastResort:
    """ASGI middleware answering any exception with ``handler``'s response."""

    def __init__(self, app: ASGIApp, handler: Handler):
        self.app = app
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as exc:
            if started:  # half an answer is out: only the server can close the connection
                raise
            response = await self.handler(Request(scope, receive), exc)
            await response(scope, receive, send)
