"""Workspace commands: init, db upgrade/status, backup, restore."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.claims_cmd import db_claims
from esgledger.cli.common import DbOption, JsonOption, actor, db_target
from esgledger.cli.db_check_cmd import db_check
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json
from esgledger.ledger.db import Database
from esgledger.ledger.migrate import current_revision, head_revision, upgrade
from esgledger.ledger.workspace import init_workspace

db_app = typer.Typer(
    help="Database schema and integrity: status, upgrades, checks.", no_args_is_help=True
)


def init(db: DbOption = None, json: JsonOption = False) -> None:
    """Create a workspace database (./esg.db by default) with the current schema."""
    database, created = init_workspace(db_target(db), actor=actor())
    result = {"database": database.display, "created": created, "revision": head_revision()}
    if json:
        print_json(result)
    elif created:
        console.print(f"Created workspace {database.display} (schema {head_revision()}).")
    else:
        console.print(f"Workspace {database.display} already exists; schema is {head_revision()}.")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring an older workspace database up to the current schema."""
    database = Database(db_target(db))
    before, after = upgrade(database)
    if before == after:
        console.print(f"{database.display} is already at schema {after}.")
    else:
        console.print(f"Upgraded {database.display} from {before or 'empty'} to {after}.")


@db_app.command("status")
def db_status(db: DbOption = None, json: JsonOption = False) -> None:
    """Show the schema revision of a workspace and the one this version needs."""
    database = Database(db_target(db))
    current, head = current_revision(database), head_revision()
    result = {
        "database": database.display,
        "revision": current,
        "head": head,
        "up_to_date": current == head,
    }
    if json:
        print_json(result)
    else:
        console.print(f"{database.display}: schema {current or 'none'} (this version needs {head})")


db_app.command("check")(db_check)
db_app.command("claims")(db_claims)


def backup(
    file: Annotated[Path, typer.Argument(help="Archive to write (.zip).")],
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing archive.")] = False,
    json: JsonOption = False,
) -> None:
    """Write the whole workspace, audit chain and activity store files too, to one archive."""
    from esgledger.cli.common import workspace
    from esgledger.ledger.backup import write_backup

    manifest = write_backup(workspace(db), file, overwrite=force)
    if json:
        print_json(manifest)
    else:
        rows = sum(t["rows"] for t in manifest["tables"].values())
        files = manifest.get("store_files", 0)
        store = f", {files} activity store files" if files else ""
        console.print(
            f"Wrote {file} ({len(manifest['tables'])} tables, {rows} rows{store}; "
            f"audit head {manifest['audit_head'] or 'none'})."
        )


def restore(
    file: Annotated[Path, typer.Argument(help="Archive written by `esg backup`.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Load an archive into an empty database (SQLite or PostgreSQL)."""
    from esgledger.ledger.restore import restore_backup

    with unexpected_failures(file.name):
        manifest = restore_backup(Database(db_target(db)), file)
    if json:
        print_json(manifest)
    else:
        rows = sum(t["rows"] for t in manifest["tables"].values())
        files = manifest.get("store_files", 0)
        store = f", {files} activity store files" if files else ""
        console.print(
            f"Restored {file} into {Database(db_target(db)).display} ({rows} rows{store}); "
            "the audit chain verifies."
        )


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.add_typer(db_app, name="db")
    app.command()(backup)
    app.command()(restore)
