"""``esg suppliers cmrt``: suppliers' CMRT/EMRT files, the conformant-smelter list, the
smelter roll-up and the company-level declaration drafted from it (issue #16)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput

minerals_app = typer.Typer(
    help="Conflict minerals: CMRT/EMRT intake, smelter roll-up, company declaration.",
    no_args_is_help=True,
)
TemplateOption = Annotated[str, typer.Option(help="CMRT or EMRT.")]
YearOption = Annotated[
    int | None, typer.Option(help="Count declarations effective by this year's end.")
]


def _template(value: str) -> str:
    if value.upper() not in ("CMRT", "EMRT"):
        raise InvalidInput(f"unknown template {value!r}; use CMRT or EMRT")
    return value.upper()


@minerals_app.command("import")
def import_cmd(
    supplier: Annotated[str, typer.Argument(help="Supplier id the file came from.")],
    files: Annotated[list[Path], typer.Argument(help="CMRT or EMRT XLSX files.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Check and store a supplier's CMRT/EMRT files, each all or nothing; exits 2 if any
    file was refused (the others are stored)."""
    from esgledger.errors import ImportRejected
    from esgledger.suppliers.minerals_import import import_declaration

    database = workspace(db)
    done, refused = [], []
    for file in files:
        try:
            with unexpected_failures(file.name):
                result = import_declaration(database, file, supplier=supplier, actor=actor())
        except ImportRejected as exc:
            refused.append(exc)
            continue
        done.append(result.as_dict())
        if not json:
            stored = "already stored" if result.declaration_id is None else "stored"
            console.print(
                f"{file.name}: {result.template} {result.version} {stored}, "
                f"{result.smelters} smelter rows, {len(result.warnings)} warnings."
            )
            for line in result.warnings:
                console.print(f"  warning: {line}")
    if json:
        print_json(done)
    if refused:
        if len(refused) == 1:
            raise refused[0]
        for rejected in refused[:-1]:
            typer.echo(rejected.render(), err=True)
        raise refused[-1]


@minerals_app.command("list")
def list_cmd(
    supplier: Annotated[str | None, typer.Option(help="Only this supplier.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Stored declarations, oldest first, with their smelter rows and warnings."""
    from esgledger.suppliers.declarations import list_declarations

    with workspace(db).read() as session:
        rows = list_declarations(session, supplier=supplier)
    if json:
        print_json(rows)
        return
    columns = ["id", "supplier", "template", "version", "effective_on", "smelter_rows"]
    print_table(
        f"{len(rows)} declarations",
        [*columns, "warnings"],
        ([*(r[c] for c in columns), len(r["warnings"])] for r in rows),
    )


@minerals_app.command("conformant")
def conformant_cmd(
    file: Annotated[Path, typer.Argument(help="CSV/XLSX: smelter_id, metal, status, assessed_on.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Replace the conformant-smelter list that gives each smelter its status."""
    from esgledger.suppliers.conformant_import import import_conformant

    with unexpected_failures(file.name):
        result = import_conformant(workspace(db), file, actor=actor())
    if json:
        print_json(result)
    else:
        console.print(f"{file.name}: {result['rows']} smelters (replacing {result['replaced']}).")


@minerals_app.command("rollup")
def rollup_cmd(
    template: TemplateOption = "CMRT",
    year: YearOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Smelters across the suppliers' latest declarations, by smelter id, with status."""
    from esgledger.ledger.smelter_rollup import rollup

    with workspace(db).read() as session:
        result = rollup(session, template=_template(template), year=year)
    if json:
        print_json(result.as_dict())
        return
    columns = ["metal", "smelter_id", "name", "country", "suppliers", "status"]
    print_table(
        f"{len(result.smelters)} smelters from {len(result.declarations)} suppliers",
        columns,
        ([s.as_dict()[c] for c in columns] for s in result.smelters),
    )
    console.print(f"rows without a smelter id: {result.unidentified}")
    share, note = result.conformant_share()
    console.print(f"conformant share: {note if share is None else f'{share:.1f}% ({note})'}")


@minerals_app.command("declare")
def declare_cmd(
    out: Annotated[Path, typer.Argument(help="The XLSX to write.")],
    company: Annotated[str, typer.Option(help="Your company's name, as declared.")],
    template: TemplateOption = "CMRT",
    year: YearOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Draft the company-level CMRT/EMRT from the roll-up (questions 3-8 and A-H left to
    the declarant)."""
    from esgledger.ledger.smelter_rollup import rollup
    from esgledger.suppliers.company_declaration import write_declaration

    with workspace(db).read() as session:
        result = rollup(session, template=_template(template), year=year)
    if not result.declarations:
        raise InvalidInput(f"no supplier {result.template} is stored; nothing to declare")
    summary = write_declaration(result, out, company=company, today=dt.date.today())
    if json:
        print_json(summary)
    else:
        console.print(
            f"Wrote {out} ({summary['template']} {summary['version']}, "
            f"{summary['smelters']} smelters from {summary['suppliers']} suppliers)."
        )
