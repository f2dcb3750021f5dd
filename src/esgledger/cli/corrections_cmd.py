"""``esg activities void`` and ``unvoid``: correct stored activity rows, keeping history."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json
from esgledger.ledger.voiding import Selection, unvoid_activities, void_activities

IdsOption = Annotated[
    list[int] | None,
    typer.Option("--id", help="An activity row id (repeatable); `esg activities list` shows them."),
]
BatchOption = Annotated[
    int | None, typer.Option("--batch", help="Every row of this import batch.", show_default=False)
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why (required): kept on the rows and in the audit log.")
]


def _print(summary: dict[str, Any], done: str, json: bool) -> None:
    if json:
        print_json(summary)
    else:
        console.print(f"{summary['rows']} activity rows {done}: {summary['reason']}")


def void_cmd(
    reason: ReasonOption,
    ids: IdsOption = None,
    batch: BatchOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Void activity rows (by id or a whole batch): kept in history, counted nowhere."""
    selection = Selection(tuple(ids or ()), batch)
    _print(void_activities(workspace(db), selection, reason=reason, actor=actor()), "voided", json)


def unvoid_cmd(
    reason: ReasonOption,
    ids: IdsOption = None,
    batch: BatchOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Make voided activity rows count again; refused while a live row holds their key."""
    selection = Selection(tuple(ids or ()), batch)
    summary = unvoid_activities(workspace(db), selection, reason=reason, actor=actor())
    _print(summary, "count again", json)


def register(app: typer.Typer) -> None:
    app.command("void")(void_cmd)
    app.command("unvoid")(unvoid_cmd)
