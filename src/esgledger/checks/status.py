"""Warnings about a value's status rather than its arithmetic (SYSTEM.md §7):

- ``restated.prior_year`` (class 11) — a prior year of the three-year table was restated:
  the report must footnote it, and whatever depends on it changes too;
- ``preliminary.value`` (class 12) — an estimate to update before publication;
- ``missing.value`` (class 14) — a label stored without a value ("/" or "-");
- ``scope.qualified`` (class 17) — a figure that covers part of the group (HQ only, overseas
  only…) combined with group totals in a formula or a check; the exact checks skip such
  combinations, this warning says why.

Bounds and approximations (class 13) need no rule of their own: every exact check skips a
figure whose qualifier is not ``exact``.
"""

from __future__ import annotations

from esgledger.catalog import metrics
from esgledger.catalog.checks import check_rules
from esgledger.catalog.formulas import formula_inputs
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import said
from esgledger.checks.findings import WARNING, Finding, number, plain
from esgledger.kpi.figures import parse_dims

# The checks' fixes as messages, so a page or an edition words them in its reader's language
# (#19); ``esg check`` prints the English.
RESTATED_FIX = N_(
    "Footnote the restatement next to the prior-year figure, and check that the figures "
    "derived from it (intensities, totals) show the restated basis."
)
PRELIMINARY_FIX = N_(
    "Replace it with the final value before publication (a restatement with the reason), or "
    "label it as an estimate in the report."
)
MISSING_FIX = N_(
    "Enter the value, or mark the row not applicable (n.a.) and give the omission reason in "
    "the content index."
)
QUALIFIED_FIX = N_(
    "Report the figure for the whole group, or show it as a scope-qualified row (its own "
    "label) and leave it out of group ratios and totals."
)

STATUS_TEXT = {"not_disclosed": "/", "missing": "-"}
STATUS_WORDS = {"not_disclosed": N_("not disclosed"), "missing": N_("missing")}


def restated(ctx: CheckContext) -> list[Finding]:
    by_id = {v.id: v for v in ctx.stored}
    out = []
    for v in ctx.stored:
        if not v.is_current or v.restates_id is None or v.year >= ctx.year:
            continue
        metric = metrics().get(v.metric_id)
        old = by_id.get(v.restates_id)
        if metric is None:
            continue
        p = metric.precision
        before = f"{number(old.value, p)} {old.unit}" if old is not None else "an earlier value"
        out.append(
            Finding(
                rule="restated.prior_year",
                severity=WARNING,
                metrics=[metric.id],
                entity=v.entity_id,
                year=v.year,
                expected=plain(old.value) if old is not None else None,
                found=plain(v.value),
                unit=v.unit,
                dims=parse_dims(v.dims),
                details={"reason": v.restatement_reason, "replaces": v.restates_id},
                explanation=(
                    f"The {v.year} value of {metric.name} was restated from {before} to "
                    f"{number(v.value, p)} {v.unit} ({v.restatement_reason or 'no reason given'})."
                ),
                message_id=N_(
                    "The %(year)s value of %(metric)s was restated from %(before)s to %(after)s "
                    "(%(reason)s)."
                ),
                values={
                    "year": v.year,
                    "after": f"{number(v.value, p)} {v.unit}",
                    **({"before": before} if old is not None else {}),
                    **({"reason": v.restatement_reason} if v.restatement_reason else {}),
                },
                words={
                    **({} if old is not None else {"before": N_("an earlier value")}),
                    **({} if v.restatement_reason else {"reason": N_("no reason given")}),
                },
                names={"metric": ("metric", metric.id)},
                fix=RESTATED_FIX,
                fix_message=said(RESTATED_FIX),
            )
        )
    return out


def preliminary(ctx: CheckContext) -> list[Finding]:
    out = []
    for (metric_id, dims), fig in sorted(ctx.table().items()):
        if not fig.preliminary or fig.source != "reported":
            continue
        metric = metrics()[metric_id]
        out.append(
            Finding(
                rule="preliminary.value",
                severity=WARNING,
                metrics=[metric_id],
                entity=None,
                year=ctx.year,
                expected="a final value",
                found=plain(fig.value),
                unit=fig.unit,
                dims=parse_dims(dims),
                explanation=(
                    f"{metric.name} ({number(fig.value, metric.precision)} {fig.unit}) is a "
                    "preliminary estimate."
                ),
                message_id=N_("%(metric)s (%(value)s %(unit)s) is a preliminary estimate."),
                values={"value": number(fig.value, metric.precision), "unit": fig.unit},
                names={"metric": ("metric", metric_id)},
                fix=PRELIMINARY_FIX,
                fix_message=said(PRELIMINARY_FIX),
            )
        )
    return out


def missing(ctx: CheckContext) -> list[Finding]:
    out = []
    for v in ctx.current_rows():
        if v.status not in STATUS_TEXT or v.metric_id not in metrics():
            continue
        metric = metrics()[v.metric_id]
        out.append(
            Finding(
                rule="missing.value",
                severity=WARNING,
                metrics=[metric.id],
                entity=v.entity_id,
                year=ctx.year,
                expected="a value",
                found=STATUS_TEXT[v.status],
                dims=parse_dims(v.dims),
                explanation=(
                    f"{metric.name} is stored for {ctx.year} as “{STATUS_TEXT[v.status]}” "
                    f"({v.status.replace('_', ' ')}): the report would show a label without a "
                    "value."
                ),
                message_id=N_(
                    "%(metric)s is stored for %(year)s as “%(label)s” (%(status)s): the report "
                    "would show a label without a value."
                ),
                values={"year": ctx.year, "label": STATUS_TEXT[v.status]},
                words={"status": STATUS_WORDS[v.status]},
                names={"metric": ("metric", metric.id)},
                fix=MISSING_FIX,
                fix_message=said(MISSING_FIX),
            )
        )
    return out


def _combinations() -> list[tuple[str, tuple[str, ...]]]:
    """(what combines them, metric ids) for every catalog formula and check rule."""
    out = [(m.id, formula_inputs(m.formula)) for m in metrics().values() if m.kind == "derived"]
    out += [(r.id, (r.whole, *r.inputs)) for r in check_rules().values()]
    return out


def scope_qualified(ctx: CheckContext) -> list[Finding]:
    qualified = {m for m in metrics() if ctx.scope_qualified(m)}
    if not qualified:
        return []
    out = []
    for combined, ids in _combinations():
        partial = [i for i in ids if i in qualified]
        if not partial or len(partial) == len(ids):
            continue
        fig = ctx.figure(partial[0])
        note = f" (“{fig.note}”)" if fig is not None and fig.note else ""
        out.append(
            Finding(
                rule="scope.qualified",
                severity=WARNING,
                metrics=sorted(set(ids)),
                entity=None,
                year=ctx.year,
                expected="figures of the same scope",
                found=f"{', '.join(partial)} cover(s) part of the group",
                dims={"combined_in": combined},
                explanation=(
                    f"{', '.join(partial)} cover(s) only part of the group{note} but "
                    f"{combined} combines it with group totals; the result is not comparable "
                    "and its exact checks are skipped."
                ),
                message_id=N_(
                    "%(partial)s cover(s) only part of the group (“%(note)s”) but %(combined)s "
                    "combines it with group totals; the result is not comparable and its exact "
                    "checks are skipped."
                )
                if note
                else N_(
                    "%(partial)s cover(s) only part of the group but %(combined)s combines it "
                    "with group totals; the result is not comparable and its exact checks are "
                    "skipped."
                ),
                values={
                    "partial": ", ".join(partial),
                    "combined": combined,
                    "note": fig.note if fig is not None else "",
                },
                fix=QUALIFIED_FIX,
                fix_message=said(QUALIFIED_FIX),
            )
        )
    return out


def statuses(ctx: CheckContext) -> list[Finding]:
    return restated(ctx) + preliminary(ctx) + missing(ctx) + scope_qualified(ctx)
