"""``esg register ohs`` commands of the OHS safety registers: import and list hazards,
emergency drills and special-operation workers (added to the OHS command group)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.registers.ohs import Imported
from esgledger.registers.ohs_safety import import_drills, import_hazards, import_operators
from esgledger.registers.ohs_safety_listing import (
    HAZARD_STATES,
    list_drills,
    list_hazards,
    list_operators,
)

FileArg = Annotated[Path, typer.Argument(help="CSV or XLSX file.")]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")]
EntityOption = Annotated[str | None, typer.Option("--entity", help="Only this entity.")]
SearchOption = Annotated[str | None, typer.Option("--search", help="Text the rows contain.")]
LimitOption = Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)]
Importer = Callable[..., Imported]


def _run_import(
    importer: Importer, file: Path, sheet: str | None, db: str | None, json: bool
) -> None:
    with unexpected_failures(file.name):
        done = importer(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} added, {done['replaced']} restated.")


def import_hazards_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import hazards (ref, entity, identified_on, category, risk_level [, description,
    corrected_on]); all or nothing; a stored ref is restated."""
    _run_import(import_hazards, file, sheet, db, json)


def import_drills_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import emergency drills (ref, entity, held_on, scenario, participants [, notes]); all
    or nothing; a stored ref is restated."""
    _run_import(import_drills, file, sheet, db, json)


def import_operators_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import special-operation workers (entity, person, operation, assigned_on [,
    certificate, issued_on, expires_on, left_on]); all or nothing; a stored entity, person
    and operation is restated."""
    _run_import(import_operators, file, sheet, db, json)


def hazards_cmd(
    year: Annotated[int | None, typer.Option("--year", help="Identified in this year.")] = None,
    entity: EntityOption = None,
    state: Annotated[
        str | None,
        typer.Option("--state", help=f"Only: {', '.join(HAZARD_STATES)} (at the year's end)."),
    ] = None,
    search: SearchOption = None,
    limit: LimitOption = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Hazards, newest first, with their risk level and correction."""
    if state is not None and state not in HAZARD_STATES:
        raise typer.BadParameter(
            f"{state!r} is not one of {', '.join(HAZARD_STATES)}", param_hint="--state"
        )
    with workspace(db).read() as session:
        found = list_hazards(
            session, year=year, entity=entity, state=state, search=search, limit=limit
        )
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} hazards",
        ["ref", "entity", "identified", "category", "risk level", "corrected", "state"],
        (
            [
                r["ref"],
                r["entity"],
                r["identified_on"],
                r["category"],
                r["risk_level"],
                r["corrected_on"] or "—",
                r["state"],
            ]
            for r in found["rows"]
        ),
    )


def drills_cmd(
    year: Annotated[int | None, typer.Option("--year", help="Held in this year.")] = None,
    entity: EntityOption = None,
    search: SearchOption = None,
    limit: LimitOption = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Emergency drills, newest first."""
    with workspace(db).read() as session:
        found = list_drills(session, year=year, entity=entity, search=search, limit=limit)
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} drills",
        ["ref", "entity", "held", "scenario", "participants"],
        (
            [r["ref"], r["entity"], r["held_on"], r["scenario"], r["participants"]]
            for r in found["rows"]
        ),
    )


def operators_cmd(
    year: Annotated[
        int | None, typer.Option("--year", help="Posts held on this year's last day.")
    ] = None,
    entity: EntityOption = None,
    uncertified: Annotated[
        bool, typer.Option("--uncertified", help="Only posts without a certificate in force.")
    ] = False,
    search: SearchOption = None,
    limit: LimitOption = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Special-operation workers with their certificate's status."""
    with workspace(db).read() as session:
        found = list_operators(
            session,
            year=year,
            entity=entity,
            certified=False if uncertified else None,
            search=search,
            limit=limit,
        )
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} special-operation posts",
        ["entity", "person", "operation", "assigned", "certificate", "expires", "status"],
        (
            [
                r["entity"],
                r["person"],
                r["operation"],
                r["assigned_on"],
                r["certificate"] or "—",
                r["expires_on"] or "—",
                r["certificate_status"],
            ]
            for r in found["rows"]
        ),
    )


def add_safety_commands(app: typer.Typer) -> None:
    """Add the hazard, drill and special-operator commands to the OHS command group."""
    app.command("import-hazards")(import_hazards_cmd)
    app.command("hazards")(hazards_cmd)
    app.command("import-drills")(import_drills_cmd)
    app.command("drills")(drills_cmd)
    app.command("import-operators")(import_operators_cmd)
    app.command("operators")(operators_cmd)
