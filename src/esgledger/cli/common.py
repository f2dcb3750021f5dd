"""Options and helpers every command shares."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.cli.output import lock_wait_notice
from esgledger.ledger.db import Database
from esgledger.ledger.workspace import open_workspace
from esgledger.settings import get_settings

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Workspace database: a SQLite file path or postgresql+psycopg://… URL "
        "[default: $ESG_DATABASE_URL or ./esg.db]",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SheetOption = Annotated[
    str | None,
    typer.Option("--sheet", help="XLSX sheet to read (default: the one named after the data)."),
]


def db_target(db: str | None) -> str:
    return db or get_settings().database_url


def workspace(db: str | None) -> Database:
    """The workspace a command works on; a write that must wait says so on stderr."""
    database = open_workspace(db_target(db))
    database.on_lock_wait = lock_wait_notice
    return database


def actor() -> str:
    return get_settings().actor
