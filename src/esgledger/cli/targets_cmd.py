"""`esg targets`: targets on catalog metrics and their progress."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.assess import targets as tg
from esgledger.cli.assess_options import emit, fmt
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import print_json, print_table

targets_app = typer.Typer(
    help="Absolute, intensity and ratio targets: pathways, on/off track, met / not met.",
    no_args_is_help=True,
)
CodeArg = Annotated[str, typer.Argument(help="Target code, e.g. OHS-3.")]


@targets_app.command("add")
def add(
    code: CodeArg,
    metric: Annotated[str, typer.Option("--metric", help="Catalog metric id.")],
    op: Annotated[str, typer.Option("--operator", help="<=, >= or = (≤, ≥ too).")],
    value: Annotated[float, typer.Option("--value", help="Target value.")],
    target_year: Annotated[int, typer.Option("--target-year", help="Year to reach it by.")],
    unit: Annotated[str | None, typer.Option("--unit", help="Unit (default the metric's).")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="absolute, intensity or ratio (inferred).")
    ] = None,
    base_year: Annotated[int | None, typer.Option("--base-year", help="Base year.")] = None,
    base_value: Annotated[
        float | None, typer.Option("--base-value", help="Base value (default: the KPI value).")
    ] = None,
    tolerance: Annotated[float, typer.Option("--tolerance", help="Tolerance for =.")] = 0.0,
    scope: Annotated[str, typer.Option("--scope", help="What the target covers.")] = "",
    description: Annotated[str, typer.Option("--description", help="Wording.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add a target."""
    with workspace(db).write() as session:
        t = tg.add_target(
            session,
            code=code,
            metric_id=metric,
            op=op,
            value=value,
            target_year=target_year,
            unit=unit,
            kind=kind,
            base_year=base_year,
            base_value=base_value,
            tolerance=tolerance,
            scope=scope,
            description=description,
            actor=actor(),
        )
        out = tg.target_dict(t)
    emit(
        json,
        out,
        f"Added {code}: {metric} {out['operator']} {value:g} {out['unit']} by {target_year}.",
    )


@targets_app.command("list")
def list_cmd(db: DbOption = None, json: JsonOption = False) -> None:
    """List targets."""
    with workspace(db).read() as session:
        rows = [tg.target_dict(t) for t in tg.list_targets(session)]
    if json:
        print_json(rows)
        return
    print_table(
        "Targets",
        ["code", "metric", "kind", "target", "by", "base"],
        (
            [
                r["code"],
                r["metric"],
                r["kind"],
                f"{r['operator']} {r['target_value']:g} {r['unit']}",
                r["target_year"],
                "" if r["base_year"] is None else f"{r['base_value']:g} ({r['base_year']})",
            ]
            for r in rows
        ),
    )


@targets_app.command("actual")
def actual(
    code: CodeArg,
    year: Annotated[int, typer.Option("--year", help="Year of the actual.")],
    value: Annotated[float, typer.Option("--value", help="Actual, in the target's unit.")],
    qualifier: Annotated[
        str, typer.Option("--qualifier", help="exact, approximately, at_most (≤) or over.")
    ] = "exact",
    note: Annotated[str, typer.Option("--note", help="Where it comes from.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Enter an actual by hand (used when the year has no KPI value)."""
    with workspace(db).write() as session:
        tg.record_actual(
            session, code, year=year, value=value, qualifier=qualifier, note=note, actor=actor()
        )
    emit(
        json,
        {"target": code, "year": year, "value": value, "qualifier": qualifier},
        f"{code} {year}: {value:g} ({qualifier})",
    )


@targets_app.command("progress")
def progress(
    year: Annotated[list[int], typer.Option("--year", help="Year(s) to assess (repeat).")],
    code: Annotated[str | None, typer.Option("--target", help="Only this target.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Progress per target and year: actual, pathway value, on track, status."""
    with workspace(db).read() as session:
        rows = tg.progress(session, years=year, code=code)
    if json:
        print_json(rows)
        return
    mark = {True: "on track", False: "OFF TRACK", None: ""}
    print_table(
        "Target progress",
        ["target", "year", "target", "actual", "pathway", "track", "status", "source"],
        (
            [
                r["target"],
                r["year"],
                f"{r['operator']} {r['target_value']:g} {r['unit']}",
                ("≤ " if r["qualifier"] == "at_most" else "> " if r["qualifier"] == "over" else "")
                + fmt(r["actual"]),
                fmt(r["pathway"]),
                mark[r["on_track"]],
                r["status"],
                r["actual_source"],
            ]
            for r in rows
        ),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(targets_app, name="targets")
