"""Year-on-year jumps (SYSTEM.md §7 class 7): a figure that moved by more than the threshold.

An unexplained jump is an error: the number, the data or the boundary must be checked. When
the metric family's boundary changed between the years and the like-for-like change (only
entities inside both boundaries) stays within the threshold — or cannot be computed for a
reported figure — the boundary change explains it: the finding is a warning, annotated with
the members added and the like-for-like change, for the report to disclose.
"""

from __future__ import annotations

from typing import Any

from esgledger.catalog import Metric, metrics
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext, has_data
from esgledger.checks.explained import Message, said, unit_named, worded_parts
from esgledger.checks.findings import ERROR, WARNING, Finding, number, plain
from esgledger.kpi.series import change_pct, like_for_like
from esgledger.units import parse

FAMILY_LABEL = {"energy_ghg": N_("energy/GHG"), "environment": N_("environmental")}


def _ratio_unit(unit: str) -> bool:
    """Shares and rates (%, ‰) move in points, not by a relative jump."""
    try:
        return parse(unit).dimensionless
    except Exception:
        return False


def _boundary_change(ctx: CheckContext, family: str) -> dict[str, Any] | None:
    """Members added or removed between last year's and this year's boundary of a family."""
    if family not in FAMILY_LABEL:
        return None
    before = ctx.scopes(ctx.year - 1).for_family(family)
    now = ctx.scopes().for_family(family)
    if set(before.shares) == set(now.shares):
        return None
    return {
        "family": family,
        "codes": {str(ctx.year - 1): before.code, str(ctx.year): now.code},
        "members": {str(ctx.year - 1): len(before.shares), str(ctx.year): len(now.shares)},
        "added": sorted(set(now.shares) - set(before.shares)),
        "removed": sorted(set(before.shares) - set(now.shares)),
    }


def _like_for_like(ctx: CheckContext, metric: Metric) -> dict[str, Any] | None:
    """Previous and current value over the entities inside both years' boundaries."""
    if "entity_figures" not in ctx.memo:  # per-entity sums, loaded once per run
        ctx.memo["entity_figures"] = {
            y: ctx.reads.entity_figures(y, ctx.table(y)) for y in (ctx.year - 1, ctx.year)
        }
    figures = ctx.memo["entity_figures"]
    pair = like_for_like(metric, figures[ctx.year], figures[ctx.year - 1])
    if pair is None:
        return None
    return {"previous": pair[0], "current": pair[1], "change_pct": change_pct(pair[1], pair[0])}


def jumps(ctx: CheckContext) -> list[Finding]:
    """Figures of the year that moved by more than ``ctx.yoy_threshold`` percent."""
    out = []
    for metric in metrics().values():
        now, before = ctx.figure(metric.id), ctx.figure(metric.id, "", ctx.year - 1)
        if not (has_data(now) and has_data(before)) or _ratio_unit(metric.unit):
            continue
        change = change_pct(now.value, before.value)  # type: ignore[union-attr]
        if change is None or abs(change) <= ctx.yoy_threshold:
            continue
        out.append(_finding(ctx, metric, before.value, now.value, change))  # type: ignore[union-attr, arg-type]
    return out


def _boundary_message(
    ctx: CheckContext, boundary: dict[str, Any], lfl_change: float | None
) -> Message:
    sizes = boundary["members"]
    values = {"before": sizes[str(ctx.year - 1)], "now": sizes[str(ctx.year)]}
    words = {"family": FAMILY_LABEL[boundary["family"]]}
    if lfl_change is None:
        return said(N_(
            "The %(family)s boundary changed from %(before)s to %(now)s members; no "
            "like-for-like figure can be computed for a reported value."
        ), values, words)  # fmt: skip
    return said(N_(
        "The %(family)s boundary changed from %(before)s to %(now)s members; like-for-like "
        "(entities in both years) the change is %(change)s %%."
    ), {**values, "change": f"{lfl_change:+.1f}"}, words)  # fmt: skip


def _finding(
    ctx: CheckContext, metric: Metric, before: float, now: float, change: float
) -> Finding:
    """An error, or a warning when the boundary change explains the jump."""
    boundary = _boundary_change(ctx, metric.boundary_family)
    lfl = _like_for_like(ctx, metric) if boundary is not None else None
    lfl_change = lfl["change_pct"] if lfl else None
    limit = ctx.yoy_threshold
    explained = boundary is not None and (lfl_change is None or abs(lfl_change) <= limit)
    p = metric.precision
    text = said(
        N_(
            "%(metric)s moved %(change)s %% from %(before)s to %(now)s %(unit)s, beyond the "
            "%(limit)s %% threshold."
        ),
        {
            "change": f"{change:+.1f}",
            "before": number(before, p),
            "now": number(now, p),
            "unit": metric.unit,
            "limit": f"{limit:g}",
        },
        names={"metric": ("metric", metric.id), **unit_named(metric.unit, metric.id)},
        then=[_boundary_message(ctx, boundary, lfl_change)] if boundary is not None else [],
    )
    fix = said(
        N_("Disclose the boundary change next to the figure and show the like-for-like change.")
        if explained
        else N_(
            "Check the figure and its inputs; if the change is real, explain it in the report "
            "and acknowledge this finding with the explanation."
        )
    )
    return Finding(
        rule="yoy.jump",
        severity=WARNING if explained else ERROR,
        metrics=[metric.id],
        entity=None,
        year=ctx.year,
        expected=plain(before),
        found=plain(now),
        unit=metric.unit,
        tolerance=limit,
        **worded_parts(text, fix),
        details={
            "change_pct": plain(change, 3),
            "like_for_like": lfl,
            "boundary_change": boundary,
            "explained_by_boundary": explained,
        },
    )
