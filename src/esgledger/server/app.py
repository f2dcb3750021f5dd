"""The application for one workspace: the JSON API under ``/api/v1`` and the pages."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from esgledger.api.app import create_api
from esgledger.ledger.workspace import open_workspace
from esgledger.settings import get_settings
from esgledger.web import install as install_web


def create_app(db_target: str, *, freeze: bool = False) -> FastAPI:
    """The server for the workspace at ``db_target`` (SQLite path or PostgreSQL URL).

    The workspace must exist and be migrated (as for every ``esg`` command). ``freeze``:
    a serving process's start-up (``esg serve``) ends with :func:`freeze_start_up`.
    """
    database = open_workspace(db_target)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if freeze:
            freeze_start_up()
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
    process builds for itself (frozen once started, :func:`freeze_start_up`)."""
    return create_app(get_settings().database_url, freeze=True)


def freeze_start_up() -> None:
    """Keep what start-up built (modules, the app, the catalog: ~306,000 objects that live
    as long as the server) out of every later collection. A full collection scanning them
    cost 160–171 ms with the event loop stopped, one every few seconds in a mix of reads and
    writes; frozen, a collection scans only what was made since (``bench/api_tail.py``).
    Only at a serving process's start-up (the app's lifespan, which ``esg serve`` runs and a
    test of ``esg serve``'s arguments does not): frozen objects' cycles are never collected."""
    gc.collect()
    gc.freeze()
