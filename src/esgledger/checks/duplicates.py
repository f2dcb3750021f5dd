"""The same figure reported twice with different values (SYSTEM.md §7 class 1).

``duplicate.values`` finds:

- a stored value superseded by another value of the same metric, year, entity and breakdown
  from a different source or batch, without a restatement that links the two and gives a
  reason (the history rows are read too); a linked, reasoned restatement is not a duplicate
  (``restated.prior_year`` reports it for prior years);
- a value reported for a calculated or derived metric that disagrees with the figure
  recomputed from the ledger by more than the rounding of the two allows (a derived figure a
  catalog sum, identity or ratio checks is left to that rule): the KPI table uses one, so
  the other is a second version.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from esgledger.catalog import metrics
from esgledger.catalog.checks import check_rules
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext, exact
from esgledger.checks.explained import Message, said, unit_named, worded_parts
from esgledger.checks.findings import ERROR, Finding, number, plain
from esgledger.checks.tolerance import beyond, half_unit, relative_message
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import parse_dims
from esgledger.ledger.kpi_rows import KpiRow
from esgledger.units import multiplier


def _converted(value: KpiRow) -> float | None:
    if value.value is None or value.metric_id not in metrics():
        return None
    try:
        return value.value * multiplier(value.unit, metrics()[value.metric_id].unit)
    except InvalidInput:
        return None


def _origin(value: KpiRow) -> Message:
    """Where a stored value came from: its source and batch (a message: "no source" is
    worded in the reader's language)."""
    source: Any = value.source or said(N_("no source"))
    if value.batch_id:
        return said(
            N_("'%(source)s' (batch %(batch)s)"), {"source": source, "batch": value.batch_id}
        )
    return said(N_("'%(source)s'"), {"source": source})


def history_duplicates(ctx: CheckContext) -> list[Finding]:
    """Pairs of successive stored rows of one key whose values disagree without a linked,
    reasoned restatement."""
    groups: dict[tuple[str, str, str], list[KpiRow]] = defaultdict(list)
    for v in ctx.stored:
        if v.year == ctx.year:
            groups[(v.entity_id, v.metric_id, v.dims)].append(v)
    out = []
    # Only keys stored more than once can disagree: sorting just those keeps the order of
    # the findings and skips the hundred thousand keys of a large group stored once.
    repeated = sorted((key, rows) for key, rows in groups.items() if len(rows) > 1)
    for (entity, metric_id, dims), rows in repeated:
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
                    **worded_parts(
                        said(
                            N_(
                                "%(metric)s of %(entity)s for %(year)s is stored twice: "
                                "%(older)s %(unit)s from %(older_origin)s and %(newer)s "
                                "%(unit)s from %(newer_origin)s, with no restatement linking "
                                "them."
                            ),
                            {
                                "entity": entity,
                                "year": ctx.year,
                                "older": number(a, p),
                                "newer": number(b, p),
                                "unit": unit,
                                "older_origin": _origin(older),
                                "newer_origin": _origin(newer),
                            },
                            names={"metric": ("metric", metric_id), **unit_named(unit, metric_id)},
                        ),
                        said(
                            N_(
                                "Decide which source is right; record a change as a restatement "
                                "with a reason (`esg import kpis` with restatement_reason), "
                                "never as a second value."
                            )
                        ),
                    ),
                )
            )
    return out


def _has_own_rule(metric_id: str) -> bool:
    """Whether a catalog sum, identity or ratio checks this figure (and reports it there)."""
    return any(rule.whole == metric_id for rule in check_rules().values())


def reported_vs_calculated(ctx: CheckContext) -> list[Finding]:
    """Group values reported for calculated or derived metrics that differ from the figure
    recomputed from the ledger by more than the rounding of the figures involved."""
    out = []
    for v in ctx.current_rows():
        metric = metrics().get(v.metric_id)
        if metric is None or metric.kind == "reported" or v.dims or v.entity_id != ctx.root:
            continue
        if metric.kind == "derived" and _has_own_rule(metric.id):
            continue
        fig = ctx.figure(metric.id)
        side = fig.comparison if fig is not None else None
        if side is None or v.qualifier != "exact" or not exact(fig):  # type: ignore[arg-type]
            continue
        if side["calculated_partial"] or side["calculated_incomplete"]:
            continue  # the figure says so; a partial recomputation is expected to differ
        reported, computed, tolerance = side["reported"], side["calculated"], side["tolerance"]
        if not beyond(reported, computed, tolerance):
            continue
        p = metric.precision
        how = (
            said(N_("calculated from the activity data"))
            if metric.kind == "calculated"
            else said(N_("recomputed as %(formula)s"), {"formula": metric.formula})
        )
        out.append(
            Finding(
                rule="duplicate.values",
                severity=ERROR,
                metrics=[metric.id],
                entity=v.entity_id,
                year=ctx.year,
                expected=plain(computed),
                found=plain(reported),
                unit=metric.unit,
                tolerance=plain(tolerance, 9),
                dims={"versions": "reported,calculated"},
                details={"used": side["used"], "why": side["why"]},
                **worded_parts(
                    said(
                        N_(
                            "%(metric)s is reported as %(reported)s %(unit)s (%(origin)s) but "
                            "%(how)s is %(computed)s %(unit)s; the report would show one and "
                            "the source file the other."
                        ),
                        {
                            "reported": number(reported, p),
                            "computed": number(computed, p),
                            "unit": metric.unit,
                            "origin": _origin(v),
                            "how": how,
                        },
                        names={
                            "metric": ("metric", metric.id),
                            **unit_named(metric.unit, metric.id),
                        },
                        then=[
                            relative_message(reported - computed, tolerance, metric.unit, metric.id)
                        ],
                    ),
                    said(
                        N_(
                            "Correct the reported value, or correct the data it is recomputed "
                            "from (and recalculate with `esg calc --year %(year)s`)."
                        ),
                        {"year": ctx.year},
                    ),
                ),
            )
        )
    return out


def duplicates(ctx: CheckContext) -> list[Finding]:
    return history_duplicates(ctx) + reported_vs_calculated(ctx)
