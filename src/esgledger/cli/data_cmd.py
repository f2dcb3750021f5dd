"""Data commands: imports, the metric and activity-type catalogs, activities and KPI values."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from esgledger.catalog import activity_types, metrics
from esgledger.cli import corrections_cmd
from esgledger.cli.common import DbOption, JsonOption, SheetOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, err_console, print_json, print_table
from esgledger.errors import InvalidInput
from esgledger.ledger.activities import activity_dict, import_activities, list_activities
from esgledger.ledger.bulk import Progress as ProgressFn
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis, kpi_dict, list_kpis
from esgledger.ledger.products import import_products
from esgledger.ledger.store_list import store_activity_dicts
from esgledger.workflow.kpi_imports import refuse_requested

import_app = typer.Typer(
    help="Import entities, activity data or KPI values from CSV, XLSX or Parquet.",
    no_args_is_help=True,
)
metrics_app = typer.Typer(help="The metric catalog.", no_args_is_help=True)
activities_app = typer.Typer(
    help="Activity types and stored activity records.", no_args_is_help=True
)
kpis_app = typer.Typer(
    help="Stored KPI values as reported (history included on request).", no_args_is_help=True
)

FileArg = Annotated[Path, typer.Argument(help="CSV, XLSX or Parquet file.")]


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressFn | None]:
    """A progress bar on stderr for large inserts; silent for --json or a non-terminal."""
    if not enabled or not err_console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("storing rows"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("rows", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@import_app.command("entities")
def import_entities_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import the organisation tree (columns id, name, parent, country, subdivision[, kind])."""
    with unexpected_failures(file.name):
        summary = import_entities(workspace(db), file, actor=actor(), sheet=sheet).as_dict()
    if json:
        print_json(summary)
    else:
        console.print(
            f"{file.name}: {summary['added']} added, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged."
        )


@import_app.command("activities")
def import_activities_cmd(
    file: FileArg,
    sheet: SheetOption = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Void stored rows with the same keys as the file's rows, then store the file.",
        ),
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the rows are replaced (with --replace).")
    ] = None,
    store: Annotated[
        bool,
        typer.Option(
            "--store",
            help="Write the rows to the Parquet activity store (files by year and entity, "
            "registered with their SHA-256) instead of ledger rows: for very large data.",
        ),
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Import activity data (entity, start, end, activity, quantity, unit, then attributes)."""
    if replace != (reason is not None):
        raise InvalidInput("--replace and --reason go together: --replace --reason 'why'")
    with _progress(not json) as progress, unexpected_failures(file.name):
        summary = import_activities(
            workspace(db),
            file,
            actor=actor(),
            sheet=sheet,
            on_progress=progress,
            replace=reason,
            store=store,
        )
    if json:
        print_json(summary)
    else:
        replaced = f", replacing {summary['replaced']} stored rows" if replace else ""
        where = f" in {summary['store_files']} activity store files" if store else ""
        console.print(
            f"{file.name}: {summary['rows']} activity rows imported as batch "
            f"{summary['batch_id']}{replaced}{where}."
        )


@import_app.command("products")
def import_products_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import product models for Scope 3 categories 11 and 12 (columns product, name,
    lifetime_years, lifetime_low_years, lifetime_high_years, part, item, power_w,
    hours_per_year, mass_kg, treatment; one row per use mode or material)."""
    with unexpected_failures(file.name):
        summary = import_products(workspace(db), file, actor=actor(), sheet=sheet)
    if json:
        print_json(summary)
    else:
        console.print(
            f"{file.name}: {len(summary['added'])} product models added, "
            f"{summary['unchanged']} unchanged."
        )


@import_app.command("kpis")
def import_kpis_cmd(
    file: FileArg, sheet: SheetOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Import reported KPI values (columns entity, year, metric, value, unit, then dimensions).

    A figure a data request owns changes only through its request (entered, reviewed, or
    restated once locked), on the command line as through the API and the pages.
    """
    with unexpected_failures(file.name):
        summary = import_kpis(
            workspace(db), file, actor=actor(), sheet=sheet, guard=refuse_requested
        )
    if json:
        print_json(summary)
    else:
        console.print(
            f"{file.name}: {summary['added']} added, {summary['restated']} restated, "
            f"{summary['unchanged']} unchanged."
        )


@metrics_app.command("list")
def metrics_list(
    area: Annotated[str | None, typer.Option("--area", help="Only this area, e.g. energy.")] = None,
    json: JsonOption = False,
) -> None:
    """List every metric with unit, kind, dimensions and GRI references."""
    rows = [m for m in metrics().values() if area is None or m.area == area]
    if json:
        print_json([m.as_dict() for m in rows])
    else:
        print_table(
            f"{len(rows)} metrics",
            ["id", "name", "unit", "kind", "dimensions", "GRI"],
            (
                [m.id, m.name, m.unit, m.kind, ", ".join(m.dimensions), ", ".join(m.gri)]
                for m in rows
            ),
        )


@activities_app.command("types")
def activities_types(json: JsonOption = False) -> None:
    """List the activity types an activity record can name."""
    rows = list(activity_types().values())
    if json:
        print_json(
            [
                {
                    "id": t.id,
                    "name": t.name,
                    "category": t.category,
                    "scope": t.scope,
                    "scope3_category": t.scope3_category,
                    "default_use": t.default_use,
                    "units": list(t.units),
                    "description": t.description,
                }
                for t in rows
            ]
        )
    else:
        print_table(
            f"{len(rows)} activity types",
            ["id", "name", "scope", "units"],
            ([t.id, t.name, t.scope or "", " | ".join(t.units)] for t in rows),
        )


@activities_app.command("list")
def activities_list(
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Only periods starting in this year.")
    ] = None,
    activity: Annotated[
        str | None, typer.Option("--activity", help="Only this activity type.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many rows.")] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Include voided rows, with why and by whom.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List stored activity records as they were imported (live ones, unless --history)."""
    with workspace(db).read() as session:
        rows: list[dict[str, Any]] = [
            activity_dict(r)
            for r in list_activities(
                session, entity=entity, year=year, activity=activity, limit=limit, history=history
            )
        ]
        stored = store_activity_dicts(
            session, entity=entity, year=year, activity=activity, limit=limit
        )
    rows = sorted([*rows, *stored], key=lambda r: int(r["id"]))[:limit]
    if json:
        print_json(rows)
    else:
        columns = ["id", "entity", "start", "end", "activity", "quantity", "unit", "attributes"]
        store_ids = {s["id"] for s in stored}
        in_store = sum(1 for r in rows if r["id"] in store_ids)
        kept = f" ({in_store} kept in the activity store)" if in_store else ""
        print_table(
            f"{len(rows)} activity records{kept}",
            [*columns, "voided"] if history else columns,
            (_activity_cells(r, history) for r in rows),
        )


def _activity_cells(row: dict[str, Any], history: bool) -> list[object]:
    cells: list[object] = [
        row["id"],
        row["entity"],
        row["start"],
        row["end"],
        row["activity"],
        row["quantity"],
        row["unit"],
        row["attributes"] or "",
    ]
    if history:
        voided = row["voided"]
        cells.append(f"{voided['at'][:10]} by {voided['by']}: {voided['reason']}" if voided else "")
    return cells


@kpis_app.command("list")
def kpis_list(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Only this metric.")] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Include values replaced by restatements.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List stored KPI values; restated ones are marked."""
    with workspace(db).read() as session:
        rows = [
            kpi_dict(v)
            for v in list_kpis(session, year=year, entity=entity, metric=metric, history=history)
        ]
    if json:
        print_json(rows)
    else:
        print_table(
            f"{len(rows)} KPI values",
            ["entity", "year", "metric", "breakdown", "value", "unit", "status", "note"],
            (
                [
                    r["entity"],
                    r["year"],
                    r["metric"],
                    ", ".join(f"{k}={v}" for k, v in r["dims"].items()),
                    ("" if r["value"] is None else r["value"])
                    if r["current"]
                    else f"{r['value']} (replaced)",
                    r["unit"],
                    r["status"],
                    ("restated: " + r["restatement_reason"]) if r["restates"] else r["note"],
                ]
                for r in rows
            ),
        )


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(metrics_app, name="metrics")
    corrections_cmd.register(activities_app)
    app.add_typer(activities_app, name="activities")
    app.add_typer(kpis_app, name="kpis")
