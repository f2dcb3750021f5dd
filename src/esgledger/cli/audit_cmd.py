"""Audit commands: verify the hash chain and read the log."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import EsgError
from esgledger.ledger import audit

audit_app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


class ChainBroken(EsgError):
    exit_code = 1


@audit_app.command("verify")
def audit_verify(db: DbOption = None, json: JsonOption = False) -> None:
    """Check every event's hash and link; name the first event that does not fit."""
    with workspace(db).read() as session:
        result = audit.verify(session)
    if json:
        print_json(result.as_dict())
        if not result.ok:
            raise typer.Exit(1)
        return
    if not result.ok:
        raise ChainBroken(
            f"audit chain broken at event {result.broken_id}: {result.reason} "
            f"({result.events} events before it verify)"
        )
    console.print(f"Audit chain verifies: {result.events} events.")


@audit_app.command("log")
def audit_log(
    limit: Annotated[int, typer.Option("--limit", help="How many of the newest events.")] = 50,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action, e.g. import.kpis.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List the newest audit events."""
    with workspace(db).read() as session:
        events = audit.events(session, limit=limit, action=action)
        rows = [
            {
                "id": e.id,
                "ts": e.ts.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "subject": e.subject,
                "payload": e.payload,
                "hash": e.hash,
            }
            for e in events
        ]
    if json:
        import json as _json

        for r in rows:
            r["payload"] = _json.loads(r["payload"])
        print_json(rows)
    else:
        print_table(
            "Audit log (newest first)",
            ["id", "time (UTC)", "actor", "action", "subject"],
            ([r["id"], r["ts"][:19], r["actor"], r["action"], r["subject"]] for r in rows),
        )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
