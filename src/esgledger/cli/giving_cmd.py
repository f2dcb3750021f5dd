"""``esg register giving``: import donations, volunteer hours and exchange rates (with their
source), list them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.registers.giving import (
    import_donations,
    import_rates,
    import_volunteering,
    list_donations,
    list_rates,
    list_volunteering,
)
from esgledger.registers.ohs import Imported

giving_app = typer.Typer(
    help="The giving register: donations, volunteer hours, the rates that convert donations.",
    no_args_is_help=True,
)
FileArg = Annotated[Path, typer.Argument(help="CSV or XLSX file.")]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")]
YearOption = Annotated[int | None, typer.Option("--year", help="Only this year.")]
Importer = Callable[..., Imported]


def _import(importer: Importer, file: Path, sheet: str | None, db: str | None, json: bool) -> None:
    with unexpected_failures(file.name):
        done = importer(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} added, {done['replaced']} restated.")


@giving_app.command("import-donations")
def import_donations_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import donations (ref, entity, date, programme, recipient_type, form: cash or in_kind,
    amount, currency); all or nothing; a stored ref is restated."""
    _import(import_donations, file, sheet, db, json)


@giving_app.command("import-volunteering")
def import_volunteering_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import volunteer hours (entity, year, programme, participations, hours); all or
    nothing; a stored entity, year and programme is restated."""
    _import(import_volunteering, file, sheet, db, json)


@giving_app.command("import-rates")
def import_rates_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import exchange rates (currency, quote, valid_from, valid_to, rate, source: the public
    source the rate was taken from); donations convert into CNY only with these."""
    _import(import_rates, file, sheet, db, json)


@giving_app.command("donations")
def donations_cmd(
    year: YearOption = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    programme: Annotated[
        str | None, typer.Option("--programme", help="Only this programme.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)] = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Donations, newest first, in the currency they were given in."""
    with workspace(db).read() as session:
        found = list_donations(session, year=year, entity=entity, programme=programme, limit=limit)
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} donations",
        ["ref", "entity", "date", "programme", "recipient", "form", "amount", "currency"],
        (
            [
                r["ref"],
                r["entity"],
                r["date"],
                r["programme"],
                r["recipient_type"],
                r["form"],
                f"{r['amount']:,.2f}",
                r["currency"],
            ]
            for r in found["rows"]
        ),
    )


@giving_app.command("volunteering")
def volunteering_cmd(
    year: YearOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Volunteer hours and participations per entity, year and programme."""
    with workspace(db).read() as session:
        rows = list_volunteering(session, year=year)
    if json:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} volunteering rows",
        ["entity", "year", "programme", "participations", "hours"],
        ([r["entity"], r["year"], r["programme"], r["participations"], r["hours"]] for r in rows),
    )


@giving_app.command("rates")
def rates_cmd(db: DbOption = None, json: JsonOption = False) -> None:
    """The imported exchange rates with their periods and sources."""
    with workspace(db).read() as session:
        rows = list_rates(session)
    if json:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} rates",
        ["currency", "quote", "from", "to", "rate", "source"],
        (
            [r["currency"], r["quote"], r["valid_from"], r["valid_to"], r["rate"], r["source"]]
            for r in rows
        ),
    )
