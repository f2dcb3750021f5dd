"""`esg demo`: build a realistic demo group into a folder and say where to look."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from esgledger.cli.common import JsonOption
from esgledger.cli.output import console, print_json
from esgledger.demo import REPORT_YEAR, build
from esgledger.demo.build import DemoSummary
from esgledger.demo.scale_stage import scale_requests
from esgledger.demo.stages import StageReport, describe
from esgledger.demo.team_stage import read_credentials, read_survey_link
from esgledger.ledger.db import Database


def next_commands(db_path: Path, report_year: int) -> list[str]:
    """Commands to explore the demo (``--db`` goes after the subcommand)."""
    db = shlex.quote(str(db_path))
    return [
        f"esg kpi --year {report_year} --db {db}",
        f"esg calc explain --run 3 --metric ghg.scope1 --limit 10 --db {db}",
        f"esg check --year {report_year} --db {db}",
        f"esg materiality show --year {report_year} --db {db}",
        f"esg boundary show {report_year}-ghg --db {db}",
        f"esg audit verify --db {db}",
    ]


def _print_stage(name: str, report: StageReport) -> None:
    console.print(f"[green]✓[/green] {name}: {describe(report)}")


def _print_summary(summary: DemoSummary, out: Path, commands: list[str]) -> None:
    kinds = ", ".join(f"{n} {k}" for k, n in summary.entities_by_kind.items())
    years = ", ".join(f"{y}: {n:,}" for y, n in summary.activity_records_by_year.items())
    table = Table(title="Demo group built", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("entities", f"{summary.entities} ({kinds}); {summary.sites} report activity data")
    table.add_row("activity records", f"{summary.activity_records:,} ({years})")
    table.add_row("KPI values", f"{summary.kpi_values:,} current, {summary.restatements} restated")
    table.add_row(
        "audit log",
        f"{summary.audit_events} events, chain "
        + ("verifies" if summary.audit_ok else "[red]BROKEN[/red]"),
    )
    table.add_row("files", f"{summary.inputs} ({len(summary.files)} files)")
    table.add_row("time", f"{summary.seconds:.1f} s")
    console.print(table)
    bounds = Table(title="Boundaries", title_justify="left", header_style="bold")
    for col in ("code", "family", "members", "change note"):
        bounds.add_column(col, overflow="fold")
    for b in summary.boundaries:
        bounds.add_row(b["code"], b["family"], str(b["members"]), b["change_note"] or "")
    console.print(bounds)
    console.print(f"Workspace: [bold]{out / 'esg.db'}[/bold]. Try:")
    for command in commands:
        console.print(f"  {command}", highlight=False, soft_wrap=True)
    _print_web(out)


def _print_web(out: Path) -> None:
    """How to open the web app on the demo, with the users the demo made."""
    users = read_credentials(out)
    if not users:
        return
    console.print(
        f"Web app: [bold]esg serve --db {shlex.quote(str(out / 'esg.db'))}[/bold], then open "
        "http://127.0.0.1:8000 and log in as one of (passwords also in "
        f"{out / 'credentials.txt'}):",
        soft_wrap=True,
    )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("username", "role", "password"):
        table.add_column(col)
    for row in users:
        table.add_row(*row)
    console.print(table)
    survey = read_survey_link(out)
    if survey:
        console.print(
            f"A stakeholder's one-time questionnaire (no login): http://127.0.0.1:8000{survey}",
            soft_wrap=True,
        )


def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder to build the demo in.")] = Path(
        "esg-demo"
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Replace the folder's esg.db and inputs/ if present.")
    ] = False,
    requests: Annotated[
        int | None,
        typer.Option(
            "--requests",
            min=1,
            help="Also issue this many data requests for next year (e.g. 4300, to measure "
            "the pages at team scale).",
        ),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Build a realistic demo group (~40 entities, 3 years of data) into a new workspace."""
    summary = build(out, force=force, on_stage=None if json else _print_stage)
    if requests is not None:
        scale = scale_requests(Database(str(out / "esg.db")), year=REPORT_YEAR + 1, count=requests)
        summary.stages.append({"name": "requests at scale", "report": scale})
        if not json:
            _print_stage("requests at scale", scale)
    commands = next_commands(out / "esg.db", REPORT_YEAR)
    if json:
        result: dict[str, Any] = summary.as_dict()
        result["try"] = commands
        result["users"] = [
            {"username": u, "role": r, "password": p} for u, r, p in read_credentials(out)
        ]
        result["survey"] = read_survey_link(out)
        print_json(result)
    else:
        _print_summary(summary, out, commands)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
