"""Factor library commands: list editions, show one, import a workspace edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, SheetOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput
from esgledger.ledger.factors import EditionMeta, import_edition, list_editions, show_edition

factors_app = typer.Typer(
    help="Versioned factor editions: shipped and your own.", no_args_is_help=True
)


@factors_app.command("list")
def factors_list(db: DbOption = None, json: JsonOption = False) -> None:
    """List every factor edition with its series, publisher and data year."""
    with workspace(db).read() as session:
        rows = list_editions(session)
    if json:
        print_json(rows)
    else:
        print_table(
            f"{len(rows)} factor editions",
            [
                "edition",
                "series",
                "publisher",
                "data year",
                "published",
                "factors",
                "status",
                "source",
            ],
            (
                [
                    r["edition"],
                    r["series"],
                    r["publisher"],
                    r["data_year"],
                    r["published"],
                    r["factors"],
                    r["status"],
                    r["source"],
                ]
                for r in rows
            ),
        )


@factors_app.command("show")
def factors_show(
    edition: Annotated[str, typer.Argument(help="Edition id, e.g. mee-grid-2022.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Show an edition's citation, dates and every factor."""
    with workspace(db).read() as session:
        result = show_edition(session, edition)
    if json:
        print_json(result)
        return
    console.print(f"[bold]{result['edition']}[/bold] — {result['title']} ({result['publisher']})")
    console.print(f"Citation: {result['citation']}")
    print_table(
        None,
        ["factor", "activity", "parameter", "gas", "region", "variant", "value", "unit", "status"],
        (
            [
                f["factor_id"],
                f["activity"],
                f["parameter"],
                f["gas"],
                f["region"],
                f["variant"],
                f["value"],
                f["unit"],
                f["status"],
            ]
            for f in result["factors"]
        ),
    )


@factors_app.command("import")
def factors_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV/XLSX/Parquet with kind, activity, parameter, region, value, unit…"
        ),
    ],
    edition: Annotated[str, typer.Option("--edition", help="New, unique edition id.")],
    series: Annotated[
        str,
        typer.Option(
            "--series", help="Series the edition belongs to (an existing one to extend it)."
        ),
    ],
    publisher: Annotated[str, typer.Option("--publisher", help="Who published the factors.")],
    title: Annotated[str, typer.Option("--title", help="Document title.")],
    citation: Annotated[
        str, typer.Option("--citation", help="Document and table the values come from.")
    ],
    data_year: Annotated[
        int | None,
        typer.Option(
            "--data-year",
            help="Year the values represent; your own series applies to that year only.",
        ),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="Publication date (YYYY-MM-DD): the default edition rule takes the latest "
            "edition published by the report's cut-off.",
        ),
    ] = None,
    region: Annotated[str, typer.Option("--region", help="Region the edition covers.")] = "",
    status: Annotated[str, typer.Option("--status", help="verified or unverified.")] = "unverified",
    sheet: SheetOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Import your own immutable edition (supplier factors, residual mixes, newer editions)."""
    try:
        public = dt.date.fromisoformat(published) if published else None
    except ValueError:
        raise InvalidInput(f"--published {published!r} is not a date (use YYYY-MM-DD)") from None
    meta = EditionMeta(
        edition=edition,
        series=series,
        publisher=publisher,
        title=title,
        citation=citation,
        data_year=data_year,
        public_date=public,
        region=region,
        status=status,
    )
    with unexpected_failures(file.name):
        summary = import_edition(workspace(db), file, meta, actor=actor(), sheet=sheet)
    if json:
        print_json(summary)
    else:
        console.print(
            f"{file.name}: edition {summary['edition']} ({summary['series']}) "
            f"with {summary['factors']} factors imported."
        )
        if summary["note"]:
            console.print(f"[yellow]note[/yellow] {summary['note']}")


def register(app: typer.Typer) -> None:
    app.add_typer(factors_app, name="factors")
