"""Several years side by side, with year-on-year change on two bases.

The reported basis compares the published figures. The like-for-like basis compares only
entities inside both years' boundaries, so a boundary change does not pass for growth; it
is available for figures computed from entity-level data (activity sums, calculation runs,
and formulas over them).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from esgledger.catalog import Metric, metrics
from esgledger.catalog.formulas import evaluate, formula_inputs, unit_factor
from esgledger.errors import InvalidInput
from esgledger.kpi.calculated import (
    Sums,
    activity_sums,
    activity_sums_by_year,
    entity_activity_values,
    latest_run,
)
from esgledger.kpi.collector import collector_paused
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.inputs import StoredInputs
from esgledger.kpi.member_groups import read_grouped
from esgledger.kpi.register_source import RegisterFigure
from esgledger.kpi.scope import Scope, Scopes
from esgledger.kpi.scope3_figures import TOTAL as SCOPE3_TOTAL
from esgledger.kpi.table_inputs import TableInputs
from esgledger.kpi.table_reads import read_scopes, read_table_inputs
from esgledger.kpi.unresolved import LINE
from esgledger.kpi.values import table_of
from esgledger.ledger.models import CalculationRun
from esgledger.ledger.run_totals import stored_totals


def change_pct(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous) * 100.0


class EntityFigures:
    """Per-entity values of calculated metrics for one year, for like-for-like sums.

    ``sums`` (the year's activity sums) and ``runs`` (the year's newest run by boundary
    code) are what the caller read already; whatever is not given is read from
    ``session`` on first use. Without a session (plain inputs) a boundary code that
    ``runs`` does not give has no run."""

    def __init__(
        self,
        session: Session | None,
        year: int,
        scopes: Scopes,
        table: dict[tuple[str, str], KpiFigure],
        sums: Sums | None = None,
        runs: Mapping[str | None, CalculationRun | None] | None = None,
    ):
        self.session, self.year, self.scopes, self.table = session, year, scopes, table
        self._sums = sums  # read on first use when the caller has not read them
        self._given_runs = runs
        self._runs: dict[str | None, dict[str, dict[str, float]]] = {}
        # by metric: a derived metric's like-for-like asks again for its inputs' values
        self._values: dict[str, tuple[dict[str, float], Scope] | None] = {}
        # by the ids of this year's and the previous year's scopes: their common members
        self._common: dict[tuple[int, int], _Common] = {}

    def values(self, metric: Metric) -> tuple[dict[str, float], Scope] | None:
        """Per entity, the metric's value (100 %, before shares), and its boundary; None
        when the metric has no entity-level values. Read once per metric (the result is
        shared: read-only)."""
        if metric.id not in self._values:
            self._values[metric.id] = self._read(metric)
        return self._values[metric.id]

    def _read(self, metric: Metric) -> tuple[dict[str, float], Scope] | None:
        scope = self.scopes.for_family(metric.boundary_family)
        if metric.calc_key.startswith("activity:"):
            if self._sums is None:
                self._sums = activity_sums(self._session(), self.year)
            return entity_activity_values(self._sums, metric)[0], scope
        if metric.calc_key == f"calc:{SCOPE3_TOTAL}":
            return None  # the run keeps Scope 3 per category, not per entity: no like-for-like
        if metric.calc_key.startswith("calc:") and LINE not in metric.calc_key:
            if scope.code not in self._runs:
                run = self._run(scope.code)
                self._runs[scope.code] = stored_totals(run.totals)["by_entity"] if run else {}
            key = metric.calc_key.removeprefix("calc:")
            # a figure only some entities have (qualifying instruments) is absent elsewhere,
            # as an activity type's sum is for entities without its rows
            return {e: v[key] for e, v in self._runs[scope.code].items() if key in v}, scope
        return None

    def _run(self, code: str | None) -> CalculationRun | None:
        given = self._given_runs
        if given is not None and (code in given or self.session is None):
            return given.get(code)  # without a session, a boundary not given has no run
        return latest_run(self._session(), self.year, code)

    def _session(self) -> Session:
        if self.session is None:
            raise ValueError(f"per-entity values of {self.year}: not given, and no session")
        return self.session


def like_for_like(
    metric: Metric, current: EntityFigures, previous: EntityFigures
) -> tuple[float, float] | None:
    """(previous, current) over the entities in both years' boundaries, or None."""
    if metric.kind == "derived":
        pairs = {
            i: like_for_like(metrics()[i], current, previous)
            for i in formula_inputs(metric.formula)
        }
        if not any(pairs.values()):
            return None
        return _derived_pair(metric, pairs, current, previous)
    if metric.kind != "calculated":
        return None
    now, before = current.values(metric), previous.values(metric)
    if now is None or before is None:
        return None
    (cur_vals, cur_scope), (prev_vals, prev_scope) = now, before
    common = _common_of(current, cur_scope, prev_scope)
    return (
        _weighted_sum(prev_vals, common.entities, common.previous),
        _weighted_sum(cur_vals, common.entities, common.current),
    )


@dataclass(frozen=True)
class _Common:
    """The members of both years' boundaries, and their shares in each, as arrays: made
    once per pair of boundaries, not once per metric (10,000 share lookups each)."""

    scopes: tuple[Scope, Scope]  # held, so that the ids keying them stay theirs
    entities: list[str]  # in any order: the sums are exact (``math.fsum``)
    previous: np.ndarray[Any, np.dtype[np.float64]]
    current: np.ndarray[Any, np.dtype[np.float64]]


def _common_of(current: EntityFigures, cur_scope: Scope, prev_scope: Scope) -> _Common:
    key = (id(cur_scope), id(prev_scope))
    known = current._common.get(key)
    if known is None:
        entities = list(cur_scope.shares.keys() & prev_scope.shares.keys())
        n = len(entities)
        known = _Common(
            (cur_scope, prev_scope),
            entities,
            np.fromiter(map(prev_scope.shares.__getitem__, entities), np.float64, n),
            np.fromiter(map(cur_scope.shares.__getitem__, entities), np.float64, n),
        )
        current._common[key] = known
    return known


def _weighted_sum(
    values: dict[str, float], entities: list[str], shares: np.ndarray[Any, np.dtype[np.float64]]
) -> float:
    """The exact sum (``math.fsum``) of value × share over ``entities`` (0 without a value),
    ``shares`` being theirs in that order: the same float product per entity, taken
    column-wise (10,000 entities a metric)."""
    vals = np.fromiter(map(values.get, entities, itertools.repeat(0.0)), np.float64, len(entities))
    return math.fsum((vals * shares).tolist())


def _derived_pair(
    metric: Metric,
    pairs: dict[str, tuple[float, float] | None],
    current: EntityFigures,
    previous: EntityFigures,
) -> tuple[float, float] | None:
    catalog = metrics()
    units = {i: catalog[i].unit for i in pairs}
    out = []
    for index, figures in ((0, previous), (1, current)):
        values: dict[str, float] = {}
        for i, pair in pairs.items():
            if pair is not None:
                values[i] = pair[index]
            else:  # an input without entity data (e.g. revenue): use the published figure
                fig = figures.table.get((i, ""))
                if fig is None or fig.value is None:
                    return None
                values[i] = fig.value
        try:
            out.append(
                evaluate(metric.formula, values) * unit_factor(metric.formula, units, metric.unit)
            )
        except InvalidInput:
            return None
    return out[0], out[1]


def kpi_series(
    session: Session, year: int, *, years: int = 3, boundary: str | None = None
) -> dict[str, Any]:
    """The table the report appendix prints: every metric over ``years`` years up to ``year``."""
    return kpi_series_and_tables(session, year, years=years, boundary=boundary)[0]


SeriesAndTables = tuple[dict[str, Any], dict[int, dict[tuple[str, str], KpiFigure]]]


@collector_paused()
def kpi_series_and_tables(
    session: Session,
    year: int,
    *,
    years: int = 3,
    boundary: str | None = None,
    inputs: StoredInputs | None = None,
    registers: Callable[[int], list[RegisterFigure]] | None = None,
) -> SeriesAndTables:
    """The series and the per-year KPI tables it was built from (for callers needing both);
    ``inputs`` are the stored values and activity sums of this ledger state when the caller
    has read them already (used only when they cover every year of the series, grouped for
    the same group); ``registers`` gives a year's register figures of this ledger state
    (:mod:`esgledger.kpi.cache_registers`)."""
    span = list(range(year - years + 1, year + 1))
    scopes = {y: read_scopes(session, y, boundary if y == year else None) for y in span}
    grouped = None
    has_rows = inputs is not None and inputs.has_rows(span[0], span[-1])
    if inputs is not None and not has_rows:
        grouped = inputs.grouped_for(span[0], span[-1], scopes[year].root)
    if inputs is None or not (has_rows or grouped is not None):
        inputs = None
        sums = activity_sums_by_year(session, span)  # read once: tables and like-for-like
        # the years' values grouped in the database in one query, not read row by row
        grouped = read_grouped(session, span[0], span[-1], scopes[year].root)
    else:
        sums = inputs.sums
    given = {
        y: read_table_inputs(
            session,
            y,
            sums=sums[y],
            rows=inputs.figure_rows(y) if inputs is not None and has_rows else None,
            grouped=grouped,
            scopes=scopes[y],
            registers=registers(y) if registers is not None else None,
        )
        for y in span
    }
    return series_of(year, given)


def series_of(year: int, inputs: Mapping[int, TableInputs]) -> SeriesAndTables:
    """The series of ``year`` and its per-year tables, computed from each year's inputs
    alone (no session, no database): the years are those of ``inputs``."""
    span = sorted(inputs)
    tables = {y: table_of(inputs[y]) for y in span}
    entity_figures = {
        y: EntityFigures(
            None,
            y,
            inputs[y].scopes,
            tables[y],
            inputs[y].sums,
            {code: r.run for code, r in inputs[y].runs.items()},
        )
        for y in span
    }
    keys = sorted({k for t in tables.values() for k in t}, key=_order)
    rows = []
    for key in keys:
        metric = metrics()[key[0]]
        figures = {y: tables[y].get(key) for y in span}
        row = _row(metric, key, figures, span)
        if len(span) > 1 and key[1] == "":
            pair = like_for_like(metric, entity_figures[span[-1]], entity_figures[span[-2]])
            row["like_for_like"] = (
                {
                    "previous": pair[0],
                    "current": pair[1],
                    "change_pct": change_pct(pair[1], pair[0]),
                }
                if pair
                else None
            )
        rows.append(row)
    scopes = {y: inputs[y].scopes for y in span}
    series = {"year": year, "years": span, "boundaries": _boundaries(scopes, span), "kpis": rows}
    return series, tables


def _order(key: tuple[str, str]) -> tuple[int, str]:
    ids = list(metrics())
    return (ids.index(key[0]), key[1])


def _row(
    metric: Metric, key: tuple[str, str], figures: dict[int, KpiFigure | None], span: list[int]
) -> dict[str, Any]:
    current, previous = figures[span[-1]], figures[span[-2]] if len(span) > 1 else None
    return {
        "metric": metric.id,
        "name": metric.name,
        "area": metric.area,
        "group": metric.group,
        "dims": dict(part.split("=", 1) for part in key[1].split(";") if part),
        "unit": metric.unit,
        "published_unit": metric.published_unit,
        "kind": metric.kind,
        "precision": metric.precision,
        "values": {str(y): (f.value if f else None) for y, f in figures.items()},
        "figures": {str(y): (f.as_dict() if f else None) for y, f in figures.items()},
        "change_pct": change_pct(
            current.value if current else None, previous.value if previous else None
        ),
    }


def _boundaries(scopes: Mapping[int, Scopes], span: list[int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for family in ("energy_ghg", "environment"):
        per_year = {y: scopes[y].for_family(family) for y in span}
        changes = []
        for before, after in itertools.pairwise(span):
            a, b = set(per_year[before].shares), set(per_year[after].shares)
            if a != b:
                changes.append(
                    {"from": before, "to": after, "added": sorted(b - a), "removed": sorted(a - b)}
                )
        out[family] = {
            "codes": {str(y): per_year[y].code for y in span},
            "members": {str(y): len(per_year[y].shares) for y in span},
            "changes": changes,
        }
    return out
