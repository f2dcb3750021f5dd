"""Reported KPI values rolled up to a figure: the group's own value, or the members' sum.

A value reported for the group root is the figure. Otherwise an additive metric (tonnes,
people, cases…) is the share-weighted sum over the boundary's members; a ratio or a
percentage cannot be summed and stays missing unless the group reports it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from esgledger.catalog import Metric, metrics
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure, parse_dims
from esgledger.kpi.member_groups import GroupedValues, MemberGroup, read_grouped
from esgledger.kpi.member_sums import SummedGroup, exact_rounded, rounded
from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.rounding import half_unit
from esgledger.kpi.scope import Scope, Scopes
from esgledger.ledger.kpi_rows import KpiRow, rows_by_id
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
    """The share-weighted sum of the members' values and of their roundings: per row the same
    operations as :func:`_converted` and :func:`value_rounding` (each unit's multiplier
    looked up once: a group of ten thousand members has a few units), then an exactly
    rounded sum (``math.fsum``), so no order of the rows can change a bit of it; and the
    members left out, by the unit that cannot be converted to the metric's (entity order)."""
    factors: dict[str, float | None] = {}
    halves: dict[int | None, float] = {}
    left_out: dict[str, list[str]] = {}
    values: list[float] = []
    roundings: list[float] = []
    for v in sorted(members, key=lambda v: v.entity_id):
        if v.unit not in factors:
            try:
                factors[v.unit] = multiplier(v.unit, metric.unit)
            except InvalidInput:
                factors[v.unit] = None
        factor, share = factors[v.unit], shares[v.entity_id]
        if factor is None:
            left_out.setdefault(v.unit, []).append(v.entity_id)
            continue
        if v.decimals not in halves:
            halves[v.decimals] = half_unit(
                v.decimals if v.decimals is not None else metric.precision
            )
        values.append((v.value * factor) * share)  # type: ignore[operator]
        roundings.append((halves[v.decimals] * factor) * share)
    return math.fsum(values), math.fsum(roundings), left_out


def _left_out_why(left_out: dict[str, list[str]], metric: Metric) -> list[dict[str, object]]:
    """Which members' values a sum leaves out, and why (never a silent 0), as coded parts
    (one per unit, its first five members shown)."""
    parts = []
    for unit, entities in sorted(left_out.items()):
        shown = ", ".join(entities[:5]) + (" …" if len(entities) > 5 else "")
        code = "left_out_unit_one" if len(entities) == 1 else "left_out_unit_many"
        parts.append(coded(code, n=len(entities), unit=unit, to=metric.unit, entities=shown))
    return parts


def _restatement(
    replaced: Mapping[int, KpiRow], value: KpiRow, metric: Metric
) -> dict[str, object] | None:
    if value.restates_id is None:
        return None
    old = replaced.get(value.restates_id)
    previous = _converted(old, metric) if old is not None else None
    return {"previous": previous, "reason": value.restatement_reason, "replaces": value.restates_id}


def reported_figures(
    session: Session,
    year: int,
    scopes: Scopes,
    rows: list[KpiRow] | None = None,
    grouped: GroupedValues | None = None,
) -> dict[tuple[str, str], KpiFigure]:
    """Figures of every metric with reported values in ``year``, keyed by (metric, dims);
    ``rows`` are the year's :func:`~esgledger.ledger.kpi_rows.figure_rows` when the caller
    has read them already, ``grouped`` the values grouped in the database
    (:mod:`esgledger.kpi.member_groups`), read here when neither is given. Both give the
    same figures."""
    if rows is None:
        if grouped is None:
            grouped = read_grouped(session, year, year, scopes.root)
        return grouped_figures(grouped, year, scopes)
    return rows_figures(rows, restated_rows(session, rows), year, scopes)


def restated_rows(session: Session, rows: Iterable[KpiRow]) -> dict[int, KpiRow]:
    """The stored rows that ``rows`` restate, by id (what a restatement's previous is)."""
    return rows_by_id(session, {r.restates_id for r in rows if r.restates_id is not None})


def rows_figures(
    rows: Iterable[KpiRow], replaced: Mapping[int, KpiRow], year: int, scopes: Scopes
) -> dict[tuple[str, str], KpiFigure]:
    """:func:`reported_figures` of ``year`` from its counted rows (oldest first) and the
    rows they restate (``replaced``, by id), in the order the keys were first stored."""
    catalog = metrics()
    by_key: dict[tuple[str, str], list[KpiRow]] = defaultdict(list)
    for value in rows:
        if value.metric_id in catalog:
            by_key[(value.metric_id, value.dims)].append(value)
    out: dict[tuple[str, str], KpiFigure] = {}
    for (metric_id, dims), values in by_key.items():
        metric = catalog[metric_id]
        scope = scopes.for_family(metric.boundary_family)
        figure = rows_figure(replaced, metric, dims, year, values, scopes.root, scope)
        if figure is not None:
            out[(metric_id, dims)] = figure
    return out


def grouped_figures(
    grouped: GroupedValues, year: int, scopes: Scopes
) -> dict[tuple[str, str], KpiFigure]:
    """:func:`reported_figures` of ``year`` from values grouped in the database, in the
    order the keys were first stored: members' sums as the database gave them where every
    member counts at share 1, else (and for groups the sums cannot give) value by value."""
    catalog = metrics()
    first_id: dict[tuple[str, str], int] = {}
    for (y, metric_id, dims), row in grouped.root_rows.items():
        if y == year:
            first_id[(metric_id, dims)] = row.id
    for (y, metric_id, dims), summed in grouped.sums.items():
        if y == year:
            oldest = min(g.oldest for g in summed)
            first_id[(metric_id, dims)] = min(first_id.get((metric_id, dims), oldest), oldest)
    by_value = {
        key
        for key in first_id
        if key[0] in catalog
        and (year, *key) not in grouped.root_rows
        and additive(key[0])
        and not (
            grouped.all_at_one(scopes.for_family(catalog[key[0]].boundary_family))
            and sums_apply(grouped.sums[(year, *key)], catalog[key[0]])
        )
    }
    values = grouped.value_groups(year, by_value)  # one read for them all, when any
    out: dict[tuple[str, str], KpiFigure] = {}
    for metric_id, dims in sorted(first_id, key=first_id.__getitem__):
        if metric_id not in catalog:
            continue
        metric = catalog[metric_id]
        scope = scopes.for_family(metric.boundary_family)
        root = grouped.root_rows.get((year, metric_id, dims))
        if root is not None:
            figure: KpiFigure | None = rows_figure(
                grouped.replaced, metric, dims, year, [root], scopes.root, scope
            )
        elif (metric_id, dims) in by_value:
            figure = groups_figure(metric, dims, year, values.get((metric_id, dims), []), scope)
        else:
            summed = grouped.sums[(year, metric_id, dims)]
            figure = summed_figure(metric, dims, year, summed, scope)
        if figure is not None:
            out[(metric_id, dims)] = figure
    return out


def groups_figure(
    metric: Metric, dims: str, year: int, groups: list[MemberGroup], scope: Scope
) -> KpiFigure | None:
    """The members' share-weighted sum of one (metric, breakdown) from grouped values: per
    value the same operations as :func:`_member_sums`, exactly summed."""
    if not additive(metric.id):
        return None
    shares = scope.shares
    values: list[npt.NDArray[np.float64]] = []
    roundings: list[npt.NDArray[np.float64]] = []
    left_out: dict[str, list[str]] = {}
    members = restated = 0
    preliminary = False
    strongest: tuple[int, int, str] | None = None  # (strength, -oldest id, qualifier)
    for g in groups:
        # each member's share, NaN outside the scope: one C-level lookup pass per group (at
        # 10,000 entities, 4 M values over three years), then the same float operations per
        # value as :func:`_member_sums`, element by element
        share = np.fromiter(
            map(shares.get, g.entities, itertools.repeat(math.nan)), np.float64, len(g.entities)
        )
        inside = ~np.isnan(share)
        count = int(np.count_nonzero(inside))
        if not count:
            continue
        members += count
        restated += count if g.restated else 0
        preliminary = preliminary or g.preliminary
        oldest = int(np.asarray(g.ids, dtype=np.int64)[inside].min())
        rank = (QUALIFIER_STRENGTH.get(g.qualifier, 0), -oldest, g.qualifier)
        strongest = rank if strongest is None or rank[:2] > strongest[:2] else strongest
        try:
            factor = multiplier(g.unit, metric.unit)
        except InvalidInput:
            kept = itertools.compress(g.entities, inside.tolist())
            left_out.setdefault(g.unit, []).extend(kept)
            continue
        half = half_unit(g.decimals if g.decimals is not None else metric.precision) * factor
        weights = share[inside]
        values.append((np.asarray(g.values, dtype=np.float64)[inside] * factor) * weights)
        roundings.append(half * weights)
    if strongest is None:
        return None
    for entities in left_out.values():
        entities.sort()
    return _members_figure(
        metric, dims, year, scope, (_exact_sum(values), _exact_sum(roundings), left_out),
        members, strongest[2], preliminary, restated,
    )  # fmt: skip


def sums_apply(groups: list[SummedGroup], metric: Metric) -> bool:
    """Whether the sums are the members' roll-up of ``metric`` (every value split exactly,
    each unit's multiplier to the metric's exactly 1), given every member counts at share 1."""
    for g in groups:
        if g.unsplit:
            return False
        try:
            if multiplier(g.unit, metric.unit) != 1.0:
                return False
        except InvalidInput:
            return False
    return True


def summed_figure(
    metric: Metric, dims: str, year: int, groups: list[SummedGroup], scope: Scope
) -> KpiFigure | None:
    """:func:`~esgledger.kpi.reported.groups_figure`'s figure from groups summed in the
    database, where :func:`sums_apply` holds and every member counts at share 1: the same
    counts, qualifier, flags and, to the bit, the same sums (each value times 1 times 1 is
    the value; the roundings are each group's half unit once per value)."""
    if not additive(metric.id) or not groups:
        return None
    members = restated = 0
    preliminary = False
    strongest: tuple[int, int, str] | None = None  # (strength, -oldest id, qualifier)
    total = 0
    halves: list[tuple[float, int]] = []
    for g in groups:
        members += g.count
        restated += g.count if g.restated else 0
        preliminary = preliminary or g.preliminary
        rank = (QUALIFIER_STRENGTH.get(g.qualifier, 0), -g.oldest, g.qualifier)
        strongest = rank if strongest is None or rank[:2] > strongest[:2] else strongest
        total += g.total
        factor = multiplier(g.unit, metric.unit)
        half = half_unit(g.decimals if g.decimals is not None else metric.precision) * factor
        halves.append((half * 1.0, g.count))
    assert strongest is not None
    sums = (rounded(total), exact_rounded(halves), {})
    return _members_figure(
        metric, dims, year, scope, sums, members, strongest[2], preliminary, restated
    )


def _exact_sum(parts: list[npt.NDArray[np.float64]]) -> float:
    """The exactly rounded sum (``math.fsum``) of every element of ``parts``."""
    return math.fsum(np.concatenate(parts).tolist()) if parts else 0.0


def rows_figure(
    replaced: Mapping[int, KpiRow],
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
        note, note_why = v.note, []
        if value is None and v.value is not None:
            note_why = [coded("stored_unconvertible", unit=v.unit, to=metric.unit)]
            note = "; ".join(n for n in (note_of(note_why), v.note) if n)
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
            note_why=note_why,
            decimals=v.decimals,
            rounding=value_rounding(v, metric),
        )
    members = [v for v in values if v.entity_id in scope.shares and v.value is not None]
    if not members or not additive(metric.id):
        return None
    qualifier = max((v.qualifier for v in members), key=lambda q: QUALIFIER_STRENGTH.get(q, 0))
    restated = [
        r for v in members if v.restates_id is not None and (r := _restatement(replaced, v, metric))
    ]
    return _members_figure(
        metric, dims, year, scope, _member_sums(members, metric, scope.shares), len(members),
        qualifier, any(v.preliminary for v in members), len(restated),
    )  # fmt: skip


def _members_figure(
    metric: Metric,
    dims: str,
    year: int,
    scope: Scope,
    sums: tuple[float, float, dict[str, list[str]]],
    members: int,
    qualifier: str,
    preliminary: bool,
    restated: int,
) -> KpiFigure:
    """The figure of a members' sum: ``sums`` are the total, the rounding and the members
    left out by unit (:func:`_member_sums`), ``members`` how many values were in scope and
    ``restated`` how many of them restate another value."""
    total, rounding, left_out = sums
    counted = members - sum(len(e) for e in left_out.values())
    left = _left_out_why(left_out, metric)
    # the first member left out is said inside "partial: …" (or "not available: …"), the
    # others after it; the why holds that first one too, to word the inner note
    lead = [coded("members_sum", n=counted)] if counted else []
    if left:
        inner = "partial_note" if counted else "not_available_note"
        lead.append(coded(inner, note=note_of(left[:1])))
    note = note_of([*lead, *left[1:]])
    why = [*lead, *left]
    return KpiFigure(
        metric=metric.id,
        year=year,
        unit=metric.unit,
        dims=parse_dims(dims),
        value=total if counted else None,
        source="reported",
        status="reported" if counted else "missing",
        qualifier=qualifier,
        preliminary=preliminary,
        boundary=scope.code,
        entities=counted,
        restated=bool(restated),
        restatement={"members_restated": restated} if restated else None,
        note=note,
        note_why=why,
        rounding=rounding,
        partial=bool(left_out),
    )
