"""RFC 9457 problem details for every error the API returns.

One shape everywhere (``type``, ``title``, ``status``, ``detail``, plus ``errors`` or
``problems`` where a list helps): domain errors, bad or missing tokens, FastAPI's own
validation errors and unknown routes. A busy database (503 with ``Retry-After``), a full
or read-only disk (507), a change another user made to the same rows at the same moment
(409, reload) and damaged data (500 ``integrity-failure``, logged as an error) each
have their own status and title, as they have their own exit code in the CLI. An unexpected
failure is a bare 500 problem; the traceback goes to the server log, never to the client.
"""

from __future__ import annotations

import json
import logging
import math
from http import HTTPStatus
from typing import Any, NamedTuple

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.sessions import TooManyAttempts
from esgledger.catalog.messages import N_, in_words, reason_in, translate
from esgledger.errors import (
    ConcurrentChange,
    Conflict,
    Contention,
    DatabaseError,
    EsgError,
    ImportRejected,
    IntegrityFailure,
    InvalidInput,
    NotFound,
    StorageFailure,
    printable,
)
from esgledger.http_shared.accept_language import HTML_LANG, from_accept_language
from esgledger.ledger.known_failures import known_failure
from esgledger.settings import get_settings

log = logging.getLogger(__name__)

PROBLEM_TYPE = "urn:esgledger:problem:"
MEDIA_TYPE = "application/problem+json"


class Unauthorized(EsgError):
    """No token, or a token that is unknown, revoked or belongs to a disabled user (401)."""


class Kind(NamedTuple):
    """How one kind of domain error answers over HTTP."""

    status: int
    slug: str
    title: str | None = None  # None: the status's phrase


# Most specific first: the first class an error is an instance of decides the status.
# IntegrityFailure subclasses InvalidInput, so it must come before it.
_KINDS: tuple[tuple[type[EsgError], Kind], ...] = (
    (Unauthorized, Kind(401, "unauthorized")),
    (PermissionDenied, Kind(403, "forbidden")),
    (TooManyAttempts, Kind(429, "too-many-requests")),
    (NotFound, Kind(404, "not-found")),
    (Conflict, Kind(409, "conflict")),
    (ConcurrentChange, Kind(409, "conflict")),  # a Contention, but a stale edit: reload
    (ImportRejected, Kind(422, "import-rejected")),
    (IntegrityFailure, Kind(500, "integrity-failure", "Data integrity failure")),
    (InvalidInput, Kind(422, "invalid-input")),
    (Contention, Kind(503, "database-busy", "Database busy")),
    (StorageFailure, Kind(507, "storage-failure", "Storage unavailable")),
    (DatabaseError, Kind(503, "database-unavailable")),
    (EsgError, Kind(400, "bad-request")),
)


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem-details response; ``slug`` names the ``type`` and ``title`` heads it
    (default for both: the status's phrase)."""
    phrase = HTTPStatus(status).phrase
    body = {
        "type": PROBLEM_TYPE + (slug or phrase.lower().replace(" ", "-").replace("'", "")),
        "title": title or phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(
        jsonable_encoder(body), status_code=status, headers=headers, media_type=MEDIA_TYPE
    )


def kind_of(exc: EsgError) -> Kind:
    """How a domain error answers: the API's and the pages' one rule."""
    return next(kind for cls, kind in _KINDS if isinstance(exc, cls))


def status_of(exc: EsgError) -> tuple[int, str]:
    """The HTTP status (and problem type) of a domain error."""
    kind = kind_of(exc)
    return kind.status, kind.slug


def headers_of(exc: EsgError) -> dict[str, str]:
    """Headers a client acts on: when to retry a busy database, how to authenticate."""
    if isinstance(exc, Contention) and not isinstance(exc, ConcurrentChange):
        return {"Retry-After": str(max(1, math.ceil(get_settings().lock_wait_seconds)))}
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": "Bearer"}
    return {}


def log_failure(exc: EsgError, path: str) -> None:
    """Damaged data and a failing disk are for the operator too: one line each in the log."""
    if isinstance(exc, IntegrityFailure):
        log.error("integrity failure on %s: %s", path, one_line(exc))
    elif isinstance(exc, StorageFailure):
        log.error("storage failure on %s: %s", path, one_line(exc))


def esg_problem(exc: EsgError, lang: str = "en") -> JSONResponse:
    """The problem document of a domain error; its ``detail`` in ``lang`` where the error
    names its message (:func:`esgledger.errors.worded`), with ``Content-Language`` saying so."""
    kind = kind_of(exc)
    extra: dict[str, Any] = {}
    headers = headers_of(exc)
    detail = one_line(exc)
    worded = lang != "en" and (exc.message_id or isinstance(exc, ImportRejected))
    if worded:
        detail = one_line_in(exc, lang)
        headers["Content-Language"] = HTML_LANG[lang]
    if isinstance(exc, ImportRejected):
        extra["problems"] = [
            {"row": p.row, "column": p.column, "reason": reason_in(p, lang) if worded else p.reason}
            for p in exc.problems
        ]
    return problem(
        kind.status, detail, slug=kind.slug, title=kind.title, headers=headers or None, **extra
    )


def one_line(exc: EsgError) -> str:
    """The error's message on one line; a refused file says its first problem and a count
    (every problem is in the ``problems`` list beside it)."""
    if isinstance(exc, ImportRejected) and exc.problems:
        first = exc.problems[0].format(exc.source)
        more = exc.total - 1
        extra = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
        return f"{first}{extra}; nothing was imported"
    return " ".join(str(exc).split("\n"))


def one_line_in(exc: EsgError, lang: str) -> str:
    """:func:`one_line` in ``lang``: a named message from the catalog; a refused file's first
    problem where it is, its reason as its check named it, and the count."""
    if not isinstance(exc, ImportRejected) or not exc.problems:
        return " ".join(in_words(exc, lang).split("\n"))
    first = exc.problems[0]
    where = {"file": printable(exc.source), "row": first.row, "column": first.column}
    if first.row is not None and first.column:
        place = translate(N_("%(file)s, row %(row)s, column %(column)r"), lang) % where
    elif first.row is not None:
        place = translate(N_("%(file)s, row %(row)s"), lang) % where
    else:
        place = printable(exc.source)
    said = {"first": place + translate(": ", lang) + printable(reason_in(first, lang))}
    more = exc.total - 1
    if more <= 0:
        return translate(N_("%(first)s; nothing was imported"), lang) % said
    message = (
        N_("%(first)s (and %(num)s more problem); nothing was imported")
        if more == 1
        else N_("%(first)s (and %(num)s more problems); nothing was imported")
    )
    return translate(message, lang) % {**said, "num": more}


def asked_language(request: Request) -> str:
    """The language an API client asks its errors in (``Accept-Language``), else English."""
    return from_accept_language(request.headers.get("accept-language")) or "en"


async def _on_esg_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EsgError)
    log_failure(exc, request.url.path)
    return esg_problem(exc, asked_language(request))


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


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A driver or disk failure that means busy, full or damaged answers as such; anything
    else is a bug: a bare 500, the traceback in the server log."""
    known = known_failure(exc)
    if known is not None:
        return await _on_esg_error(request, known)
    log.exception("unexpected error", exc_info=exc)
    return problem(500, "unexpected server error; the server log has the details")


_PROBLEM_REF = {"schema": {"$ref": "#/components/schemas/Problem"}}
SERVER_PROBLEMS: dict[str, dict[str, Any]] = {
    "500": {
        "description": "Damaged data (type `integrity-failure`: a stored file or archive does "
        "not match its digest) or a bug (the server log has the details); nothing was changed.",
        "content": {MEDIA_TYPE: _PROBLEM_REF},
    },
    "503": {
        "description": "The database was busy past `ESG_LOCK_WAIT_SECONDS` (type "
        "`database-busy`) or cannot be opened; nothing was changed, retry later.",
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before retrying a busy database.",
                "schema": {"type": "integer"},
            }
        },
        "content": {MEDIA_TYPE: _PROBLEM_REF},
    },
    "507": {
        "description": "The disk is full, read-only or failing (type `storage-failure`); "
        "nothing was changed.",
        "content": {MEDIA_TYPE: _PROBLEM_REF},
    },
}


# Any body can arrive unreadable (bytes that are not UTF-8 under a JSON type): the framework
# answers 400 before the operation runs, so every operation taking a body may answer it.
UNREADABLE_BODY: dict[str, Any] = {
    "description": "The body cannot be read (not valid UTF-8 or not of its declared type); "
    "nothing was changed.",
    "content": {MEDIA_TYPE: _PROBLEM_REF},
}


def document_server_problems(schema: dict[str, Any]) -> None:
    """Every operation may meet a busy database, a full disk or damaged data, and one that
    takes a body an unreadable body: say so."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, response in SERVER_PROBLEMS.items():
                responses.setdefault(status, response)
            if "requestBody" in operation:
                responses.setdefault("400", UNREADABLE_BODY)


def install(app: FastAPI) -> None:
    """Register the handlers so every error leaves the app as problem details."""
    app.add_exception_handler(EsgError, _on_esg_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
