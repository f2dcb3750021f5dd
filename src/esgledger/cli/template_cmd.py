"""``esg template``: the XLSX collection template a business unit fills offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json
from esgledger.errors import InvalidInput
from esgledger.workflow.templates import write_template


def template(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    out: Annotated[Path, typer.Option("--out", help="XLSX file to write.")],
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner's.")] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Only this entity and below.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Write the XLSX collection template of open requests, for an owner or an entity."""
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{out.name}: the template is an .xlsx file")
    with workspace(db).read() as session:
        result = write_template(session, out, year=year, owner=owner, entity=entity)
    if json:
        print_json(result)
    else:
        console.print(f"Wrote {out}: {result['rows']} values to fill.")
