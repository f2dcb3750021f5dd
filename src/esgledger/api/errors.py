"""RFC 9457 problem details for every error the API returns.

One shape everywhere (``type``, ``title``, ``status``, ``detail``, plus ``errors`` or
``problems`` where a list helps): domain errors, bad or missing tokens, FastAPI's own
validation errors and unknown routes. An unexpected failure is a bare 500 problem; the
traceback goes to the server log, never to the client.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.sessions import TooManyAttempts
from esgledger.errors import (
    Conflict,
    DatabaseError,
    EsgError,
    ImportRejected,
    InvalidInput,
    NotFound,
)

log = logging.getLogger(__name__)

PROBLEM_TYPE = "urn:esgledger:problem:"
MEDIA_TYPE = "application/problem+json"


class Unauthorized(EsgError):
    """No token, or a token that is unknown, revoked or belongs to a disabled user (401)."""


# Most specific first: the first class an error is an instance of decides the status.
_STATUS: tuple[tuple[type[EsgError], int, str], ...] = (
    (Unauthorized, 401, "unauthorized"),
    (PermissionDenied, 403, "forbidden"),
    (TooManyAttempts, 429, "too-many-requests"),
    (NotFound, 404, "not-found"),
    (Conflict, 409, "conflict"),
    (ImportRejected, 422, "import-rejected"),
    (InvalidInput, 422, "invalid-input"),
    (DatabaseError, 503, "database-unavailable"),
    (EsgError, 400, "bad-request"),
)


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem-details response; ``slug`` names the ``type`` (default: from the status)."""
    phrase = HTTPStatus(status).phrase
    body = {
        "type": PROBLEM_TYPE + (slug or phrase.lower().replace(" ", "-").replace("'", "")),
        "title": phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(
        jsonable_encoder(body), status_code=status, headers=headers, media_type=MEDIA_TYPE
    )


def status_of(exc: EsgError) -> tuple[int, str]:
    """The HTTP status (and problem type) of a domain error: the API's and the pages' one rule."""
    return next((st, sl) for cls, st, sl in _STATUS if isinstance(exc, cls))


def esg_problem(exc: EsgError) -> JSONResponse:
    status, slug = status_of(exc)
    extra: dict[str, Any] = {}
    headers = None
    if isinstance(exc, ImportRejected):
        extra["problems"] = [
            {"row": p.row, "column": p.column, "reason": p.reason} for p in exc.problems
        ]
    if isinstance(exc, Unauthorized):
        headers = {"WWW-Authenticate": "Bearer"}
    return problem(status, one_line(exc), slug=slug, headers=headers, **extra)


def one_line(exc: EsgError) -> str:
    """The error's message on one line; a refused file says its first problem and a count
    (every problem is in the ``problems`` list beside it)."""
    if isinstance(exc, ImportRejected) and exc.problems:
        first = exc.problems[0].format(exc.source)
        more = exc.total - 1
        extra = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
        return f"{first}{extra}; nothing was imported"
    return " ".join(str(exc).split("\n"))


async def _on_esg_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EsgError)
    return esg_problem(exc)


async def on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    if status == 404 and detail == "Not Found":
        detail = "no such endpoint; /api/v1/openapi.json lists them"
    return problem(status, detail, headers=getattr(exc, "headers", None))


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "header", "body", "cookie"):
        return f"{parts[0]} parameter {'.'.join(parts[1:])!r}" if parts[1:] else parts[0]
    return ".".join(parts)


def _echo(error: Any) -> Any:
    """The refused input as JSON can carry it: ``1e309`` parses to infinity, which JSON
    cannot encode, so such an input is echoed as text (the answer stays a 422)."""
    value = error.get("input")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return repr(value)[:200]
    return value


async def on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"location": list(e.get("loc", ())), "message": e.get("msg", ""), "input": _echo(e)}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{_where(e['location'])}: {e['message']}" for e in errors)
    return problem(422, detail or "invalid request", slug="invalid-request", errors=errors)


async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem(500, "unexpected server error; the server log has the details")


def install(app: FastAPI) -> None:
    """Register the handlers so every error leaves the app as problem details."""
    app.add_exception_handler(EsgError, _on_esg_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
