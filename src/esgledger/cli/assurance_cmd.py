"""``esg register assurance``: import external assurance engagements, list them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.registers.assurance import import_engagements, year_engagements

assurance_app = typer.Typer(
    help="The assurance register: engagements, their standard, level, scope and statement.",
    no_args_is_help=True,
)


@assurance_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Import engagements (ref, year, provider, standard: isae_3000, isae_3410 or
    aa1000as_v3, level, metrics, [entities,] signed_on, statement: a .pdf, .md or .txt file
    beside this one); all or nothing; a stored ref is restated."""
    with unexpected_failures(file.name):
        done = import_engagements(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} added, {done['replaced']} restated.")


@assurance_app.command("list")
def list_cmd(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Engagements with provider, standard, level, the metrics and entities in scope."""
    with workspace(db).read() as session:
        rows = year_engagements(session, year)
    if json:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} engagements",
        ["ref", "year", "provider", "standard", "level", "metrics", "entities", "signed"],
        (
            [
                r["ref"],
                r["year"],
                r["provider"],
                r["standard_name"],
                r["level"],
                ", ".join(r["metrics"]),
                ", ".join(r["entities"]) or "all",
                r["signed_on"],
            ]
            for r in rows
        ),
    )
