"""`esg serve`: the web app and the JSON API (``/api/v1``) on a workspace, with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.cli.common import DbOption, db_target
from esgledger.cli.output import console


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web app and the JSON API (`/api/v1`, bearer tokens) for the whole team."""
    import uvicorn

    from esgledger.api.app import create_app

    api = create_app(db_target(db))
    console.print(
        f"Web app on http://{host}:{port}/ (log in with an `esg user` account); "
        f"API on http://{host}:{port}/api/v1 (schema: /api/v1/openapi.json). Ctrl+C stops.",
        soft_wrap=True,
    )
    uvicorn.run(api, host=host, port=port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
