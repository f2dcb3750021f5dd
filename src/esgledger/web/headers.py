"""Security headers on every answer of the app (pages and API alike).

- no framing by any site (``frame-ancestors 'none'``, ``X-Frame-Options: DENY``): a page
  framed elsewhere could be clicked through (one click approved a request);
- a content security policy allowing only our own scripts, styles and forms (inline
  ``style`` attributes are allowed: the templates use them for bars and layout);
- ``Cache-Control: no-store`` on everything but the stylesheet: after logout, Back must not
  show a cached audit log, and API answers carry figures of a signed-in user;
- no referrer across sites, no type sniffing.

The interactive API docs (``/api-docs``) serve Swagger UI from the installed package, so
they keep the same policy as every page.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
CACHEABLE = ("/static/",)


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = POLICY
                headers["X-Frame-Options"] = "DENY"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                if not path.startswith(CACHEABLE):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
