"""Stored calculation runs in the checks (read through ``ctx.reads``): which run a year's
figures use, what a run implies per unit of activity (an implied factor), and what explains
an indirect-energy gap."""

from __future__ import annotations

from collections import defaultdict

import polars as pl
from sqlalchemy.orm import object_session

from esgledger.calc.implied import (
    IMPLIED_ACTIVITIES,
    IMPLIED_QUANTITIES,
    implied_sums,
    stored_implied,
)
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import Message, english, said
from esgledger.ledger.models import CalculationRun
from esgledger.ledger.run_totals import stored_totals
from esgledger.ledger.state_cache import StateCache

# Purchased energy that is not electricity: GB/T 2589 counts it as indirect energy too, but
# SYSTEM.md §6 defines indirect energy as electricity only.
NON_ELECTRIC = ("heat.purchased", "steam.purchased", "cooling.purchased")

Sums = tuple[float, float] | None
# A stored run's results never change, so what it implies is kept by run for the process:
# the pages' findings rerun this rule after every write in the checked year, and reading
# the run's result rows again was most of that rerun (230 of 307 CPU ms on the
# 4,300-request demo, #14). Keyed by the database, the run's id and its inputs' digest (a
# restored workspace may hold another run under the same id).
implied_kept: StateCache[tuple[Sums]] = StateCache(256)


def run_for(ctx: CheckContext, year: int) -> CalculationRun | None:
    """The run the year's energy/GHG figures come from (as the KPI table picks it)."""
    scope = ctx.scopes(year).for_family("energy_ghg")
    return ctx.reads.run(year, scope.code)


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
    one stored before that is recomputed from its inputs. Kept by run (:data:`implied_kept`)."""

    def read() -> tuple[Sums]:
        found, sums = stored_implied(stored_totals(run.totals), activities, quantity, unit, co2e)
        if found:
            return (sums,)
        rows = run_rows(ctx, run, activities, quantity)
        return (implied_sums(rows, activities, quantity, unit, co2e=co2e),)

    session = object_session(run)
    if session is None:  # a run given in memory, not read from a database: nothing to key by
        return read()[0]
    database = str(session.get_bind().engine.url)
    key = (database, run.id, run.input_digest, str(run.created_at), activities, quantity, unit)
    return implied_kept.get((*key, co2e), read)[0]


def run_rows(
    ctx: CheckContext, run: CalculationRun, activities: tuple[str, ...], quantity: str
) -> pl.DataFrame:
    """The run's result rows of ``activities`` and ``quantity`` with their records' activity,
    unit and amount (``RUN_ROWS_SCHEMA``). Those the implied-factor rules read come from one
    read (or one recomputation) of the run per check, kept in ``ctx.memo``."""
    if set(activities) <= IMPLIED_ACTIVITIES and quantity in IMPLIED_QUANTITIES:
        key = ("implied rows", run.id)
        if key not in ctx.memo:
            ctx.memo[key] = ctx.reads.run_rows(
                run, tuple(sorted(IMPLIED_ACTIVITIES)), tuple(sorted(IMPLIED_QUANTITIES))
            )
        return ctx.memo[key]  # type: ignore[no-any-return]
    return ctx.reads.run_rows(run, activities, (quantity,))


def _non_electric(ctx: CheckContext) -> dict[str, dict[str, float]]:
    members = ctx.scopes().for_family("energy_ghg").shares
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for activity, entity, unit, total in ctx.reads.non_electric(ctx.year, NON_ELECTRIC):
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
        later = ctx.reads.imports_after(run.created_at)
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
