"""The FastAPI application factory: one workspace database per app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import esgledger
from esgledger.api import errors
from esgledger.api.routes import router
from esgledger.ledger.workspace import open_workspace

PREFIX = "/api/v1"


def create_app(db_target: str) -> FastAPI:
    """The API for the workspace at ``db_target`` (SQLite path or PostgreSQL URL).

    The workspace must exist and be migrated (as for every ``esg`` command); the schema is
    published at ``/api/v1/openapi.json`` with interactive docs at ``/api/v1/docs``.
    """
    database = open_workspace(db_target)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title="esgledger API",
        version=esgledger.__version__,
        description="Read-only access to an esgledger workspace. Every request needs "
        "`Authorization: Bearer <token>`; every error is RFC 9457 problem details.",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=f"{PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = database
    app.include_router(router, prefix=PREFIX)
    errors.install(app)
    return app
