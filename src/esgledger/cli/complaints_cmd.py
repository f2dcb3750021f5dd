"""``esg register complaints``: import complaints and NPS answers, set SLAs, list and move
complaints along their loop, NPS per segment."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.cli.staged_cmd import (
    FileArg,
    NoteOption,
    SheetOption,
    VersionOption,
    add_import,
    run_move,
)
from esgledger.ledger.register_lines import slas
from esgledger.registers import nps
from esgledger.registers.complaints import CLOCKED, LINE, REGISTER, STAGED, sla_table
from esgledger.registers.complaints_import import CHANNELS, SEVERITIES
from esgledger.registers.line_listing import list_complaints
from esgledger.registers.sla import set_sla

complaints_app = typer.Typer(
    help="Customer complaints (accept → assign → process → return visit → file → close) "
    "with SLAs by severity, and NPS survey answers.",
    no_args_is_help=True,
)


add_import(
    complaints_app,
    STAGED,
    plural="complaints",
    help=(
        "Import complaints (ref, entity, channel, product_line, severity, accepted_at [, "
        "description, assigned_at, processing_at, return_visit_at, filed_at, closed_at]); "
        "all or nothing."
    ),
)


@complaints_app.command("import-nps")
def import_nps_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import NPS answers (entity, date, segment, score 0-10); all or nothing."""
    with unexpected_failures(file.name):
        done = nps.import_answers(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} answers added.")


@complaints_app.command("sla")
def sla_cmd(
    severity: Annotated[str, typer.Argument(help=f"One of {', '.join(SEVERITIES)}.")],
    state: Annotated[str, typer.Argument(help=f"One of {', '.join(CLOCKED)}.")],
    hours: Annotated[float, typer.Argument(help="Hours a complaint may stay in the state.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Set the SLA of a severity and state (audit-logged)."""
    with workspace(db).write() as session:
        set_sla(
            session, register=REGISTER, severity=severity, state=state, hours=hours,
            severities=SEVERITIES, states=CLOCKED, actor=actor(),
        )  # fmt: skip
    done = {"severity": severity, "state": state, "hours": hours}
    if json:
        print_json(done)
    else:
        console.print(f"SLA for {severity} complaints in {state}: {hours:g} hours.")


@complaints_app.command("slas")
def slas_cmd(db: DbOption = None, json: JsonOption = False) -> None:
    """Every severity and state with its SLA hours (— : not set, not judged)."""
    with workspace(db).read() as session:
        rows = sla_table(slas(session, REGISTER))
    if json:
        print_json(rows)
        return
    print_table(
        "complaint SLAs",
        ["severity", "state", "hours"],
        ([r["severity"], r["state"], "—" if r["hours"] is None else f"{r['hours']:g}"]
         for r in rows),
    )  # fmt: skip


@complaints_app.command("list")
def list_cmd(
    year: Annotated[int | None, typer.Option("--year", help="Accepted this year.")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only this state.")] = None,
    severity: Annotated[str | None, typer.Option("--severity", help="Only this severity.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help=f"One of {', '.join(CHANNELS)}.")
    ] = None,
    search: Annotated[str | None, typer.Option("--search", help="Ref or product line.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)] = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Complaints, newest first, with their state's SLA clock and breaches."""
    with workspace(db).read() as session:
        found = list_complaints(
            session, year=year, state=state, severity=severity, entity=entity,
            channel=channel, search=search, limit=limit,
        )  # fmt: skip
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} complaints",
        ["ref", "entity", "accepted", "channel", "product", "severity", "state", "due", "breaches"],
        (
            [
                r["ref"], r["entity"], r["accepted_at"][:16], r["channel"], r["product_line"],
                r["severity"], r["state"],
                (r["clock"]["due"] or "—")[:16] + (" overdue" if r["clock"]["overdue"] else ""),
                ", ".join(r["breaches"]) or "—",
            ]
            for r in found["rows"]
        ),
    )  # fmt: skip


@complaints_app.command("move")
def move_cmd(
    ref: Annotated[str, typer.Argument(help="The complaint's ref.")],
    state: Annotated[str, typer.Argument(help=f"Next state: {', '.join(LINE.states)}.")],
    version: VersionOption = None,
    note: NoteOption = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Move a complaint to its next state, stamping the time (audit-logged)."""
    run_move(STAGED, ref, state, version=version, note=note, db=db, json=json)


@complaints_app.command("nps")
def nps_cmd(
    year: Annotated[int, typer.Option("--year", help="The survey year.")],
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """NPS per segment and over all answers (not available without answers)."""
    with workspace(db).read() as session:
        rows = nps.by_segment(session, year, entity=entity)
    if json:
        print_json(rows)
        return
    print_table(
        f"NPS {year}",
        ["segment", "answers", "promoters", "passives", "detractors", "NPS"],
        (
            [r["segment"], r["answers"], r["promoters"], r["passives"], r["detractors"],
             "not available" if r["nps"] is None else f"{r['nps']:.1f}"]
            for r in rows
        ),
    )  # fmt: skip
