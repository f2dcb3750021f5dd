"""One shape for the registers' read-only list routes: ``GET`` with a year, an entity, the
register's own filters, a search and a page (limit, offset), answering ``{"total", "rows"}``
as the CLI's ``--json`` prints it. Reading needs ``kpis.read`` (the rows are the figures'
evidence across entities).

:func:`list_route` builds the endpoint from the lister's keyword arguments, so a register's
route is its declaration only (filters and texts), never another copy of the body.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.registers.listing import MAX_LIMIT

ERRORS = s.problems(401, 403, 422)
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Skip this many.")]
Lister = Callable[..., Any]  # (session, *, year, entity, <filters>, search, limit, offset)


def year_query(help: str = "Only this year.") -> Any:
    return Annotated[int | None, Query(ge=1900, le=2100, description=help)]


def text_query(help: str, *, max_length: int = 24) -> Any:
    return Annotated[str | None, Query(max_length=max_length, description=help)]


def _param(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def list_route(
    router: APIRouter,
    path: str,
    *,
    name: str,
    summary: str,
    response_model: Any,
    lister: Lister,
    filters: Mapping[str, Any] = {},
    year_help: str = "Only this year.",
    search_help: str = "Text the rows contain.",
) -> None:
    """Add ``GET path`` listing ``lister``'s rows; ``filters`` maps each of the register's
    own query parameters to its annotated type (default: absent)."""

    def endpoint(session: Any, user: Any, **query: Any) -> Response:
        require(user, "kpis.read")
        return as_json(lister(session, **query))

    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            _param("session", SessionDep, inspect.Parameter.empty),
            _param("user", UserDep, inspect.Parameter.empty),
            _param("year", year_query(year_help)),
            _param("entity", text_query("Only this entity.", max_length=64)),
            *(_param(key, annotation) for key, annotation in filters.items()),
            _param("search", text_query(search_help, max_length=100)),
            _param("limit", Limit, 100),
            _param("offset", Offset, 0),
        ]
    )
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        name=name,
        tags=["registers"],
        summary=summary,
        response_model=response_model,
        responses=ERRORS,
    )
