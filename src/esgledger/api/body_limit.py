"""A cap on request bodies, for the API and the pages alike (``ESG_MAX_UPLOAD_MB``).

Without it a client could stream gigabytes into a form upload. The cap is enforced where the
body is read: a declared ``Content-Length`` above it is refused before a byte is read, and a
body without one (chunked) is refused as soon as it grows past it. The refusal is an HTTP
413 raised inside the app, so the API answers with its problem details and a page with its
error page, like any other error.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """ASGI middleware refusing (413) any request body larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> HTTPException:
        mb = self.max_bytes / (1024 * 1024)
        return HTTPException(
            413, f"the request body is larger than the server's limit of {mb:g} MB "
            "(ESG_MAX_UPLOAD_MB); send a smaller file",
        )  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        oversized = declared.isdigit() and int(declared) > self.max_bytes
        received = 0

        async def limited() -> Message:
            nonlocal received
            if oversized:
                raise self._too_large()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise self._too_large()
            return message

        await self.app(scope, limited, send)
