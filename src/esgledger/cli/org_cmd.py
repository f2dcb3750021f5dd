"""Organisation commands: the entity tree and reporting boundaries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput
from esgledger.ingest.readers import read_table
from esgledger.ledger.boundaries import (
    APPROACHES,
    FAMILIES,
    boundary_dict,
    create_boundary,
    get_boundary,
    list_boundaries,
)
from esgledger.ledger.entities import entity_dict, list_entities

entities_app = typer.Typer(help="The organisation tree.", no_args_is_help=True)
boundary_app = typer.Typer(
    help="Reporting boundaries per year and data family.", no_args_is_help=True
)


@entities_app.command("list")
def entities_list(db: DbOption = None, json: JsonOption = False) -> None:
    """List every entity with its parent, country and subdivision."""
    with workspace(db).read() as session:
        rows = [entity_dict(e) for e in list_entities(session)]
    if json:
        print_json(rows)
    else:
        print_table(
            f"{len(rows)} entities",
            ["id", "name", "kind", "parent", "country", "subdivision"],
            (
                [r["id"], r["name"], r["kind"], r["parent"], r["country"], r["subdivision"]]
                for r in rows
            ),
        )


def _read_members(path: Path) -> dict[str, float]:
    frame = read_table(path, kind="members").frame
    if "entity" not in frame.columns:
        raise InvalidInput(f"{path.name}: missing column 'entity' (columns: entity, share)")
    out: dict[str, float] = {}
    for i, row in enumerate(frame.iter_rows(named=True), start=2):
        share_text = (row.get("share") or "1").strip() or "1"
        try:
            out[row["entity"].strip()] = float(share_text)
        except ValueError:
            raise InvalidInput(
                f"{path.name}, row {i}, column 'share': {share_text!r} is not a number"
            ) from None
    return out


@boundary_app.command("create")
def boundary_create(
    code: Annotated[str, typer.Argument(help="Short unique code, e.g. 2024-ghg.")],
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    family: Annotated[
        str, typer.Option("--family", help=f"Data family: {', '.join(FAMILIES)}.")
    ] = "all",
    approach: Annotated[
        str, typer.Option("--approach", help=f"Consolidation: {', '.join(APPROACHES)}.")
    ] = "operational_control",
    include: Annotated[
        list[str] | None,
        typer.Option("--include", help="Entity whose whole subtree counts (repeat)."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Entity whose subtree is left out (repeat)."),
    ] = None,
    members: Annotated[
        Path | None, typer.Option("--members", help="CSV/XLSX with columns entity, share.")
    ] = None,
    basis: Annotated[
        str, typer.Option("--basis", help="How membership was decided (e.g. all legal entities).")
    ] = "",
    change_note: Annotated[
        str, typer.Option("--change-note", help="Why members differ from last year's.")
    ] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Create a boundary for a year from subtrees and/or a member file with shares."""
    with (
        unexpected_failures(members.name if members else code),
        workspace(db).write() as session,
    ):
        boundary = create_boundary(
            session,
            code=code,
            year=year,
            family=family,
            approach=approach,
            include=include or [],
            members=_read_members(members) if members else None,
            exclude=exclude or [],
            basis=basis,
            change_note=change_note,
            actor=actor(),
        )
        result = boundary_dict(session, boundary, with_members=True)
    if json:
        print_json(result)
    else:
        change = result["change"]
        console.print(
            f"Created boundary {code}: {result['members']} members, {family}, {year}"
            + (
                f"; against {change['previous']}: +{len(change['added'])} −{len(change['removed'])}"
                if change["previous"]
                else ""
            )
        )


@boundary_app.command("list")
def boundary_list(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List boundaries with their year, family, approach and member count."""
    with workspace(db).read() as session:
        rows = [boundary_dict(session, b) for b in list_boundaries(session, year=year)]
    if json:
        print_json(rows)
    else:
        print_table(
            "Boundaries",
            ["code", "year", "family", "approach", "members", "change note"],
            (
                [r["code"], r["year"], r["family"], r["approach"], r["members"], r["change_note"]]
                for r in rows
            ),
        )


@boundary_app.command("show")
def boundary_show(
    code: Annotated[str, typer.Argument(help="Boundary code.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Show a boundary's members with shares and what changed against the year before."""
    with workspace(db).read() as session:
        result = boundary_dict(session, get_boundary(session, code), with_members=True)
    if json:
        print_json(result)
        return
    console.print(
        f"[bold]{result['code']}[/bold] {result['year']} {result['family']} "
        f"({result['approach']}), "
        f"{result['members']} members"
    )
    if result["basis"]:
        console.print(f"Basis: {result['basis']}")
    change = result["change"]
    if change["previous"]:
        console.print(
            f"Against {change['previous']}: added {', '.join(change['added']) or 'none'}; "
            f"removed {', '.join(change['removed']) or 'none'}"
        )
    if result["change_note"]:
        console.print(f"Change note: {result['change_note']}")
    print_table(None, ["entity", "share"], sorted(result["member_shares"].items()))


def register(app: typer.Typer) -> None:
    app.add_typer(entities_app, name="entities")
    app.add_typer(boundary_app, name="boundary")
