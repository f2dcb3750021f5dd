"""``esg register board``: import the board's members and meeting attendance, list them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.registers.board import import_attendance, import_members
from esgledger.registers.board_import import COMMITTEES
from esgledger.registers.board_listing import list_meetings, list_members

board_app = typer.Typer(
    help="The board register: directors, committee seats, meeting attendance.",
    no_args_is_help=True,
)

FileArg = Annotated[Path, typer.Argument(help="CSV or XLSX file.")]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")]
YearOption = Annotated[int | None, typer.Option("--year", help="Only this year.")]
EntityOption = Annotated[str | None, typer.Option("--entity", help="Only this entity.")]


@board_app.command("import-members")
def import_members_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import directors (ref, entity, name, role, executive, independent, gender, birth_year,
    appointed_on [, left_on, committees]); all or nothing; a stored ref is restated."""
    with unexpected_failures(file.name):
        done = import_members(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} added, {done['replaced']} restated.")


@board_app.command("import-attendance")
def import_attendance_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import meeting attendance (entity, meeting_ref, body, date, member_ref, attendance:
    present, proxy or absent); all or nothing."""
    with unexpected_failures(file.name):
        done = import_attendance(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} attendance rows added.")


@board_app.command("members")
def members_cmd(
    year: Annotated[
        int | None, typer.Option("--year", help="Only members serving at this year's end.")
    ] = None,
    entity: EntityOption = None,
    search: Annotated[str | None, typer.Option("--search", help="Name or ref contains.")] = None,
    committee: Annotated[
        str | None, typer.Option("--committee", help=f"Only seats on: {', '.join(COMMITTEES)}.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)] = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Directors with role, independence, gender, birth year, tenure dates and committees."""
    with workspace(db).read() as session:
        found = list_members(
            session, year=year, entity=entity, search=search, committee=committee, limit=limit
        )
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} members",
        ["ref", "entity", "name", "role", "exec", "indep", "gender", "born", "from", "to", "seats"],
        (
            [
                r["ref"],
                r["entity"],
                r["name"],
                r["role"],
                "yes" if r["executive"] else "no",
                "yes" if r["independent"] else "no",
                r["gender"],
                r["birth_year"],
                r["appointed_on"],
                r["left_on"] or "—",
                ", ".join(r["committees"]) or "—",
            ]
            for r in found["rows"]
        ),
    )


@board_app.command("meetings")
def meetings_cmd(
    year: YearOption = None,
    entity: EntityOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Board and committee meetings with their attendance counted."""
    with workspace(db).read() as session:
        rows = list_meetings(session, year=year, entity=entity)
    if json:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} meetings",
        ["date", "entity", "meeting", "body", "present", "proxy", "absent"],
        (
            [r["date"], r["entity"], r["meeting"], r["body"], r["present"], r["proxy"], r["absent"]]
            for r in rows
        ),
    )
