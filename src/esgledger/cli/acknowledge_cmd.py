"""`esg check acknowledge` and `esg check acknowledgements`: findings that may stand in a
published report, each with the reviewer's reason (audit events; the report lists them)."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.checks.selection import acknowledge_matching, acknowledgement_rows
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json


def acknowledge(
    code: Annotated[str, typer.Argument(help="The rule (e.g. part.nh3n_le_tn) or finding key.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the finding may stand in the published report.")
    ],
    subject: Annotated[
        str | None,
        typer.Option("--subject", help="Only findings about this metric id or entity id."),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Only this year's findings (default: all).")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Acknowledge every open finding of a rule (about a subject): one audit event each."""
    with workspace(db).write() as session:
        done = acknowledge_matching(
            session, code, reason=reason, actor=actor(), subject=subject, year=year
        )
        rows = [
            {"key": f.key, "rule": f.rule, "year": f.year, "metrics": f.metrics, "event": e.id}
            for f, e in done
        ]
    if json:
        print_json({"acknowledged": rows, "reason": reason.strip()})
        return
    for row in rows:
        console.print(
            f"Acknowledged {row['key']} ({row['rule']}, {row['year']}) as audit event "
            f"{row['event']}.",
            highlight=False,
        )


def acknowledgements(
    year: Annotated[
        int | None, typer.Option("--year", help="Only acknowledgements of this year's findings.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List acknowledged findings: rule, year, subject, reason, who and when."""
    with workspace(db).read() as session:
        rows = acknowledgement_rows(session, year)
    if json:
        print_json({"acknowledgements": rows})
        return
    console.print(f"[bold]{len(rows)} acknowledged findings[/bold]")
    for row in rows:
        about = ", ".join(row["metrics"]) or row["entity"] or ""
        console.print(
            f"\n{row['severity']} {row['rule']} {row['year']} {about} [dim]key {row['key']}[/dim]"
            f"\n  {row['reason']}\n  [dim]by {row['actor']} at {row['at']}[/dim]",
            highlight=False,
        )


def add_to(check_app: typer.Typer) -> None:
    check_app.command("acknowledge")(acknowledge)
    check_app.command("acknowledgements")(acknowledgements)
