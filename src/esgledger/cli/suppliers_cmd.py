"""Supplier register commands: import the register's files, list suppliers, show one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, SheetOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.ingest.suppliers import SHEETS
from esgledger.ledger.listing import paginate, parse_list
from esgledger.suppliers.register import (
    DEFAULT_SORT,
    SORT,
    supplier_detail,
    supplier_dict,
    supplier_query,
)
from esgledger.suppliers.register_import import import_register

suppliers_app = typer.Typer(
    help="Supplier register: suppliers, sites, contacts, agreements, certifications.",
    no_args_is_help=True,
)
KINDS = ", ".join(SHEETS)


@suppliers_app.command("import")
def import_cmd(
    kind: Annotated[str, typer.Argument(help=f"What the file holds: {KINDS}.")],
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.", show_default=False)],
    sheet: SheetOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add and update register rows from a file, all or nothing (docs/suppliers.md lists
    the columns of each kind)."""
    with unexpected_failures(file.name):
        summary = import_register(
            workspace(db), file, kind=kind, actor=actor(), sheet=sheet
        ).as_dict()
    if json:
        print_json(summary)
    else:
        console.print(
            f"{file.name}: {summary['added']} {kind} added, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged."
        )


@suppliers_app.command("list")
def list_cmd(
    country: Annotated[str | None, typer.Option(help="Only suppliers in this country.")] = None,
    commodity: Annotated[str | None, typer.Option(help="Only suppliers of this commodity.")] = None,
    search: Annotated[str | None, typer.Option(help="Text in id, name or parent group.")] = None,
    sort: Annotated[
        str, typer.Option(help=f"Sort by {', '.join(SORT)}; prefix - for descending.")
    ] = DEFAULT_SORT,
    limit: Annotated[int, typer.Option(help="Rows per page (1-1000).")] = 100,
    page: Annotated[int, typer.Option(help="Page, from 1.")] = 1,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """One page of suppliers, filtered and sorted."""
    params = parse_list(
        keys=tuple(SORT), default_sort=DEFAULT_SORT, limit=limit, page=page, sort=sort,
        search=search,
    )  # fmt: skip
    with workspace(db).read() as session:
        stmt = supplier_query(country=country, commodity=commodity, search=params.search)
        found = paginate(session, stmt, params, SORT, (SORT["id"],))
        rows = [supplier_dict(s) for s in found.rows]
    if json:
        print_json({"total": found.total, "page": params.page, "rows": rows})
        return
    print_table(
        f"{found.total} suppliers (page {params.page} of {found.pages})",
        ["id", "name", "country", "parent group", "commodities", "spend"],
        (
            [
                r["id"],
                r["name"],
                r["country"],
                r["parent_group"],
                "; ".join(r["commodities"]),
                "" if r["spend"] is None else f"{r['spend']:,.2f} {r['spend_unit']}",
            ]
            for r in rows
        ),
    )


@suppliers_app.command("show")
def show_cmd(
    supplier: Annotated[str, typer.Argument(help="Supplier id.")],
    year: Annotated[
        int | None, typer.Option(help="Also the spend of this year (purchase lines first).")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """One supplier with its sites, contacts, agreements and certifications."""
    with workspace(db).read() as session:
        detail = supplier_detail(session, supplier, year=year)
    if json:
        print_json(detail)
        return
    console.print(f"{detail['id']}  {detail['name']}  ({detail['country']})")
    for part in ("sites", "contacts", "agreements", "certifications"):
        rows = detail[part]
        if rows:
            columns = list(rows[0])
            print_table(part, columns, ([r[c] for c in columns] for r in rows))
        else:
            console.print(f"{part}: none")
    if "spend_in_year" in detail:
        spend = detail["spend_in_year"]
        text = ", ".join(f"{v:,.2f} {u}" for u, v in spend["by_unit"].items())
        console.print(f"spend {year}: {text} ({spend['source']})" if text else spend["note"])


def register(app: typer.Typer) -> None:
    app.add_typer(suppliers_app, name="suppliers")
