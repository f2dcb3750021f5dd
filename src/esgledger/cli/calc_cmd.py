"""Calculation commands: run the energy/GHG engine, list runs, explain a figure."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from esgledger.calc.explain import explain
from esgledger.calc.instruments import CHECKED, finding
from esgledger.calc.options import (
    EDITION_RULES,
    LATEST_PUBLISHED,
    PROFILES,
    RunOptions,
    describe_rule,
    parse_energy_coefficients,
    parse_pins,
)
from esgledger.calc.rejected_instruments import SHOWN as REJECTED_SHOWN
from esgledger.calc.rejected_instruments import read_page
from esgledger.calc.resolution_notes import resolution_notes
from esgledger.calc.runs import (
    get_run,
    list_runs,
    run_calculation,
    run_summary,
    stored_unresolved,
)
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput
from esgledger.ledger.run_totals import stored_totals

calc_app = typer.Typer(
    help="Energy (tce) and GHG (Scope 1, Scope 2 location and market) from activity data.",
    invoke_without_command=True,
)

SHOWN = (
    ("energy_direct_tce", "Direct energy", "tce"),
    ("energy_indirect_tce", "Indirect energy", "tce"),
    ("energy_total_tce", "Total energy", "tce"),
    ("scope1_tco2e", "Scope 1", "tCO2e"),
    ("scope2_location_tco2e", "Scope 2 (location-based)", "tCO2e"),
    ("scope2_market_tco2e", "Scope 2 (market-based)", "tCO2e"),
    ("scope3_tco2e", "Scope 3", "tCO2e"),
)


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"--as-of {text!r} is not a date (use YYYY-MM-DD)") from None


def _figure(summary: dict[str, Any], key: str) -> str:
    """A total as printed: a figure no row gives (Scope 3) is "not available" with why."""
    value = summary["totals"].get(key)
    if value is None:
        return summary["scope3"].get("total_reason") or "not available"
    return f"{value:,.2f}"


def _print_summary(summary: dict[str, Any]) -> None:
    console.print(
        f"Run {summary['run_id']}: {summary['year']}, "
        f"boundary {summary['boundary'] or 'all entities'}, "
        f"profile {summary['profile']}, {summary['activity_rows']} activity rows"
    )
    print_table(
        None,
        ["figure", "value", "unit"],
        ([label, _figure(summary, k), u] for k, label, u in SHOWN),
    )
    console.print("Editions used: " + ", ".join(summary["editions"]))
    console.print(describe_rule(summary["edition_rule"]))
    for note in summary["resolution_notes"] or []:
        console.print(f"[yellow]note[/yellow] {note}")
    _print_rejected(summary)
    for criterion in (summary.get("scope2_instruments") or {}).get("criteria", []):
        if criterion["status"] != CHECKED:  # said of the run, not per instrument
            console.print(
                f"[yellow]instrument[/yellow] Scope 2 Quality Criteria: criterion "
                f"{criterion['criterion']} {criterion['status']}: {criterion['why']}"
            )
    for item in summary["unresolved"]:
        console.print(
            f"[yellow]unresolved[/yellow] {item['activity']} ({item['quantity']}): "
            f"{item['reason']} — {item['rows']} rows"
        )
    for key, block in summary["scope3"]["by_category"].items():
        if (block.get("screening") or {}).get("relevant") and block["status"] == "not_available":
            console.print(f"[yellow]not available[/yellow] Scope 3 {key}: {block['reason']}")
    if summary["incomplete"]:
        short = ", ".join(summary["incomplete_figures"]) or "some figures"
        console.print(
            f"[bold red]INCOMPLETE[/bold red]: {summary['unresolved_rows']} activity results "
            f"unresolved or relevant Scope 3 categories without data, so {short} are short; "
            "fix them, or give --allow-incomplete to accept"
        )


def _print_rejected(summary: dict[str, Any]) -> None:
    """The page of rejected instruments listed, and where the others are when it is not all
    of them (``esg calc show --rejected-offset``)."""
    block = summary.get("scope2_instruments") or {}
    page, total = block.get("rejected", []), block.get("rejected_rows", 0)
    for rejected in page:
        console.print(f"[yellow]instrument[/yellow] {finding(rejected)}")
    first = block.get("rejected_offset", 0)
    if len(page) < total:
        last = first + len(page)
        more = (
            f"; `esg calc show --run {summary['run_id']} --rejected-offset {last}` lists the next"
            if last < total
            else ""
        )
        console.print(
            f"[yellow]instrument[/yellow] rejected instruments {first + 1}-{last} of {total} "
            f"listed{more}"
        )


@calc_app.callback()
def calc(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", help="Reporting year to calculate.")] = None,
    boundary: Annotated[
        str | None,
        typer.Option("--boundary", help="Boundary code (default: the year's energy_ghg boundary)."),
    ] = None,
    pin: Annotated[
        list[str] | None,
        typer.Option("--pin", help="Use this edition for a series: SERIES=EDITION (repeat)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Report cut-off: use the latest editions published by this date (YYYY-MM-DD; "
            "default: the year's end + ESG_REPORT_CUTOFF_MONTHS).",
        ),
    ] = None,
    edition_rule: Annotated[
        str,
        typer.Option(
            "--edition-rule", help=f"How editions are chosen: {', '.join(EDITION_RULES)}."
        ),
    ] = LATEST_PUBLISHED,
    gwp: Annotated[str, typer.Option("--gwp", help="GWP set: AR4, AR5 or AR6.")] = "AR5",
    profile: Annotated[
        str, typer.Option("--profile", help=f"Factor profile: {', '.join(PROFILES)}.")
    ] = "default",
    electricity: Annotated[
        str,
        typer.Option("--electricity", help="Electricity to tce: equivalent_value or equal_value."),
    ] = "equivalent_value",
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail, storing nothing, if any activity has no factor.")
    ] = False,
    allow_incomplete: Annotated[
        bool,
        typer.Option(
            "--allow-incomplete",
            help="Exit 0 even if some activities have no factor (the run is stored flagged "
            "incomplete either way; without this option such a run exits 1).",
        ),
    ] = False,
    energy_coefficient: Annotated[
        list[str] | None,
        typer.Option(
            "--energy-coefficient",
            help="Use this standard-coal coefficient for one carrier: ACTIVITY=EDITION[:VARIANT], "
            "e.g. fuel.natural_gas=gbt2589-2008:gas_field_gas (repeat).",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local (this process) or spark (Apache Spark at ESG_SPARK_MASTER; needs the "
            "esgledger[spark] extra): the same figures either way.",
        ),
    ] = "local",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Calculate a year and store the run (subcommands: runs, show, explain)."""
    if ctx.invoked_subcommand is not None:
        return
    if year is None:
        raise InvalidInput("give --year YEAR (or a subcommand: runs, show, explain)")
    options = RunOptions(
        year=year,
        boundary=boundary,
        profile=profile,
        pins=parse_pins(pin or []),
        cutoff=_date(as_of),
        edition_rule=edition_rule,
        gwp=gwp,
        electricity_basis=electricity,
        strict=strict,
        energy_coefficients=parse_energy_coefficients(energy_coefficient or []),
    )
    summary = run_calculation(workspace(db), options, actor=actor(), engine=engine)
    if json:
        print_json(summary)
    else:
        _print_summary(summary)
    if summary["incomplete"] and not allow_incomplete:
        raise typer.Exit(1)


@calc_app.command("runs")
def runs(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List stored calculation runs."""
    with workspace(db).read() as session:
        rows = [run_summary(r) for r in list_runs(session, year=year)]
    if json:
        print_json(
            [
                {
                    k: r[k]
                    for k in (
                        "run_id",
                        "year",
                        "boundary",
                        "profile",
                        "created_at",
                        "input_digest",
                        "totals",
                    )
                }
                for r in rows
            ]
        )
    else:
        print_table(
            "Calculation runs",
            ["run", "year", "boundary", "profile", "created (UTC)", "Scope 1", "Scope 2 (market)"],
            (
                [
                    r["run_id"],
                    r["year"],
                    r["boundary"],
                    r["profile"],
                    r["created_at"][:19],
                    f"{r['totals']['scope1_tco2e']:,.2f}",
                    f"{r['totals']['scope2_market_tco2e']:,.2f}",
                ]
                for r in rows
            ),
        )


@calc_app.command("show")
def show(
    run: Annotated[int, typer.Option("--run", help="Run id.")],
    rejected_offset: Annotated[
        int,
        typer.Option(
            "--rejected-offset", min=0, help="List rejected instruments from this one (0: first)."
        ),
    ] = 0,
    rejected_limit: Annotated[
        int,
        typer.Option("--rejected-limit", min=0, help="Rejected instruments to list at most."),
    ] = REJECTED_SHOWN,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Show a stored run's totals, options and editions, and a page of the instrument rows
    failing the Scope 2 Quality Criteria (with their count)."""
    with workspace(db).read() as session:
        stored = get_run(session, run)
        block = stored_totals(stored.totals).get("scope2_instruments") or {}
        page = read_page(session, stored, block, offset=rejected_offset, limit=rejected_limit)
        summary = run_summary(
            stored,
            stored_unresolved(session, stored),
            resolution_notes(session, stored),
            rejected=page,
            rejected_offset=rejected_offset,
        )
    if json:
        print_json(summary)
    else:
        _print_summary(summary)


@calc_app.command("explain")
def explain_cmd(
    run: Annotated[int, typer.Option("--run", help="Run id.")],
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric",
            help="A calculated metric (ghg.scope1) or scope1, scope2_market, energy_direct…",
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows to show.")] = 50,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Walk a figure down to its activity rows, factors, unit multipliers and rules."""
    with workspace(db).read() as session:
        result = explain(session, run, entity=entity, metric=metric, limit=limit)
    if json:
        print_json(result)
        return
    console.print(describe_rule(result["edition_rule"]))
    for name, fig in result["figures"].items():
        why = fig.get("reason") or "unresolved rows left out; `esg calc show` lists them"
        short = f" [red](incomplete: {why})[/red]"
        if fig["value"] is None:  # a Scope 3 category without a figure: never a 0
            console.print(f"[bold]{name}[/bold]: not available ({fig.get('reason')})")
            continue
        console.print(
            f"[bold]{name}[/bold]: {fig['value']:,.4f} {fig['unit']} from {fig['rows']} rows"
            + (short if fig["incomplete"] else "")
        )
    for r in result["rows"]:
        console.print(
            f"#{r['activity_id']} {r['entity']} {r['activity']} {r['start']}…{r['end']}: "
            f"{r['quantity']:g} {r['unit']} × {r['multiplier']:g} → "
            f"{r['value']:.6g} {r['value_unit']} {r['gas'] or ''}".rstrip()
        )
        for f in r["factors"]:
            console.print(
                f"    factor {f['id']} = {f.get('value', '?')} {f.get('unit', '')} "
                f"({f.get('status', '')}; {f.get('citation', '')})"
            )
        covered = r["covered_by_instruments"]
        note = f"; {covered:.2%} covered by certificates/PPAs" if covered else ""
        flags = f"; flags: {', '.join(r['flags'])}" if r["flags"] else ""
        console.print(f"    rule: {r['rule']}{note}{flags}")
    if result["rows_shown"] < sum(f["rows"] for f in result["figures"].values()):
        console.print(f"(first {result['rows_shown']} rows; use --limit or --entity to see others)")


def register(app: typer.Typer) -> None:
    app.add_typer(calc_app, name="calc")
