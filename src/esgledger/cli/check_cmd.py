"""`esg check`: run the data-quality rules for a year and acknowledge findings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from esgledger.checks import Finding, acknowledge, find_finding, run_checks
from esgledger.checks.engine import DEFAULT_YOY_THRESHOLD
from esgledger.cli import acknowledge_cmd
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json
from esgledger.errors import InvalidInput

check_app = typer.Typer(
    help="Data-quality checks: sums, parts, identities, jumps, units, factors, coverage.",
    invoke_without_command=True,
)
FAIL_ON = ("error", "warning")

BoundaryOption = Annotated[
    str | None,
    typer.Option("--boundary", help="Use this boundary for the year's figures (as `esg kpi`)."),
]
NarrativeOption = Annotated[
    Path | None,
    typer.Option(
        "--narrative", help="Folder (or file) of Markdown narrative to check for typed numbers."
    ),
]
ThresholdOption = Annotated[
    float,
    typer.Option("--yoy-threshold", help="Year-on-year change in % that counts as a jump."),
]


def _cell(value: Any, unit: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
        return f"{text} {unit}" if unit else text
    return str(value)


def _print(findings: list[Finding], year: int, shown_all: bool) -> None:
    """One block per finding, readable at any terminal width: what, why, how to fix."""
    errors = sum(f.severity == "error" for f in findings)
    kind = "findings" if shown_all else "open findings"
    console.print(
        f"[bold]Checks {year}: {len(findings)} {kind}[/bold] "
        f"({errors} errors, {len(findings) - errors} warnings)"
    )
    for f in findings:
        colour = "red" if f.severity == "error" else "yellow"
        where = ", ".join(f.metrics[:3]) + (" …" if len(f.metrics) > 3 else "")
        if f.entity:
            where += f" @ {f.entity}"
        console.print(
            f"\n[{colour}]{f.severity}[/{colour}] [bold]{f.rule}[/bold] {f.year} {where} "
            f"[dim]key {f.key}[/dim]",
            highlight=False,
        )
        console.print(f"  {f.explanation}", highlight=False)
        if f.expected is not None or f.found is not None:
            console.print(
                f"  expected {_cell(f.expected, f.unit)}, found {_cell(f.found, f.unit)}",
                highlight=False,
            )
        console.print(f"  [dim]Fix: {f.fix}[/dim]", highlight=False)
        if f.acknowledged:
            ack = f.acknowledged
            console.print(
                f"  [green]Acknowledged[/green] by {ack['actor']} at {ack['at']}: {ack['comment']}",
                highlight=False,
            )
    if findings:
        console.print(
            "\nAcknowledge a finding with `esg check ack KEY --comment TEXT`, or a rule's "
            "findings with `esg check acknowledge RULE --reason TEXT`."
        )


@check_app.callback()
def check(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", help="Reporting year to check.")] = None,
    boundary: BoundaryOption = None,
    include_acknowledged: Annotated[
        bool,
        typer.Option("--include-acknowledged", help="Also show acknowledged findings."),
    ] = False,
    narrative: NarrativeOption = None,
    yoy_threshold: ThresholdOption = DEFAULT_YOY_THRESHOLD,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when open findings of this severity or worse exist: error or warning.",
        ),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Run every data-quality rule for a year and list the open findings (subcommands: ack,
    acknowledge, acknowledgements)."""
    if ctx.invoked_subcommand is not None:
        return
    if year is None:
        raise InvalidInput("give --year YEAR (or the subcommand ack)")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise InvalidInput(f"--fail-on {fail_on!r}: use error or warning")
    with workspace(db).read() as session:
        findings = run_checks(
            session, year, boundary=boundary, narrative=narrative, yoy_threshold=yoy_threshold
        )
    shown = findings if include_acknowledged else [f for f in findings if not f.acknowledged]
    if json:
        print_json(
            {
                "year": year,
                "boundary": boundary,
                "counts": {
                    "error": sum(f.severity == "error" and not f.acknowledged for f in findings),
                    "warning": sum(
                        f.severity == "warning" and not f.acknowledged for f in findings
                    ),
                    "acknowledged": sum(bool(f.acknowledged) for f in findings),
                },
                "findings": [f.as_dict() for f in shown],
            }
        )
    else:
        _print(shown, year, include_acknowledged)
    open_ = [f for f in findings if not f.acknowledged]
    if fail_on and any(f.severity == "error" or fail_on == "warning" for f in open_):
        raise typer.Exit(1)


@check_app.command("ack")
def ack(
    key: Annotated[str, typer.Argument(help="The finding's key, as `esg check` shows it.")],
    comment: Annotated[
        str, typer.Option("--comment", help="Why the finding may stand, or what is being done.")
    ],
    year: Annotated[
        int | None, typer.Option("--year", help="Year of the finding (default: search all).")
    ] = None,
    boundary: BoundaryOption = None,
    narrative: NarrativeOption = None,
    yoy_threshold: ThresholdOption = DEFAULT_YOY_THRESHOLD,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Acknowledge a finding: an audit event with the comment; it is no longer open."""
    database = workspace(db)
    with database.write() as session:
        finding = find_finding(
            session,
            key,
            year=year,
            boundary=boundary,
            narrative=narrative,
            yoy_threshold=yoy_threshold,
        )
        event = acknowledge(session, finding, comment=comment, actor=actor())
        result = {"key": finding.key, "event": event.id, "comment": comment.strip()}
        result["finding"] = finding.as_dict()
    if json:
        print_json(result)
    else:
        console.print(
            f"Acknowledged {finding.key} ({finding.rule}, {finding.year}) as audit event "
            f"{result['event']}."
        )


def register(app: typer.Typer) -> None:
    acknowledge_cmd.add_to(check_app)
    app.add_typer(check_app, name="check")
