"""``esg register certifications``: import certificates, list them with their status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.registers.certification_listing import STATUSES, list_certificates
from esgledger.registers.certifications import import_certificates

certifications_app = typer.Typer(
    help="The certification register: ISO and other certificates, validity, surveillance.",
    no_args_is_help=True,
)


@certifications_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Import certificates (entity, standard, number, body, issued_on, expires_on [,
    product_model, scope, withdrawn_on, surveillance]); all or nothing; a stored body and
    number is restated."""
    with unexpected_failures(file.name):
        done = import_certificates(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} added, {done['replaced']} restated.")


@certifications_app.command("list")
def list_cmd(
    year: Annotated[
        int | None, typer.Option("--year", help="Status at this year's end (default: today).")
    ] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    standard: Annotated[
        str | None, typer.Option("--standard", help="Only this standard, e.g. 'ISO 14001'.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"Only: {', '.join(STATUSES)}.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Number, body, scope or product contains.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)] = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Certificates with their validity, surveillance audits and status."""
    if status is not None and status not in STATUSES:
        raise typer.BadParameter(
            f"{status!r} is not one of {', '.join(STATUSES)}", param_hint="--status"
        )
    with workspace(db).read() as session:
        found = list_certificates(
            session,
            year=year,
            entity=entity,
            standard=standard,
            status=status,
            search=search,
            limit=limit,
        )
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} certificates",
        ["entity", "standard", "number", "body", "product", "issued", "expires", "status"],
        (
            [
                r["entity"],
                r["standard"],
                r["number"],
                r["body"],
                r["product_model"] or "—",
                r["issued_on"],
                r["expires_on"],
                r["status"],
            ]
            for r in found["rows"]
        ),
    )
