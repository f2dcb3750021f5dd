"""``esg activities void`` and ``unvoid``: correct stored activity rows, keeping history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json
from esgledger.ledger.voiding import Selection, unvoid_activities, void_activities

Correction = Callable[..., dict[str, Any]]  # (db, selection, *, reason, actor) -> summary

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


def _command(correct: Correction, done: str, doc: str) -> Callable[..., None]:
    """One command per correction: the same options, its own service function and help."""

    def command(
        reason: ReasonOption,
        ids: IdsOption = None,
        batch: BatchOption = None,
        db: DbOption = None,
        json: JsonOption = False,
    ) -> None:
        selection = Selection(tuple(ids or ()), batch)
        summary = correct(workspace(db), selection, reason=reason, actor=actor())
        if json:
            print_json(summary)
        else:
            console.print(f"{summary['rows']} activity rows {done}: {summary['reason']}")

    command.__doc__ = doc
    return command


def register(app: typer.Typer) -> None:
    app.command("void")(
        _command(
            void_activities,
            "voided",
            "Void activity rows (by id or a whole batch): kept in history, counted nowhere.",
        )
    )
    app.command("unvoid")(
        _command(
            unvoid_activities,
            "count again",
            "Make voided activity rows count again; refused while a live row holds their key.",
        )
    )
