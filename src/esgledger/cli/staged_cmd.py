"""What ``esg register complaints`` and ``esg register vulns`` share: importing a file into
a staged register (:mod:`esgledger.registers.staged`) and moving a row to its next state.
Each command declares its own arguments and help and calls these."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json
from esgledger.registers.staged import StagedRegister, import_file

FileArg = Annotated[Path, typer.Argument(help="CSV or XLSX file.")]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")]
VersionOption = Annotated[
    int | None,
    typer.Option("--version", help="The version you saw; refused if it changed since."),
]
NoteOption = Annotated[str, typer.Option("--note", help="Why (kept in the audit log).")]


def add_import(app: typer.Typer, reg: StagedRegister, *, plural: str, help: str) -> None:
    """Add ``import FILE``: the file all or nothing, saying how many rows were added."""

    def import_cmd(
        file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
    ) -> None:
        with unexpected_failures(file.name):
            done = import_file(workspace(db), reg, file, actor=actor(), sheet=sheet).as_dict()
        if json:
            print_json(done)
        else:
            console.print(f"{file.name}: {done['added']} {plural} added.")

    app.command("import", help=help)(import_cmd)


def run_move(
    reg: StagedRegister,
    ref: str,
    state: str,
    *,
    version: int | None,
    note: str,
    db: str | None,
    json: bool,
    shown: tuple[str, ...] = ("ref", "state", "version"),
    **extra: Any,
) -> None:
    """Move ``ref`` to ``state`` (audit-logged) and print the fields ``shown``."""
    with workspace(db).write() as session:
        row = reg.move(
            session, ref=ref, target=state, actor=actor(), seen_version=version, note=note,
            **extra,
        )  # fmt: skip
        done = {field: getattr(row, field) for field in shown}
    if json:
        print_json(done)
    else:
        console.print(f"{done['ref']}: now {done['state']} (version {done['version']}).")
