"""`esg register whistle …` (#17): intake links, counts, cases and their moves.

Commands act as a user (``--as``, default ``$ESG_ACTOR``) checked like the API: anyone who
reads KPIs gets the counts; the cases' content and moves need a compliance officer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.acting import AsOption, who
from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.ledger.models import utcnow
from esgledger.registers import whistle
from esgledger.registers.whistle_import import import_cases
from esgledger.registers.whistle_listing import case_counts, case_dict, list_cases

whistle_app = typer.Typer(
    help="The whistleblowing register: anonymous intake links, cases, counts.",
    no_args_is_help=True,
)
YearOption = Annotated[int | None, typer.Option("--year", help="Only cases received this year.")]


@whistle_app.command("links")
def links_cmd(
    entity: Annotated[str, typer.Argument(help="The entity the links report about.")],
    channel: Annotated[
        str, typer.Option("--channel", help=f"One of {', '.join(whistle.CHANNELS)}.")
    ] = "web",
    count: Annotated[int, typer.Option("--count", help="How many links.", min=1)] = 1,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Issue one-time intake links (shown once: hand each to one reporter as /speak-up/TOKEN)."""
    with workspace(db).write() as session:
        tokens = whistle.issue_links(
            session, who(session, as_user), entity=entity, channel=channel, count=count
        )
    if json:
        print_json({"entity": entity, "channel": channel, "tokens": tokens})
        return
    for token in tokens:
        console.print(f"/speak-up/{token}", soft_wrap=True)


@whistle_app.command("record")
def record_cmd(
    entity: Annotated[str, typer.Argument(help="The entity the report is about.")],
    channel: Annotated[
        str, typer.Option("--channel", help=f"One of {', '.join(whistle.CHANNELS)}.")
    ],
    case_type: Annotated[
        str, typer.Option("--type", help=f"One of {', '.join(whistle.CASE_TYPES)}.")
    ],
    text: Annotated[str, typer.Option("--text", help="What the reporter said.")],
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Record a report received by hotline, letter or in person; prints, once, the case code
    and passphrase to give back to the reporter."""
    with workspace(db).write() as session:
        receipt = whistle.record_case(
            session, who(session, as_user), entity=entity, channel=channel,
            case_type=case_type, description=text,
        )  # fmt: skip
    if json:
        print_json({"code": receipt.code, "passphrase": receipt.passphrase})
    else:
        console.print(f"case {receipt.code}, passphrase {receipt.passphrase} (shown once)")


@whistle_app.command("import-cases")
def import_cases_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX case log.")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")] = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Import a case log kept before the register (ref, entity, channel, type, received_at,
    description, state [, investigator, outcome, corrective_action, closed_at,
    retaliation_note]); all or nothing; compliance officers only."""
    ws = workspace(db)
    with ws.read() as session:
        user = who(session, as_user)
    with unexpected_failures(file.name):
        done = import_cases(ws, file, user, sheet=sheet).as_dict()
    if json:
        print_json(done)
    else:
        console.print(f"{file.name}: {done['added']} cases added.")


@whistle_app.command("counts")
def counts_cmd(
    year: YearOption = None, as_user: AsOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Cases counted by type, channel, state and outcome (no content)."""
    with workspace(db).read() as session:
        counts = case_counts(session, who(session, as_user), year=year)
    if json:
        print_json(counts)
        return
    rows = [[group, key, n] for group in ("by_type", "by_channel", "by_state")
            for key, n in counts[group].items()]  # fmt: skip
    rows += [["total", k, counts[k]] for k in ("received", "substantiated", "closed",
                                               "closed_within_sla")]  # fmt: skip
    print_table(f"{counts['received']} cases", ["group", "key", "cases"], rows)


@whistle_app.command("cases")
def cases_cmd(
    year: YearOption = None,
    state: Annotated[
        str | None,
        typer.Option("--state", help=f"Only this state: {', '.join(whistle.CASES.states)}."),
    ] = None,
    case_type: Annotated[
        str | None, typer.Option("--type", help=f"Only this type: {', '.join(whistle.CASE_TYPES)}.")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases past their SLA.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)] = 100,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Cases with their content, newest first (compliance officers only)."""
    with workspace(db).read() as session:
        found = list_cases(
            session, who(session, as_user), year=year, state=state, case_type=case_type,
            overdue=overdue, limit=limit,
        )  # fmt: skip
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} cases",
        ["code", "entity", "type", "received", "state", "due", "outcome", "version"],
        (
            [r["code"], r["entity"], r["type"], r["received"][:10], r["state"],
             (r["clock"]["due"] or "—")[:10] + (" overdue" if r["clock"]["overdue"] else ""),
             r["outcome"] or "—", r["version"]]
            for r in found["rows"]
        ),
    )  # fmt: skip


@whistle_app.command("move")
def move_cmd(
    code: Annotated[str, typer.Argument(help="The case code (WB-…).")],
    state: Annotated[str, typer.Argument(help=f"New state: {', '.join(whistle.CASES.states)}.")],
    investigator: Annotated[
        str, typer.Option("--investigator", help="investigating: the compliance officer.")
    ] = "",
    outcome: Annotated[
        str, typer.Option("--outcome", help=f"One of {', '.join(whistle.OUTCOMES)}.")
    ] = "",
    action: Annotated[str, typer.Option("--action", help="corrective_action: what was done.")] = "",
    note: Annotated[
        str, typer.Option("--note", help="closed early: why; followed_up: the follow-up.")
    ] = "",
    version: Annotated[
        int | None,
        typer.Option("--version", help="The version you saw; refused if it changed since."),
    ] = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Move a case along its flow (audit-logged, without the case's content)."""
    step = whistle.Step(state, investigator, outcome, action, note)
    with workspace(db).write() as session:
        case = whistle.advance(
            session, who(session, as_user), code=code, step=step, seen_version=version
        )
        done = case_dict(case, utcnow())
    if json:
        print_json(done)
    else:
        console.print(f"{done['code']}: now {done['state']} (version {done['version']}).")
