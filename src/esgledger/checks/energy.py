"""Reading stored calculation runs for the checks: which run a year's figures use, what a run
implies per unit of activity (an implied factor), and what explains an indirect-energy gap."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from itertools import chain

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from esgledger.calc.lineage import result_rows
from esgledger.calc.runs import results_stored
from esgledger.checks.context import CheckContext
from esgledger.kpi.calculated import latest_run
from esgledger.kpi.store_sums import store_sums
from esgledger.ledger.activities import live
from esgledger.ledger.activity_store import has_files, read_store, rows_by_id
from esgledger.ledger.models import (
    ActivityRecord,
    CalculationResult,
    CalculationRun,
    ImportBatch,
)
from esgledger.units import compatible, multiplier

# Purchased energy that is not electricity: GB/T 2589 counts it as indirect energy too, but
# SYSTEM.md §6 defines indirect energy as electricity only.
NON_ELECTRIC = ("heat.purchased", "steam.purchased", "cooling.purchased")


def run_for(ctx: CheckContext, year: int) -> CalculationRun | None:
    """The run the year's energy/GHG figures come from (as the KPI table picks it)."""
    scope = ctx.scopes(year).for_family("energy_ghg")
    return latest_run(ctx.session, year, scope.code)


def implied(
    ctx: CheckContext,
    run: CalculationRun,
    activities: tuple[str, ...],
    quantity: str,
    unit: str,
    *,
    co2e: bool = False,
) -> tuple[float, float] | None:
    """(Σ result, Σ activity in ``unit``) over the run's result rows of ``activities`` and
    ``quantity``; records whose unit cannot be expressed in ``unit`` are left out."""
    if results_stored(run):
        column = CalculationResult.co2e if co2e else CalculationResult.value
        rows: Iterable[tuple[int, str, float, float | None]] = ctx.session.execute(
            select(ActivityRecord.id, ActivityRecord.unit, ActivityRecord.quantity, column)
            .join(ActivityRecord, ActivityRecord.id == CalculationResult.activity_id)
            .where(
                CalculationResult.run_id == run.id,
                CalculationResult.quantity == quantity,
                ActivityRecord.activity.in_(activities),
            )
        )
        rows = [*rows, *_stored_results(ctx, run, activities, quantity, column)]
    else:
        rows = _recomputed(ctx, run, activities, quantity, co2e=co2e)
    results: list[float] = []
    amounts: dict[int, float] = {}
    for record_id, record_unit, amount, value in rows:
        if value is None or not compatible(record_unit, unit):
            continue
        results.append(value)
        amounts[record_id] = amount * multiplier(record_unit, unit)
    if not amounts:
        return None
    # exactly rounded sums: the same figures whatever order the rows arrive in
    return math.fsum(results), math.fsum(amounts.values())


def _stored_results(
    ctx: CheckContext,
    run: CalculationRun,
    activities: tuple[str, ...],
    quantity: str,
    column: InstrumentedAttribute[float | None],
) -> list[tuple[int, str, float, float | None]]:
    """The run's result rows of store rows (ids with no ledger row, read from the files):
    the join to ``activity_records`` drops them."""
    if not has_files(ctx.session):
        return []
    orphans = dict(
        ctx.session.execute(
            select(CalculationResult.activity_id, column).where(
                CalculationResult.run_id == run.id,
                CalculationResult.quantity == quantity,
                ~select(ActivityRecord.id)
                .where(ActivityRecord.id == CalculationResult.activity_id)
                .exists(),
            )
        ).all()
    )
    stored = rows_by_id(ctx.session, orphans)
    return [
        (i, row.unit, row.quantity, orphans[i])
        for i, row in stored.items()
        if row.activity in activities
    ]


def _recomputed(
    ctx: CheckContext,
    run: CalculationRun,
    activities: tuple[str, ...],
    quantity: str,
    *,
    co2e: bool,
) -> list[tuple[int, str, float, float | None]]:
    """The rows :func:`implied` reads, for a large run that stored no result rows: its results
    recomputed from its inputs (``calc.lineage``), joined to their activity records of the
    run's year (the run read no other: other years' rows would only be read to be dropped)."""
    results = result_rows(ctx.session, run, (quantity,)).select(
        "activity_id", pl.col("co2e" if co2e else "value").alias("result")
    )
    records = pl.DataFrame(
        ctx.session.execute(
            select(ActivityRecord.id, ActivityRecord.unit, ActivityRecord.quantity).where(
                ActivityRecord.activity.in_(activities),
                ActivityRecord.start >= dt.date(run.year, 1, 1),
                ActivityRecord.start <= dt.date(run.year, 12, 31),
            )
        ).all(),
        schema={"activity_id": pl.Int64, "unit": pl.Utf8, "amount": pl.Float64},
        orient="row",
    )
    stored = read_store(ctx.session, run.year, activities=list(activities)).select(
        pl.col("id").alias("activity_id"), "unit", pl.col("quantity").alias("amount")
    )
    records = pl.concat([records, stored])
    joined = records.join(results, on="activity_id", how="inner")
    return [
        (int(i), str(u), float(a), r)
        for i, u, a, r in joined.select("activity_id", "unit", "amount", "result").iter_rows()
    ]


def _non_electric(ctx: CheckContext) -> dict[str, dict[str, float]]:
    members = ctx.scopes().for_family("energy_ghg").shares
    rows = ctx.session.execute(
        select(ActivityRecord.activity, ActivityRecord.entity_id, ActivityRecord.unit)
        .add_columns(func.sum(ActivityRecord.quantity))
        .where(
            live(),
            ActivityRecord.activity.in_(NON_ELECTRIC),
            ActivityRecord.start >= dt.date(ctx.year, 1, 1),
            ActivityRecord.start <= dt.date(ctx.year, 12, 31),
        )
        .group_by(ActivityRecord.activity, ActivityRecord.entity_id, ActivityRecord.unit)
    )
    out: dict[str, dict[str, float]] = defaultdict(dict)
    stored = store_sums(ctx.session, ctx.year, NON_ELECTRIC).iter_rows()
    for activity, entity, unit, total in chain(rows, stored):
        if entity in members:
            out[activity][unit] = out[activity].get(unit, 0.0) + float(total)
    return out


def indirect_energy_notes(ctx: CheckContext) -> str:
    """Why indirect energy may differ from electricity × coefficient: heat or steam records
    in the boundary, or a run stored before the last activity import."""
    notes = []
    for activity, by_unit in sorted(_non_electric(ctx).items()):
        amounts = ", ".join(f"{q:,.2f} {u}" for u, q in sorted(by_unit.items()))
        notes.append(f"The boundary has {activity} records this year ({amounts}).")
    run = run_for(ctx, ctx.year)
    if run is not None:
        later = ctx.session.scalar(
            select(func.count())
            .select_from(ImportBatch)
            .where(ImportBatch.kind == "activities", ImportBatch.created_at > run.created_at)
        )
        if later:
            notes.append(
                f"Calculation run {run.id} was stored before {later} later activity import(s)."
            )
    return " ".join(notes)
