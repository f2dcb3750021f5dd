"""Calculated figures: totals of the year's latest calculation run, and sums of activity data.

``calc:<key>`` metrics read the stored run (the same numbers `esg calc show` prints and
`esg calc explain` walks down); ``activity:<type>`` metrics add up the activity records of
the boundary's members, converted to the metric's unit.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.catalog import Metric, activity_types
from esgledger.kpi import incomplete_why as why_of
from esgledger.kpi.collector import collector_paused
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.register_figures.notes import coded, note_of, part_english
from esgledger.kpi.scope import Scope
from esgledger.kpi.scope3_figures import (
    TOTAL,
    category_figure,
    is_category_line,
    scope3_incomplete,
    total_gaps_why,
    total_reason,
    total_reason_note,
)
from esgledger.kpi.store_sums import add_store_sums
from esgledger.kpi.unresolved import Unresolved, calc_parts, in_part
from esgledger.ledger.activities import live
from esgledger.ledger.models import ActivityRecord, CalculationRun
from esgledger.ledger.run_totals import stored_totals
from esgledger.units import compatible, multiplier

# Reports give water in tonnes and meters read cubic metres: 1 m3 of water is taken as 1 t.
WATER_TONNES_PER_M3 = 1.0


def latest_run(session: Session, year: int, boundary: str | None) -> CalculationRun | None:
    """The newest stored run of the year on this boundary (any boundary if none matches)."""
    runs = list(
        session.scalars(
            select(CalculationRun).where(CalculationRun.year == year).order_by(CalculationRun.id)
        )
    )
    matching = [r for r in runs if (r.boundary_code or None) == boundary]
    return (matching or runs or [None])[-1]


Sums = dict[tuple[str, str], list[tuple[str, float]]]


class ActivitySums(defaultdict[tuple[str, str], list[tuple[str, float]]]):
    """A year's :data:`Sums` that also keeps its keys by activity, once: a KPI table asks
    for each activity metric in turn, and walking every (activity, entity) key for each of
    them cost a few hundred passes over 80,000 keys at 10,000 entities."""

    def __init__(self) -> None:
        super().__init__(list)
        self._by_activity: dict[str, list[tuple[str, list[tuple[str, float]]]]] | None = None
        self._values: dict[tuple[str, str], tuple[dict[str, float], set[str]]] = {}

    def metric_values(self, activity: str, unit: str) -> tuple[dict[str, float], set[str]]:
        """:func:`entity_activity_values` of an activity in ``unit``, worked out once: the
        KPI table and the year-on-year like-for-like both ask (read-only results). The sums
        must not change once asked."""
        key = (activity, unit)
        if key not in self._values:
            self._values[key] = _entity_values(self.of_activity(activity), activity, unit)
        return self._values[key]

    def of_activity(self, activity: str) -> list[tuple[str, list[tuple[str, float]]]]:
        """(entity, [(unit, quantity)]) of one activity, in the order the sums were read."""
        if self._by_activity is None:
            self._by_activity = by_activity(self)
        return self._by_activity.get(activity, [])


def by_activity(sums: Sums) -> dict[str, list[tuple[str, list[tuple[str, float]]]]]:
    """The sums' (entity, parts) grouped by activity, in their order."""
    out: dict[str, list[tuple[str, list[tuple[str, float]]]]] = defaultdict(list)
    for (activity, entity), parts in sums.items():
        out[activity].append((entity, parts))
    return out


def activity_sums(session: Session, year: int) -> Sums:
    """(activity, entity) → [(unit, summed quantity)] for records starting in ``year``."""
    return activity_sums_by_year(session, [year])[year]


@collector_paused()
def activity_sums_by_year(session: Session, years: list[int]) -> dict[int, Sums]:
    """:func:`activity_sums` of several years in one query (a KPI series reads each year
    twice: for its table and for like-for-like change)."""
    year = func.extract("year", ActivityRecord.start)
    stmt = (
        select(
            year,
            ActivityRecord.activity,
            ActivityRecord.entity_id,
            ActivityRecord.unit,
            func.sum(ActivityRecord.quantity),
        )
        .where(
            live(),
            ActivityRecord.start >= dt.date(min(years), 1, 1),
            ActivityRecord.start <= dt.date(max(years), 12, 31),
            # the same rows again, said so the grouping index (its first column) is searched
            # for the years rather than read whole
            year >= min(years),
            year <= max(years),
        )
        .group_by(year, ActivityRecord.activity, ActivityRecord.entity_id, ActivityRecord.unit)
    )
    out: dict[int, Sums] = {y: ActivitySums() for y in years}
    # the driver's own tuples (240,000 groups at 10,000 entities): a SQLAlchemy row per
    # group cost about as much again as SQLite's grouping; PostgreSQL's year is a Decimal
    result = session.connection().execute(stmt)  # Core: the driver's cursor is reachable
    rows = result.cursor.fetchall() if result.cursor is not None else []
    result.close()
    last: object = None
    sums: Sums | None = None
    for when, activity, entity, unit, total in rows:
        if when != last:  # rows come a year at a time: one lookup per year, not per row
            last, sums = when, out.get(int(when))
        if sums is not None:
            sums[(activity, entity)].append((unit, float(total)))
    add_store_sums(session, out)
    return out


def to_metric_unit(activity: str, unit: str, target: str) -> float | None:
    """Multiplier from an activity unit to a metric unit (water volume counts as mass)."""
    if compatible(unit, target):
        return multiplier(unit, target)
    water = activity_types()[activity].category == "water"
    if water and compatible(unit, "m3") and compatible(target, "t"):
        return multiplier(unit, "m3") * WATER_TONNES_PER_M3 * multiplier("t", target)
    return None


def entity_activity_values(
    sums: dict[tuple[str, str], list[tuple[str, float]]], metric: Metric
) -> tuple[dict[str, float], set[str]]:
    """Per entity, the metric's activity total in its unit (100 %, before shares), and the
    units that could not be converted (left out, and said so)."""
    activity = metric.calc_key.removeprefix("activity:")
    if isinstance(sums, ActivitySums):
        return sums.metric_values(activity, metric.unit)
    return _entity_values(by_activity(sums).get(activity, []), activity, metric.unit)


def _entity_values(
    entries: list[tuple[str, list[tuple[str, float]]]], activity: str, target: str
) -> tuple[dict[str, float], set[str]]:
    """:func:`entity_activity_values` of one activity's (entity, parts) in ``target``."""
    out: dict[str, float] = {}
    skipped: set[str] = set()
    factors: dict[str, float | None] = {}  # a thousand entities report in a few units
    for entity, parts in entries:
        for unit, quantity in parts:
            if unit not in factors:
                factors[unit] = to_metric_unit(activity, unit, target)
            factor = factors[unit]
            if factor is None:
                skipped.add(unit)
            else:
                out[entity] = out.get(entity, 0.0) + quantity * factor
    return out, skipped


def activity_figure(
    metric: Metric, year: int, scope: Scope, sums: dict[tuple[str, str], list[tuple[str, float]]]
) -> KpiFigure:
    """The boundary's share-weighted total, exactly rounded (``math.fsum``: the same bits in
    any order); no records at all is "not available", never 0."""
    per_entity, skipped = entity_activity_values(sums, metric)
    values = {e: v for e, v in per_entity.items() if e in scope.shares}
    total = math.fsum(values[e] * scope.shares[e] for e in values)  # exact: any order
    activity = metric.calc_key.removeprefix("activity:")
    why = [] if values else [coded("no_activity_records", activity=activity, year=year)]
    if skipped:
        units = ", ".join(sorted(skipped))
        why = [coded("unconvertible_units", units=units, unit=metric.unit)]
    return KpiFigure(
        metric=metric.id,
        year=year,
        value=total if values else None,
        unit=metric.unit,
        source="calculated",
        status="reported" if values else "missing",
        boundary=scope.code,
        entities=len(values),
        inputs=[{"activity": activity, "entities": len(values)}],
        note=note_of(why),
        note_why=why,
    )


def run_figure(
    metric: Metric,
    year: int,
    scope: Scope,
    run: CalculationRun | None,
    unresolved: Unresolved | None = None,
) -> KpiFigure:
    """The run's total for the metric; incomplete when the run left rows of it unresolved."""
    key = metric.calc_key.removeprefix("calc:")
    total, part = calc_parts(key)
    base: dict[str, Any] = {
        "metric": metric.id,
        "year": year,
        "unit": metric.unit,
        "boundary": scope.code,
    }
    if run is None:
        no_run = [coded("no_run", year=year)]
        return KpiFigure(
            **base, value=None, source="missing", status="missing", note=note_of(no_run),
            note_why=no_run,
        )  # fmt: skip
    stored = stored_totals(run.totals)
    if is_category_line(total, part):
        return category_figure(stored, part, run.id, base, len(stored["by_entity"]))
    notes, why = [], []  # the note's parts, and the codes of those that have one

    def said(code: str, **values: object) -> None:
        why.append(coded(code, **values))
        notes.append(part_english(why[-1]))

    if (run.boundary_code or None) != scope.code:
        if run.boundary_code:
            said("run_boundary", run=run.id, boundary=run.boundary_code)
        else:
            said("run_all_entities", run=run.id)
    left_out = unresolved.count(key) if unresolved is not None else 0
    if left_out:
        said("run_left_unresolved", run=run.id, rows=left_out)
    if part and run.options:
        gwp = json.loads(run.options).get("gwp")
        if gwp and total.endswith("_tco2e"):
            said("gwp_set", gwp=gwp)
    if total == TOTAL and (gaps := total_gaps_why(stored)):
        said("scope3_incomplete", gaps=gaps)
    value = _line_value(stored, total, part) if part else None
    if (part and value is None) or (not part and not _run_gives(stored, key)):
        gives = (
            coded("run_unresolved_gives", run=run.id, rows=left_out)
            if left_out
            else coded("run_no_rows", run=run.id)
        )
        note, coded_why = part_english(gives), [gives]
        if key == TOTAL and total_reason(stored):
            note, coded_why = total_reason_note(stored, run.id)
        return KpiFigure(
            **base,
            value=None,
            source="calculated",
            status="missing",
            inputs=[{"run": run.id, "figure": key}],
            note=note,
            note_why=coded_why,
            incomplete=left_out > 0 or (key == TOTAL and scope3_incomplete(stored)),
            incomplete_why=_incomplete_why(run.id, left_out, stored, key),
        )
    return KpiFigure(
        **base,
        value=value if part else float(stored["totals"][key]),
        source="calculated",
        entities=len(stored["by_entity"]),
        inputs=[{"run": run.id, "figure": key}],
        note="; ".join(notes),
        note_why=why,
        incomplete=left_out > 0 or (total == TOTAL and scope3_incomplete(stored)),
        incomplete_why=_incomplete_why(run.id, left_out, stored, total),
    )


def _incomplete_why(
    run_id: int, left_out: int, stored: dict[str, Any], total: str
) -> dict[str, Any] | None:
    """The run's unresolved results of the figure, else (the Scope 3 total) the categories
    screened relevant without a figure and those with unresolved rows; None when neither."""
    if left_out:
        return why_of.unresolved(run_id, left_out)
    if total == TOTAL:
        return total_gaps_why(stored)
    return None


def _line_value(stored: dict[str, Any], total: str, part: str) -> float | None:
    """A line of a total: what the activity type, or the category's types, gave it (with
    member shares, as the run stored it); None when no row of them gives it."""
    found = [
        figures[total]
        for activity, figures in sorted((stored.get("by_activity") or {}).items())
        if in_part(activity, part) and total in figures
    ]
    return sum(found) if found else None


def _run_gives(stored: dict[str, Any], key: str) -> bool:
    """Whether any result of the run adds to ``key``: a total no row gives is not a zero.
    Runs stored before per-activity figures existed are taken at their word."""
    by_activity = stored.get("by_activity")
    if by_activity is None:
        return True
    parts = ("energy_direct_tce", "energy_indirect_tce") if key == "energy_total_tce" else (key,)
    return any(part in figures for figures in by_activity.values() for part in parts)
