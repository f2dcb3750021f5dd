"""The KPI table: every metric with value, unit, source and inputs, over several years,
then the reported and recomputed figures side by side where a metric has both."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput
from esgledger.kpi.explain import explain_figure
from esgledger.kpi.series import kpi_series

# Markers after a value; the legend under the table explains them.
MARKERS = (("restated", "ᴿ"), ("partial", "ᴾ"), ("incomplete", "ᴵ"))
NO_VALUE = {"not_disclosed": "/", "not_applicable": "n.a."}


def _fmt(value: float | None, precision: int) -> str:
    return "—" if value is None else f"{value:,.{precision}f}"


def _cell(fig: dict[str, Any] | None, precision: int) -> str:
    if fig is None:
        return "—"
    text = NO_VALUE.get(fig["status"], "—") if fig["value"] is None else ""
    text = text or _fmt(fig["value"], precision)
    marks = "".join(mark for key, mark in MARKERS if fig.get(key))
    return f"{text} {marks}" if marks else text


def _label(k: dict[str, Any]) -> str:
    return k["name"] + ("" if not k["dims"] else " — " + ", ".join(k["dims"].values()))


def _main_rows(series: dict[str, Any], span: list[str]) -> list[list[str]]:
    rows = []
    for k in series["kpis"]:
        change = k["change_pct"]
        last = k["figures"][span[-1]]
        rows.append(
            [
                _label(k),
                k["unit"],
                *[_cell(k["figures"][y], k["precision"]) for y in span],
                "" if change is None else f"{change:+.1f}%",
                last["source"] if last and last["value"] is not None else "—",
            ]
        )
    return rows


def _side_by_side_rows(series: dict[str, Any], span: list[str]) -> list[list[str]]:
    rows = []
    for k in series["kpis"]:
        for y in span:
            fig = k["figures"][y]
            side = fig and fig.get("comparison")
            if not side:
                continue
            p = k["precision"]
            calc_marks = "ᴾ" if side["calculated_partial"] else ""
            calc_marks += "ᴵ" if side["calculated_incomplete"] else ""
            recomputed = _fmt(side["calculated"], p) + (f" {calc_marks}" if calc_marks else "")
            rows.append(
                [
                    _label(k),
                    y,
                    _fmt(side["reported"], p),
                    recomputed,
                    f"{side['difference']:+,.{p}f}",
                    side["used"],
                    side["why"],
                ]
            )
    return rows


kpi_app = typer.Typer(
    help="Every KPI of the catalog for a year and the years before (the report appendix).",
    invoke_without_command=True,
)


@kpi_app.callback()
def kpi(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="Reporting year (the last column).")
    ] = None,
    boundary: Annotated[
        str | None,
        typer.Option("--boundary", help="Use this boundary for the year's environmental figures."),
    ] = None,
    years: Annotated[int, typer.Option("--years", help="How many years side by side.")] = 3,
    area: Annotated[str | None, typer.Option("--area", help="Only this area, e.g. energy.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Every KPI of the catalog for a year and the years before (the report appendix);
    ``esg kpi explain`` walks one figure down to its inputs."""
    if ctx.invoked_subcommand is not None:
        return
    if year is None:
        raise InvalidInput("give --year YEAR (or a subcommand: explain)")
    with workspace(db).read() as session:
        series = kpi_series(session, year, years=max(1, years), boundary=boundary)
    if area:
        series["kpis"] = [k for k in series["kpis"] if k["area"] == area]
    if json:
        print_json(series)
        return
    print_series(series)


def print_series(series: dict[str, Any], out: Console = console) -> None:
    """The series as ``esg kpi`` prints it: every number whole, however wide ``out`` is
    (a pure function of the series: its tests give one built in memory, #20)."""
    span = [str(y) for y in series["years"]]
    columns = ["KPI", "unit", *span, "YoY", "source"]
    print_table(f"KPIs {span[0]}–{span[-1]}", columns, _main_rows(series, span), out)
    out.print(
        "— not available · / not disclosed · n.a. not applicable · ᴿ restated · "
        "ᴾ partial (data leave out boundary members) · ᴵ incomplete (unresolved activity rows); "
        "`--json` says why, with inputs, restatements and like-for-like change."
    )
    both = _side_by_side_rows(series, span)
    if both:
        print_table(
            "Reported and recomputed",
            ["KPI", "year", "reported", "recomputed", "difference", "used", "why"],
            both,
            out,
        )


@kpi_app.command("explain")
def explain_cmd(
    metric: Annotated[str, typer.Argument(help="Metric id, e.g. ohs.recordable_injuries.")],
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    dims: Annotated[
        str, typer.Option("--dims", help="A breakdown, e.g. worker_type=employee.")
    ] = "",
    boundary: Annotated[
        str | None, typer.Option("--boundary", help="Use this boundary for the year.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """One figure with its source, inputs and, for a register figure, the rows behind it."""
    with workspace(db).read() as session:
        found = explain_figure(session, metric, year, dims=dims, boundary=boundary)
    if json:
        print_json(found)
        return
    fig = found["figure"]
    console.print(
        f"{metric} {year}{' (' + dims + ')' if dims else ''}: "
        f"{_fmt(fig['value'], 2)} {fig['unit']} — {fig['source']}"
        + (f"; {fig['note']}" if fig["note"] else "")
    )
    for item in fig["inputs"]:
        console.print("  input: " + ", ".join(f"{k} {v}" for k, v in item.items()))
    if found["register_rows"]:
        print_table(
            "Register rows behind the figure",
            ["register", "entity", "counts at", "value", "rows"],
            (
                [
                    r["register"],
                    r["entity"],
                    r["member"] or "outside the boundary",
                    _fmt(r["value"], 2),
                    ", ".join(str(i) for i in r["rows"]) or "none (a counted zero)",
                ]
                for r in found["register_rows"]
            ),
        )


def register(app: typer.Typer) -> None:
    app.add_typer(kpi_app, name="kpi")
