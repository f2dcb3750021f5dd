"""The same figure reported twice with different values (SYSTEM.md §7 class 1).

``duplicate.values`` finds:

- a stored value superseded by another value of the same metric, year, entity and breakdown
  from a different source or batch, without a restatement that links the two and gives a
  reason (the history rows are read too); a linked, reasoned restatement is not a duplicate
  (``restated.prior_year`` reports it for prior years);
- a value reported for a calculated metric that disagrees with the figure computed from the
  activity data: the KPI table uses the calculation, so the typed number is a second version.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from esgledger.catalog import metrics
from esgledger.checks.context import CheckContext, exact, has_data
from esgledger.checks.findings import ERROR, Finding, number, plain
from esgledger.checks.tolerance import beyond, half_unit
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import parse_dims
from esgledger.ledger.models import KpiValue
from esgledger.units import multiplier


def _converted(value: KpiValue) -> float | None:
    if value.value is None or value.metric_id not in metrics():
        return None
    try:
        return value.value * multiplier(value.unit, metrics()[value.metric_id].unit)
    except InvalidInput:
        return None


def _origin(value: KpiValue) -> str:
    source = value.source or "no source"
    return f"'{source}' (batch {value.batch_id})" if value.batch_id else f"'{source}'"


def history_duplicates(ctx: CheckContext) -> list[Finding]:
    """Pairs of successive stored rows of one key whose values disagree without a linked,
    reasoned restatement."""
    groups: dict[tuple[str, str, str], list[KpiValue]] = defaultdict(list)
    for v in ctx.stored:
        if v.year == ctx.year:
            groups[(v.entity_id, v.metric_id, v.dims)].append(v)
    out = []
    for (entity, metric_id, dims), rows in sorted(groups.items()):
        for older, newer in itertools.pairwise(rows):
            if newer.restates_id == older.id and newer.restatement_reason.strip():
                continue
            a, b = _converted(older), _converted(newer)
            if a is None or b is None or older.qualifier != "exact" or newer.qualifier != "exact":
                continue
            p = metrics()[metric_id].precision
            if not beyond(b, a, 2 * half_unit(p)):
                continue
            unit = metrics()[metric_id].unit
            out.append(
                Finding(
                    rule="duplicate.values",
                    severity=ERROR,
                    metrics=[metric_id],
                    entity=entity,
                    year=ctx.year,
                    expected=plain(a),
                    found=plain(b),
                    unit=unit,
                    dims={"rows": f"{older.id},{newer.id}", **parse_dims(dims)},
                    explanation=(
                        f"{metrics()[metric_id].name} of {entity} for {ctx.year} is stored twice: "
                        f"{number(a, p)} {unit} from {_origin(older)} and {number(b, p)} {unit} "
                        f"from {_origin(newer)}, with no restatement linking them."
                    ),
                    fix=(
                        "Decide which source is right; record a change as a restatement with a "
                        "reason (`esg import kpis` with restatement_reason), never as a second "
                        "value."
                    ),
                )
            )
    return out


def reported_vs_calculated(ctx: CheckContext) -> list[Finding]:
    """Values reported for calculated metrics that differ from the calculation."""
    out = []
    for v in ctx.current_rows():
        metric = metrics().get(v.metric_id)
        if metric is None or metric.kind != "calculated" or v.dims or v.entity_id != ctx.root:
            continue
        computed, reported = ctx.figure(metric.id), _converted(v)
        if reported is None or v.qualifier != "exact" or computed is None:
            continue
        if not (has_data(computed) and exact(computed) and computed.source == "calculated"):
            continue
        p = metric.precision
        if not beyond(reported, computed.value, half_unit(p)):  # type: ignore[arg-type]
            continue
        out.append(
            Finding(
                rule="duplicate.values",
                severity=ERROR,
                metrics=[metric.id],
                entity=v.entity_id,
                year=ctx.year,
                expected=plain(computed.value),
                found=plain(reported),
                unit=metric.unit,
                tolerance=half_unit(p),
                dims={"versions": "reported,calculated"},
                explanation=(
                    f"{metric.name} is reported as {number(reported, p)} {metric.unit} "
                    f"({_origin(v)}) but calculated from the activity data as "
                    f"{number(computed.value, p)} {metric.unit}; the report would show one and "
                    "the source file the other."
                ),
                fix=(
                    "Remove the typed value (the figure is calculated), or correct the activity "
                    f"data and recalculate with `esg calc --year {ctx.year}`."
                ),
            )
        )
    return out


def duplicates(ctx: CheckContext) -> list[Finding]:
    return history_duplicates(ctx) + reported_vs_calculated(ctx)
