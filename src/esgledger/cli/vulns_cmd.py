"""``esg register vulns``: import product-security vulnerabilities, set SLAs, list them and
move them from intake to a published advisory."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.cli.staged_cmd import (
    NoteOption,
    VersionOption,
    add_import,
    run_move,
)
from esgledger.ledger.register_lines import TO_FIX, slas
from esgledger.registers.cvss import SEVERITIES
from esgledger.registers.line_listing import list_vulnerabilities
from esgledger.registers.sla import set_sla
from esgledger.registers.vulnerabilities import LINE, REGISTER, STAGED, sla_days
from esgledger.registers.vulnerabilities_import import SOURCES

vulns_app = typer.Typer(
    help="Product-security vulnerabilities: intake → triage → fixing → fixed → advisory "
    "published, CVSS v3.1 severity, SLA from intake to fix.",
    no_args_is_help=True,
)


add_import(
    vulns_app,
    STAGED,
    plural="vulnerabilities",
    help=(
        "Import vulnerabilities (ref, entity, product_line, source, cvss_score, intake_at "
        "[, title, cve_id, triage_at, fixing_at, fixed_at, advisory_published_at]); all "
        "or nothing; the severity follows from the score."
    ),
)


@vulns_app.command("sla")
def sla_cmd(
    severity: Annotated[str, typer.Argument(help=f"One of {', '.join(SEVERITIES)}.")],
    days: Annotated[float, typer.Argument(help="Days allowed from intake to fix.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Set the SLA from intake to fix for a severity (audit-logged)."""
    with workspace(db).write() as session:
        set_sla(
            session, register=REGISTER, severity=severity, state=TO_FIX, hours=days * 24,
            severities=SEVERITIES, states=(TO_FIX,), actor=actor(),
        )  # fmt: skip
    if json:
        print_json({"severity": severity, "days": days})
    else:
        console.print(f"SLA for {severity} vulnerabilities: fixed within {days:g} days.")


@vulns_app.command("slas")
def slas_cmd(db: DbOption = None, json: JsonOption = False) -> None:
    """Every severity with its SLA from intake to fix in days (— : not set, not judged)."""
    with workspace(db).read() as session:
        rows = sla_days(slas(session, REGISTER))
    if json:
        print_json(rows)
        return
    print_table(
        "vulnerability SLAs",
        ["severity", "days to fix"],
        ([r["severity"], "—" if r["days"] is None else f"{r['days']:g}"] for r in rows),
    )


@vulns_app.command("list")
def list_cmd(
    year: Annotated[int | None, typer.Option("--year", help="Intake this year.")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only this state.")] = None,
    severity: Annotated[str | None, typer.Option("--severity", help="Only this severity.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help=f"One of {', '.join(SOURCES)}.")
    ] = None,
    search: Annotated[str | None, typer.Option("--search", help="Ref or product line.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)] = 100,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Vulnerabilities, newest first, with severity, fix due date and whether the SLA held."""
    with workspace(db).read() as session:
        found = list_vulnerabilities(
            session, year=year, state=state, severity=severity, entity=entity, source=source,
            search=search, limit=limit,
        )  # fmt: skip
    if json:
        print_json(found)
        return
    print_table(
        f"{len(found['rows'])} of {found['total']} vulnerabilities",
        ["ref", "entity", "intake", "source", "CVSS", "severity", "state", "fix due", "SLA", "CVE"],
        (
            [
                r["ref"], r["entity"], r["intake_at"][:10], r["source"], f"{r['cvss_score']:.1f}",
                r["severity"], r["state"], (r["fix_due"] or "—")[:10],
                {None: "—", True: "met", False: "missed"}[r["sla_met"]], r["cve_id"] or "—",
            ]
            for r in found["rows"]
        ),
    )  # fmt: skip


@vulns_app.command("move")
def move_cmd(
    ref: Annotated[str, typer.Argument(help="The vulnerability's ref.")],
    state: Annotated[str, typer.Argument(help=f"Next state: {', '.join(LINE.states)}.")],
    cve: Annotated[str, typer.Option("--cve", help="CVE id, when publishing the advisory.")] = "",
    version: VersionOption = None,
    note: NoteOption = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Move a vulnerability to its next state, stamping the time (audit-logged)."""
    run_move(
        STAGED, ref, state, version=version, note=note, db=db, json=json,
        shown=("ref", "state", "version", "cve_id"), cve_id=cve,
    )  # fmt: skip
