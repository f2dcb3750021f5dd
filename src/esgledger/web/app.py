"""Mount the web pages on the FastAPI application.

The pages share the API's app, database and services. Errors on a page become HTML (the
API keeps its problem-details JSON): no session → the login form; anything else → the
error page with the one-line message, the right status and title (busy, full disk and
damaged data as the API tells them apart). An unexpected failure is answered inside the
security headers (:mod:`esgledger.web.last_resort`), so a 500 carries them too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from esgledger.auth.permissions import PermissionDenied
from esgledger.errors import EsgError
from esgledger.http_shared import errors as http_errors
from esgledger.http_shared.refusals import record_denied
from esgledger.http_shared.routes import include_once
from esgledger.ledger.known_failures import known_failure
from esgledger.web.deps import LoginRequired, login_url
from esgledger.web.headers import SecurityHeaders
from esgledger.web.language import chosen
from esgledger.web.last_resort import LastResort
from esgledger.web.page_messages import page_error
from esgledger.web.pages import PAGE_ROUTERS, api_docs
from esgledger.web.pages.login import login_keeping_form
from esgledger.web.templating import render

API_PREFIX = "/api/"
log = logging.getLogger(__name__)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


async def _on_esg_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EsgError)
    if isinstance(exc, PermissionDenied):
        await record_denied(request, exc)
    http_errors.log_failure(exc, request.url.path)
    if _is_api(request):
        return http_errors.esg_problem(exc, http_errors.asked_language(request))
    if isinstance(exc, LoginRequired):
        if request.method == "POST":  # a form typed before the session ended: keep it
            return await login_keeping_form(request, str(exc))
        return RedirectResponse(login_url(request), status_code=303)
    kind = http_errors.kind_of(exc)
    message = page_error(exc, chosen(request))  # in the page's language where it is worded
    context = {"message": message, "status": kind.status, "title": kind.title}
    page = render(request, "error.html", context, status=kind.status)
    page.headers.update(http_errors.headers_of(exc))
    return page


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request):
        return await http_errors.on_http_error(request, exc)
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == 404:
        message = "no such page"
    return render(
        request, "error.html", {"message": message, "status": exc.status_code},
        status=exc.status_code,
    )  # fmt: skip


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        return await http_errors.on_validation_error(request, exc)
    where = {"query": "in the address", "path": "in the address", "body": "in the form"}
    message = "; ".join(
        f"{e['loc'][-1]} {where.get(str(e['loc'][0]), '')}: {e['msg']}".replace("  ", " ")
        for e in exc.errors()
    )
    return render(request, "error.html", {"message": message, "status": 422}, status=422)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    known = known_failure(exc)  # a busy database or a full disk, met outside a write
    if known is not None:
        return await _on_esg_error(request, known)
    if _is_api(request):
        return await http_errors.on_unexpected(request, exc)
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    message = "unexpected server error; the server log has the details"
    return render(request, "error.html", {"message": message, "status": 500}, status=500)


def install(app: FastAPI) -> None:
    """Add the page routes, the stylesheet, HTML error pages and security headers."""
    api_docs.mount_assets(app)  # before /static, which would shadow it
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    include_once(app, PAGE_ROUTERS, include_in_schema=False)
    app.add_exception_handler(EsgError, _on_esg_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unexpected)
    app.add_middleware(LastResort, handler=_on_unexpected)
    app.add_middleware(SecurityHeaders)  # added last: outermost
