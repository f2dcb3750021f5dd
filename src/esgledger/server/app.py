"""The application for one workspace: the JSON API under ``/api/v1`` and the pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from esgledger.api.app import create_api
from esgledger.ledger.workspace import open_workspace
from esgledger.settings import get_settings
from esgledger.web import install as install_web


def create_app(db_target: str) -> FastAPI:
    """The server for the workspace at ``db_target`` (SQLite path or PostgreSQL URL).

    The workspace must exist and be migrated (as for every ``esg`` command).
    """
    database = open_workspace(db_target)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        previews = getattr(app.state, "previews", None)  # the web's report preview jobs
        if previews is not None:
            previews.close()
        app.state.change_watch.close()  # the API's own connection for the replay of reads
        database.dispose()

    app = create_api(database, lifespan)
    install_web(app)  # last: its security headers and last-resort handler wrap everything
    return app


def app_from_settings() -> FastAPI:
    """The app for the workspace in ``ESG_DATABASE_URL``: what each ``esg serve --workers``
    process builds for itself."""
    return create_app(get_settings().database_url)
