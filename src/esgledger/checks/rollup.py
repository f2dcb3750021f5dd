"""The group's own value against its entities' values (SYSTEM.md §7 class 2).

``sum.entities``: when the group reports an additive metric itself *and* entities report it
too (headcount per legal entity), the entities' values — each an entity's own, weighted by
its boundary share, as the KPI roll-up adds them — must add up to the group's value within
rounding tolerance.
"""

from __future__ import annotations

import math
from collections import defaultdict

from esgledger.catalog import metrics
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import said, unit_named, worded_parts
from esgledger.checks.findings import ERROR, Finding, number, plain
from esgledger.checks.tolerance import beyond, relative_message
from esgledger.errors import InvalidInput
from esgledger.kpi.reported import additive, value_rounding
from esgledger.ledger.kpi_rows import KpiRow
from esgledger.units import multiplier


def _value(v: KpiRow) -> float | None:
    if v.value is None or v.status != "reported" or v.qualifier != "exact":
        return None
    try:
        return v.value * multiplier(v.unit, metrics()[v.metric_id].unit)
    except InvalidInput:
        return None


def entity_sums(ctx: CheckContext) -> list[Finding]:
    rows: dict[tuple[str, str], list[KpiRow]] = defaultdict(list)
    for v in ctx.current_rows():
        if v.metric_id in metrics() and additive(v.metric_id):
            rows[(v.metric_id, v.dims)].append(v)
    out = []
    for (metric_id, dims), values in sorted(rows.items()):
        group = next((v for v in values if v.entity_id == ctx.root), None)
        if group is None or _value(group) is None:
            continue
        finding = _compare(ctx, metric_id, dims, group, [v for v in values if v is not group])
        if finding is not None:
            out.append(finding)
    return out


def _compare(
    ctx: CheckContext, metric_id: str, dims: str, group: KpiRow, members: list[KpiRow]
) -> Finding | None:
    metric = metrics()[metric_id]
    shares = ctx.scopes().for_family(metric.boundary_family).shares
    parts = [v for v in members if v.entity_id in shares]
    values = [_value(v) for v in parts]
    if not parts or any(x is None for x in values):
        return None
    # exactly rounded, as the KPI roll-up adds them
    expected = math.fsum(x * shares[v.entity_id] for x, v in zip(values, parts, strict=True))  # type: ignore[operator]
    found = _value(group)
    tolerance = value_rounding(group, metric) + math.fsum(
        value_rounding(v, metric) * shares[v.entity_id] for v in parts
    )
    if found is None or not beyond(found, expected, tolerance):
        return None
    p = metric.precision
    return Finding(
        rule="sum.entities",
        severity=ERROR,
        metrics=[metric_id],
        entity=None,
        year=ctx.year,
        expected=plain(expected),
        found=plain(found),
        unit=metric.unit,
        tolerance=plain(tolerance, 9),
        dims={"breakdown": dims} if dims else {},
        details={"entities": sorted(v.entity_id for v in parts)},
        **worded_parts(
            said(
                N_(
                    "The %(num)s entities reporting %(metric)s add up to %(expected)s %(unit)s, "
                    "but the group reports %(found)s %(unit)s."
                ),
                {
                    "num": len(parts),
                    "expected": number(expected, p),
                    "found": number(found, p),
                    "unit": metric.unit,
                },
                names={"metric": ("metric", metric_id), **unit_named(metric.unit, metric_id)},
                then=[relative_message(found - expected, tolerance, metric.unit, metric_id)],
            ),
            said(
                N_(
                    "Correct the entity or group values so they agree, or collect the entities "
                    "that are missing from the entity values."
                )
            ),
        ),
    )
