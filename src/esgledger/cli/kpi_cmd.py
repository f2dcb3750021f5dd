"""The KPI table: every metric with value, unit, source and inputs, over several years."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.kpi.series import kpi_series


def _fmt(value: float | None, precision: int) -> str:
    return "—" if value is None else f"{value:,.{precision}f}"


def kpi(
    year: Annotated[int, typer.Option("--year", help="Reporting year (the last column).")],
    boundary: Annotated[
        str | None,
        typer.Option("--boundary", help="Use this boundary for the year's environmental figures."),
    ] = None,
    years: Annotated[int, typer.Option("--years", help="How many years side by side.")] = 3,
    area: Annotated[str | None, typer.Option("--area", help="Only this area, e.g. energy.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Every KPI of the catalog for a year and the years before (the report appendix)."""
    with workspace(db).read() as session:
        series = kpi_series(session, year, years=max(1, years), boundary=boundary)
    if area:
        series["kpis"] = [k for k in series["kpis"] if k["area"] == area]
    if json:
        print_json(series)
        return
    span = [str(y) for y in series["years"]]
    rows = []
    for k in series["kpis"]:
        label = k["name"] + ("" if not k["dims"] else " — " + ", ".join(k["dims"].values()))
        cells = []
        for y in span:
            fig = k["figures"][y]
            text = _fmt(k["values"][y], k["precision"])
            if fig and fig["restated"]:
                text += " ᴿ"
            cells.append(text)
        change = k["change_pct"]
        rows.append(
            [
                label,
                k["unit"],
                *cells,
                "" if change is None else f"{change:+.1f}%",
                k["figures"][span[-1]]["source"] if k["figures"][span[-1]] else "",
            ]
        )
    print_table(f"KPIs {span[0]}–{span[-1]}", ["KPI", "unit", *span, "YoY", "source"], rows)
    console.print(
        "ᴿ restated; `--json` shows inputs, restatement reasons and like-for-like change."
    )


def register(app: typer.Typer) -> None:
    app.command()(kpi)
