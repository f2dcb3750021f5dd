"""``esg register training``: integrity commitment and training campaigns, LMS exports,
coverage by entity and worker type."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.registers.training import import_campaigns, import_records
from esgledger.registers.training_listing import campaign_coverage

training_app = typer.Typer(
    help="Integrity commitments and training: campaigns, LMS records, coverage.",
    no_args_is_help=True,
)

FileArg = Annotated[Path, typer.Argument(help="CSV or XLSX file.")]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")]


@training_app.command("import-campaigns")
def import_campaigns_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import campaigns (code, title, kind, topic, year, worker_types [, entities,
    pass_score]); all or nothing."""
    with unexpected_failures(file.name):
        done = import_campaigns(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} campaigns added.")


@training_app.command("import-records")
def import_records_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import an LMS export (campaign, person, entity, worker_type [, role, completed_on,
    score, hours]); all or nothing; it replaces the records of the campaigns it names."""
    with unexpected_failures(file.name):
        done = import_records(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} records stored, {done['replaced']} replaced.")


@training_app.command("coverage")
def coverage_cmd(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Each campaign's coverage by entity and worker type."""
    with workspace(db).read() as session:
        rows = campaign_coverage(session, year=year, entity=entity)
    if json:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} coverage rows",
        ["campaign", "kind", "year", "entity", "worker type", "required", "completed", "%"],
        (
            [
                r["campaign"],
                r["kind"],
                r["year"],
                r["entity"],
                r["worker_type"],
                r["required"],
                r["completed"],
                "—" if r["share"] is None else f"{r['share']:.1f}",
            ]
            for r in rows
        ),
    )
