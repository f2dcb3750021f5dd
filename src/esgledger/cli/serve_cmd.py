"""`esg serve`: the web app and the JSON API (``/api/v1``) on a workspace, with uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, db_target
from esgledger.cli.output import console
from esgledger.settings import get_settings, reset_settings

MOST_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """One server process per CPU core this process may run on, at most
    :data:`MOST_DEFAULT_WORKERS`.

    The server is CPU-bound under load and one process runs Python on one core at a time,
    so a single process leaves the other cores idle. The cap: each process may open twice
    ``ESG_DB_POOL_SIZE`` (10) database connections, and PostgreSQL allows 100 by default;
    SQLite writers take turns anyway (:mod:`esgledger.ledger.writer_turn`). More processes
    are a deliberate ``--workers N``.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this system
        cores = os.cpu_count() or 1
    return max(1, min(cores, MOST_DEFAULT_WORKERS))


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port to listen on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help=f"Server processes; default: one per CPU core, at most {MOST_DEFAULT_WORKERS}.",
        ),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log every request (uvicorn's access log); off by default: it cost a kept "
            "read a quarter of its server CPU. Changes are in the audit log either way.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Serve the web app and the JSON API (`/api/v1`, bearer tokens) for the whole team."""
    import uvicorn

    target = db_target(db)
    workers = workers or default_workers()
    if workers == 1:
        from esgledger.server import create_app

        api = create_app(target, freeze=True)  # opens the workspace: a wrong --db fails here
    else:  # each process builds its own app: here the workspace is only checked, in one line
        from esgledger.ledger.workspace import open_workspace

        open_workspace(target).dispose()
    console.print(
        f"Web app on http://{host}:{port}/ (log in with an `esg user` account); "
        f"API on http://{host}:{port}/api/v1 (schema: /api/v1/openapi.json). Ctrl+C stops.",
        soft_wrap=True,
    )
    proxies = get_settings().trusted_proxies.strip()
    options = {"proxy_headers": bool(proxies), "forwarded_allow_ips": proxies or None}
    options["access_log"] = access_log  # uvicorn's per-request log: a cost in the event loop
    if workers == 1:
        uvicorn.run(api, host=host, port=port, **options)
        return
    # Each worker process builds its own app from the environment.
    os.environ["ESG_DATABASE_URL"] = target
    reset_settings()
    uvicorn.run(
        "esgledger.server:app_from_settings", factory=True, host=host, port=port,
        workers=workers, **options,
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
