"""Register commands (#17): import OHS hours and incidents, list incidents with their SLA
clocks, move an incident along its flow."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.assurance_cmd import assurance_app
from esgledger.cli.board_cmd import board_app
from esgledger.cli.certification_cmd import certifications_app
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.complaints_cmd import complaints_app
from esgledger.cli.giving_cmd import giving_app
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.ohs_safety_cmd import add_safety_commands
from esgledger.cli.output import console, print_json, print_table
from esgledger.cli.training_cmd import training_app
from esgledger.cli.vulns_cmd import vulns_app
from esgledger.cli.whistle_cmd import whistle_app
from esgledger.ledger.register_models import OhsIncident
from esgledger.registers.listing import list_hours, list_incidents
from esgledger.registers.ohs import INCIDENTS, import_hours, import_incidents
from esgledger.registers.transitions import move

register_app = typer.Typer(
    help="Registers behind social and governance KPIs: OHS, whistleblowing, board, training.",
    no_args_is_help=True,
)
ohs_app = typer.Typer(
    help="The OHS registers: hours worked, incidents and their states, hazards, drills, "
    "special-operation workers.",
    no_args_is_help=True,
)

FileArg = Annotated[Path, typer.Argument(help="CSV or XLSX file.")]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")]


@ohs_app.command("import-hours")
def import_hours_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import hours worked (columns entity, year, worker_type, hours); all or nothing."""
    with unexpected_failures(file.name):
        done = import_hours(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} added, {done['replaced']} replaced.")


@ohs_app.command("import-incidents")
def import_incidents_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import incidents (ref, entity, date, worker_type, kind, high_consequence, lost_days
    [, description]); all or nothing."""
    with unexpected_failures(file.name):
        done = import_incidents(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} incidents added.")


@ohs_app.command("hours")
def hours_cmd(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Hours worked per entity, year and worker type."""
    with workspace(db).read() as session:
        rows = list_hours(session, year=year)
    if json:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} hours rows",
        ["entity", "year", "worker type", "hours"],
        ([r["entity"], r["year"], r["worker_type"], f"{r['hours']:,.0f}"] for r in rows),
    )


@ohs_app.command("incidents")
def incidents_cmd(
    state: Annotated[
        str | None, typer.Option("--state", help=f"Only this state: {', '.join(INCIDENTS.states)}.")
    ] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only incidents past their state's SLA.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)] = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Incidents, newest first, with the SLA clock of their state."""
    with workspace(db).read() as session:
        found = list_incidents(
            session, state=state, entity=entity, year=year, overdue=overdue, limit=limit
        )
    if json:
        print_json(found)
        return
    rows = found["rows"]
    print_table(
        f"{len(rows)} of {found['total']} incidents",
        ["ref", "entity", "date", "worker", "kind", "lost days", "state", "due", "version"],
        (
            [
                r["ref"],
                r["entity"],
                r["date"],
                r["worker_type"],
                r["kind"],
                r["lost_days"],
                r["state"],
                (r["clock"]["due"] or "—")[:10] + (" overdue" if r["clock"]["overdue"] else ""),
                r["version"],
            ]
            for r in rows
        ),
    )


@ohs_app.command("move")
def move_cmd(
    ref: Annotated[str, typer.Argument(help="The incident's ref.")],
    state: Annotated[str, typer.Argument(help=f"New state: {', '.join(INCIDENTS.states)}.")],
    version: Annotated[
        int | None,
        typer.Option("--version", help="The version you saw; refused if it changed since."),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Why (kept in the audit log).")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Move an incident to another state along its flow (audit-logged)."""
    with workspace(db).write() as session:
        row = move(
            session,
            OhsIncident,
            INCIDENTS,
            ref=ref,
            target=state,
            actor=actor(),
            seen_version=version,
            note=note,
        )
        done = {"ref": row.ref, "state": row.state, "version": row.version}
    if json:
        print_json(done)
    else:
        console.print(f"{done['ref']}: now {done['state']} (version {done['version']}).")


add_safety_commands(ohs_app)


def register(app: typer.Typer) -> None:
    register_app.add_typer(ohs_app, name="ohs")
    register_app.add_typer(whistle_app, name="whistle")
    register_app.add_typer(board_app, name="board")
    register_app.add_typer(training_app, name="training")
    register_app.add_typer(complaints_app, name="complaints")
    register_app.add_typer(vulns_app, name="vulns")
    register_app.add_typer(certifications_app, name="certifications")
    register_app.add_typer(assurance_app, name="assurance")
    register_app.add_typer(giving_app, name="giving")
    app.add_typer(register_app, name="register")
