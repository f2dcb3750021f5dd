"""Issue #14, "the API's per-request cost": `esg serve` leaves uvicorn to choose its HTTP
parser and event loop, and uvicorn takes the fast ones when they are installed. Measured on
the floor request, httptools and uvloop with one thread hop per read cost about a quarter
less server CPU than h11 and asyncio (bench/README.md): losing the dependencies must show."""

from __future__ import annotations

import uvicorn
from starlette.types import Receive, Scope, Send


async def _app(scope: Scope, receive: Receive, send: Send) -> None:  # never called
    raise AssertionError("not served")


def test_the_server_parses_http_with_httptools_on_uvloop() -> None:
    config = uvicorn.Config(app=_app)  # the defaults `esg serve` runs with
    config.load()
    assert config.http_protocol_class.__module__ == "uvicorn.protocols.http.httptools_impl"
    loop_factory = config.get_loop_factory()
    assert loop_factory is not None and loop_factory.__module__ == "uvloop"
