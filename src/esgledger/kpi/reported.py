"""Reported KPI values rolled up to a figure: the group's own value, or the members' sum.

A value reported for the group root is the figure. Otherwise an additive metric (tonnes,
people, cases…) is the share-weighted sum over the boundary's members; a ratio or a
percentage cannot be summed and stays missing unless the group reports it.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from sqlalchemy.orm import Session

from esgledger.catalog import Metric, metrics
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure, parse_dims
from esgledger.kpi.rounding import half_unit
from esgledger.kpi.scope import Scope, Scopes
from esgledger.ledger.kpi_rows import KpiRow, figure_rows, rows_by_id
from esgledger.units import multiplier, parse

QUALIFIER_STRENGTH = {"exact": 0, "approximately": 1, "over": 2, "at_most": 2}


@cache
def additive(metric_id: str) -> bool:
    """Whether members' values of this metric may be added up."""
    unit = metrics()[metric_id].unit
    return "/" not in unit and not parse(unit).dimensionless


def _converted(value: KpiRow, metric: Metric) -> float | None:
    if value.value is None:
        return None
    try:
        return value.value * multiplier(value.unit, metric.unit)
    except InvalidInput:
        return None


def value_rounding(value: KpiRow, metric: Metric) -> float:
    """Half a unit of the value's last printed decimal, in the metric's unit."""
    decimals = value.decimals if value.decimals is not None else metric.precision
    try:
        return half_unit(decimals) * multiplier(value.unit, metric.unit)
    except InvalidInput:
        return 0.0


def _member_sums(
    members: list[KpiRow], metric: Metric, shares: dict[str, float]
) -> tuple[float, float, dict[str, list[str]]]:
    """The share-weighted sum of the members' values and of their roundings, in entity
    order: the same operations as :func:`_converted` and :func:`value_rounding` per row, with
    each unit's multiplier looked up once (a group of ten thousand members has a few units);
    and the members left out, by the unit that cannot be converted to the metric's."""
    factors: dict[str, float | None] = {}
    halves: dict[int | None, float] = {}
    left_out: dict[str, list[str]] = {}
    total = rounding = 0.0
    for v in sorted(members, key=lambda v: v.entity_id):
        if v.unit not in factors:
            try:
                factors[v.unit] = multiplier(v.unit, metric.unit)
            except InvalidInput:
                factors[v.unit] = None
        factor, share = factors[v.unit], shares[v.entity_id]
        if factor is None:
            left_out.setdefault(v.unit, []).append(v.entity_id)
        if v.decimals not in halves:
            halves[v.decimals] = half_unit(
                v.decimals if v.decimals is not None else metric.precision
            )
        total += ((v.value * factor) if factor is not None else 0.0) * share  # type: ignore[operator]
        rounding += (halves[v.decimals] * factor if factor is not None else 0.0) * share
    return total, rounding, left_out


def _left_out_note(left_out: dict[str, list[str]], metric: Metric) -> str:
    """Says which members' values a sum leaves out, and why (never a silent 0)."""
    parts = []
    for unit, entities in sorted(left_out.items()):
        shown = ", ".join(entities[:5]) + (" …" if len(entities) > 5 else "")
        values = "entity's value" if len(entities) == 1 else "entities' values"
        parts.append(
            f"leaves out {len(entities)} {values} in {unit} "
            f"(not convertible to {metric.unit}): {shown}"
        )
    return "; ".join(parts)


def _restatement(
    replaced: dict[int, KpiRow], value: KpiRow, metric: Metric
) -> dict[str, object] | None:
    if value.restates_id is None:
        return None
    old = replaced.get(value.restates_id)
    previous = _converted(old, metric) if old is not None else None
    return {"previous": previous, "reason": value.restatement_reason, "replaces": value.restates_id}


def reported_figures(
    session: Session, year: int, scopes: Scopes, rows: list[KpiRow] | None = None
) -> dict[tuple[str, str], KpiFigure]:
    """Figures of every metric with reported values in ``year``, keyed by (metric, dims);
    ``rows`` are the year's :func:`~esgledger.ledger.kpi_rows.figure_rows` when the caller
    has read them already."""
    catalog = metrics()
    rows = figure_rows(session, year) if rows is None else rows
    replaced = rows_by_id(session, {r.restates_id for r in rows if r.restates_id is not None})
    grouped: dict[tuple[str, str], list[KpiRow]] = defaultdict(list)
    for value in rows:
        if value.metric_id in catalog:
            grouped[(value.metric_id, value.dims)].append(value)
    out: dict[tuple[str, str], KpiFigure] = {}
    for (metric_id, dims), values in grouped.items():
        metric = catalog[metric_id]
        scope = scopes.for_family(metric.boundary_family)
        figure = rows_figure(replaced, metric, dims, year, values, scopes.root, scope)
        if figure is not None:
            out[(metric_id, dims)] = figure
    return out


def rows_figure(
    replaced: dict[int, KpiRow],
    metric: Metric,
    dims: str,
    year: int,
    values: list[KpiRow],
    root: str | None,
    scope: Scope,
) -> KpiFigure | None:
    """The figure of one (metric, breakdown) from its rows (oldest first): the group
    ``root``'s own value, or the share-weighted sum of the ``scope``'s members (additive
    metrics only; None when neither gives one); ``replaced`` holds the rows restatements
    replaced, by id."""
    at_root = [v for v in values if v.entity_id == root]
    base = {"metric": metric.id, "year": year, "unit": metric.unit, "dims": parse_dims(dims)}
    if at_root:
        v = at_root[0]
        restatement = _restatement(replaced, v, metric)
        value = _converted(v, metric)
        note = v.note
        if value is None and v.value is not None:
            why = f"not available: stored in {v.unit}, not convertible to {metric.unit}"
            note = "; ".join(n for n in (why, v.note) if n)
        return KpiFigure(
            **base,
            value=value,
            source="reported",
            status=v.status,
            qualifier=v.qualifier,
            preliminary=v.preliminary,
            boundary=scope.code,
            entities=len(scope.shares),
            restated=restatement is not None,
            restatement=restatement,
            note=note,
            decimals=v.decimals,
            rounding=value_rounding(v, metric),
        )
    members = [v for v in values if v.entity_id in scope.shares and v.value is not None]
    if not members or not additive(metric.id):
        return None
    total, rounding, left_out = _member_sums(members, metric, scope.shares)
    counted = len(members) - sum(len(e) for e in left_out.values())
    note = f"sum of {counted} entities' values"
    if left_out:
        note += "; partial: " + _left_out_note(left_out, metric)
    qualifier = max((v.qualifier for v in members), key=lambda q: QUALIFIER_STRENGTH.get(q, 0))
    restated = [
        r for v in members if v.restates_id is not None and (r := _restatement(replaced, v, metric))
    ]
    return KpiFigure(
        **base,
        value=total if counted else None,
        source="reported",
        status="reported" if counted else "missing",
        qualifier=qualifier,
        preliminary=any(v.preliminary for v in members),
        boundary=scope.code,
        entities=counted,
        restated=bool(restated),
        restatement={"members_restated": len(restated)} if restated else None,
        note=note if counted else "not available: " + _left_out_note(left_out, metric),
        rounding=rounding,
        partial=bool(left_out),
    )
