"""Reading stored calculation runs for the checks: which run a year's figures use, what a run
implies per unit of activity (an implied factor), and what explains an indirect-energy gap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import chain

import polars as pl
from sqlalchemy import func, select

from esgledger.calc.implied import (
    IMPLIED_ACTIVITIES,
    IMPLIED_QUANTITIES,
    RUN_ROWS_SCHEMA,
    implied_sums,
    stored_implied,
)
from esgledger.calc.lineage import result_rows
from esgledger.calc.runs import results_stored
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import Message, english, said
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
from esgledger.ledger.run_totals import stored_totals

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
    ``quantity``; records whose unit cannot be expressed in ``unit`` are left out. A run
    that stored no result rows kept these sums when it was computed (``calc.implied``);
    one stored before that is recomputed from its inputs."""
    found, sums = stored_implied(stored_totals(run.totals), activities, quantity, unit, co2e)
    if found:
        return sums
    return implied_sums(
        run_rows(ctx, run, activities, quantity), activities, quantity, unit, co2e=co2e
    )


def run_rows(
    ctx: CheckContext, run: CalculationRun, activities: tuple[str, ...], quantity: str
) -> pl.DataFrame:
    """The run's result rows of ``activities`` and ``quantity`` with their records' activity,
    unit and amount (``RUN_ROWS_SCHEMA``). Those the implied-factor rules read come from one
    read (or one recomputation) of the run per check, kept in ``ctx.memo``."""
    if set(activities) <= IMPLIED_ACTIVITIES and quantity in IMPLIED_QUANTITIES:
        key = ("implied rows", run.id)
        if key not in ctx.memo:
            ctx.memo[key] = _read_run_rows(
                ctx, run, tuple(sorted(IMPLIED_ACTIVITIES)), tuple(sorted(IMPLIED_QUANTITIES))
            )
        return ctx.memo[key]  # type: ignore[no-any-return]
    return _read_run_rows(ctx, run, activities, (quantity,))


def _read_run_rows(
    ctx: CheckContext,
    run: CalculationRun,
    activities: tuple[str, ...],
    quantities: tuple[str, ...],
) -> pl.DataFrame:
    if not results_stored(run):
        return _recomputed(ctx, run, activities, quantities)
    rows = ctx.session.execute(
        select(
            ActivityRecord.id,
            ActivityRecord.activity,
            ActivityRecord.unit,
            ActivityRecord.quantity,
            CalculationResult.quantity,
            CalculationResult.value,
            CalculationResult.co2e,
        )
        .join(ActivityRecord, ActivityRecord.id == CalculationResult.activity_id)
        .where(
            CalculationResult.run_id == run.id,
            CalculationResult.quantity.in_(quantities),
            ActivityRecord.activity.in_(activities),
        )
    ).all()
    ledger = pl.DataFrame(rows, schema=RUN_ROWS_SCHEMA, orient="row")
    return pl.concat([ledger, _stored_results(ctx, run, activities, quantities)])


def _stored_results(
    ctx: CheckContext,
    run: CalculationRun,
    activities: tuple[str, ...],
    quantities: tuple[str, ...],
) -> pl.DataFrame:
    """The run's result rows of store rows (ids with no ledger row, read from the files):
    the join to ``activity_records`` drops them."""
    if not has_files(ctx.session):
        return pl.DataFrame(schema=RUN_ROWS_SCHEMA)
    orphans = ctx.session.execute(
        select(
            CalculationResult.activity_id,
            CalculationResult.quantity,
            CalculationResult.value,
            CalculationResult.co2e,
        ).where(
            CalculationResult.run_id == run.id,
            CalculationResult.quantity.in_(quantities),
            ~select(ActivityRecord.id)
            .where(ActivityRecord.id == CalculationResult.activity_id)
            .exists(),
        )
    ).all()
    stored = rows_by_id(ctx.session, {row[0] for row in orphans})
    return pl.DataFrame(
        [
            (i, row.activity, row.unit, row.quantity, q, value, co2e)
            for i, q, value, co2e in orphans
            if (row := stored.get(i)) is not None and row.activity in activities
        ],
        schema=RUN_ROWS_SCHEMA,
        orient="row",
    )


def _recomputed(
    ctx: CheckContext,
    run: CalculationRun,
    activities: tuple[str, ...],
    quantities: tuple[str, ...],
) -> pl.DataFrame:
    """The rows :func:`run_rows` reads, for a large run that stored no result rows: its
    results recomputed from its inputs (``calc.lineage``), joined to their activity records
    of the run's year (the run read no other: other years' rows would only be read to be
    dropped)."""
    results = result_rows(ctx.session, run, quantities).select(
        "activity_id", "quantity", "value", "co2e"
    )
    records = pl.DataFrame(
        ctx.session.execute(
            select(
                ActivityRecord.id,
                ActivityRecord.activity,
                ActivityRecord.unit,
                ActivityRecord.quantity,
            ).where(
                ActivityRecord.activity.in_(activities),
                ActivityRecord.start >= dt.date(run.year, 1, 1),
                ActivityRecord.start <= dt.date(run.year, 12, 31),
            )
        ).all(),
        schema={
            "activity_id": pl.Int64,
            "activity": pl.Utf8,
            "unit": pl.Utf8,
            "amount": pl.Float64,
        },
        orient="row",
    )
    stored = read_store(ctx.session, run.year, activities=list(activities)).select(
        pl.col("id").alias("activity_id"), "activity", "unit", pl.col("quantity").alias("amount")
    )
    records = pl.concat([records, stored.cast(records.schema)])
    return records.join(results, on="activity_id", how="inner").select(list(RUN_ROWS_SCHEMA))


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


def indirect_energy_messages(ctx: CheckContext) -> list[Message]:
    """Why indirect energy may differ from electricity × coefficient: heat or steam records
    in the boundary, or a run stored before the last activity import."""
    notes = []
    for activity, by_unit in sorted(_non_electric(ctx).items()):
        amounts = ", ".join(f"{q:,.2f} {u}" for u, q in sorted(by_unit.items()))
        notes.append(
            said(
                N_("The boundary has %(activity)s records this year (%(amounts)s)."),
                {"activity": activity, "amounts": amounts},  # the activity's id, a code
            )
        )
    run = run_for(ctx, ctx.year)
    if run is not None:
        later = ctx.session.scalar(
            select(func.count())
            .select_from(ImportBatch)
            .where(ImportBatch.kind == "activities", ImportBatch.created_at > run.created_at)
        )
        if later:
            notes.append(
                said(
                    N_(
                        "Calculation run %(run)s was stored before %(later)s later activity "
                        "import(s)."
                    ),
                    {"run": run.id, "later": later},
                )
            )
    return notes


def indirect_energy_notes(ctx: CheckContext) -> str:
    """:func:`indirect_energy_messages` in English."""
    return " ".join(english(m) for m in indirect_energy_messages(ctx))
