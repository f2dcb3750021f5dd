"""The JSON API's application: its routers, limits and problem-details errors.

The whole server (API and pages) is assembled by :mod:`esgledger.server`, which alone
knows both interfaces.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI

import esgledger
from esgledger.api import (
    account_routes,
    admin_routes,
    assess_routes,
    board_routes,
    import_routes,
    ohs_routes,
    regcert_routes,
    register_move_routes,
    register_routes,
    report_routes,
    service_routes,
    supplier_routes,
    supplier_write_routes,
    workflow_routes,
)
from esgledger.api.body_limit import BodyLimit
from esgledger.api.gate import RequestGate
from esgledger.api.replay import Replay
from esgledger.api.routes import router
from esgledger.api.schemas import Problem
from esgledger.http_shared import errors
from esgledger.http_shared.routes import include_once
from esgledger.ledger.change_watch import ChangeWatch, PostgresWatch
from esgledger.ledger.db import Database
from esgledger.settings import get_settings

PREFIX = "/api/v1"
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
API_ROUTERS = (
    router,
    workflow_routes.router,
    assess_routes.router,
    register_routes.router,
    board_routes.router,
    service_routes.router,
    regcert_routes.router,
    ohs_routes.router,
    register_move_routes.router,
    admin_routes.router,
    account_routes.router,
    import_routes.router,
    report_routes.router,
    supplier_routes.router,
    supplier_write_routes.router,
)


def create_api(database: Database, lifespan: Lifespan | None = None) -> FastAPI:
    """The API on an open workspace ``database``; the schema is published at
    ``/api/v1/openapi.json``; the interactive docs are the web page ``/api-docs`` (signed-in
    users only, Swagger UI served from the installed package, no CDN).
    """
    app = FastAPI(
        title="esgledger API",
        version=esgledger.__version__,
        description="Access to an esgledger workspace: read the ledger, run the data-request "
        "workflow, upload evidence, templates and imports. Every request needs "
        "`Authorization: Bearer <token>`; the user's role and entity grants decide what it may "
        "do. Every error is RFC 9457 problem details (`application/problem+json`).",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,  # see esgledger.web.pages.api_docs
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = database
    app.add_middleware(BodyLimit, max_bytes=get_settings().max_upload_mb * 1024 * 1024)
    include_once(app, API_ROUTERS, prefix=PREFIX)
    _document_problems(app)
    errors.install(app)
    app.add_middleware(RequestGate, limit=get_settings().db_pool_size)
    # outside the gate: a replayed answer needs no connection, so it never waits for one
    app.state.change_watch = _watch(database)  # closed with the database (esgledger.server)
    app.add_middleware(Replay, watch=app.state.change_watch, prefix=PREFIX + "/")
    return app


def _watch(database: Database) -> ChangeWatch | PostgresWatch:
    """What tells the replay of reads (:mod:`esgledger.api.replay`) the ledger changed."""
    if database.dialect == "postgresql":
        return PostgresWatch(database.url)
    return ChangeWatch(None if database.read_only else database.sqlite_path)


def _document_problems(app: FastAPI) -> None:
    """Publish the problem-details schema every error response refers to, and the
    statuses any operation may answer (busy, full disk, damaged data)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = Problem.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            errors.document_server_problems(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
