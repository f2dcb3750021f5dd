"""``esg scope3``: the screening of the 15 categories per year, and the intake templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.catalog.scope3_screening import DATA_QUALITY
from esgledger.cli.common import DbOption, JsonOption, SheetOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput, NotFound
from esgledger.ingest.scope3_formats import FORMATS
from esgledger.ingest.scope3_templates import write_scope3_template
from esgledger.ledger.scope3_screening import import_screening, screening_of

scope3_app = typer.Typer(
    help="Scope 3: the screening of the 15 categories per year, intake templates.",
    no_args_is_help=True,
)
screening_app = typer.Typer(
    help="The screening of the 15 Scope 3 categories of a year.", no_args_is_help=True
)
scope3_app.add_typer(screening_app, name="screening")
YearOption = Annotated[int, typer.Option("--year", help="Reporting year.")]


@screening_app.command("import")
def screening_import(
    file: Annotated[Path, typer.Argument(help="CSV, XLSX or Parquet file.")],
    year: YearOption,
    sheet: SheetOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Import the year's screening: columns category, relevant, reason[, note, method,
    data_quality], one row for each of the 15 categories."""
    with unexpected_failures(file.name):
        summary = import_screening(workspace(db), file, year=year, actor=actor(), sheet=sheet)
    if json:
        print_json(summary)
    else:
        relevant = ", ".join(f"cat{n}" for n in summary["relevant"]) or "none"
        console.print(
            f"{file.name}: the {year} screening stored as batch {summary['batch_id']}; "
            f"relevant: {relevant}."
        )


@screening_app.command("show")
def screening_show(year: YearOption, db: DbOption = None, json: JsonOption = False) -> None:
    """Show the year's screening (exit 2 when the year has none)."""
    with workspace(db).read() as session:
        rows = screening_of(session, year)
    if not rows:
        raise NotFound(f"no Scope 3 screening for {year}; `esg scope3 screening import` adds one")
    if json:
        print_json(rows)
    else:
        print_table(
            f"Scope 3 screening {year}",
            ["category", "relevant", "reason", "note", "method", "data quality"],
            (
                [r["category"], "yes" if r["relevant"] else "no", r["reason"], r["note"],
                 r["method"], _quality(r["data_quality"])]
                for r in rows
            ),
        )  # fmt: skip


def _quality(score: int | None) -> str:
    return f"{score} ({DATA_QUALITY[score]})" if score else ""


@scope3_app.command("template")
def template(
    kind: Annotated[str, typer.Argument(help=f"Intake format: {', '.join(FORMATS)}.")],
    out: Annotated[Path, typer.Option("--out", help="XLSX file to write.")],
    json: JsonOption = False,
) -> None:
    """Write the XLSX template of an intake format (purchases, travel, freight; instruments
    for market-based Scope 2)."""
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{out.name}: the template is an .xlsx file")
    result = write_scope3_template(kind, out)
    if json:
        print_json(result)
    else:
        console.print(f"Wrote {out}: {result['title']}, {result['columns']} columns.")


def register(app: typer.Typer) -> None:
    app.add_typer(scope3_app, name="scope3")
