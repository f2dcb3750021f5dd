"""Arithmetic rules: the catalog's declarative sums, parts, identities and ratios
(``catalog/data/checks.csv``), and the built-in breakdown rules for every metric with
dimensions (SYSTEM.md §7 classes 2, 3, 4 and 10).

Every rule compares unrounded figures within the rounding tolerance of
:mod:`esgledger.checks.tolerance` (each figure's own printed precision, propagated), and
skips figures that are bounds or approximations, or that cover only part of the group (the
status rules report those instead). A whole that was reported is checked as reported, even
when the table uses the figure recomputed from its parts; a part with no records in the
boundary is left out of a sum, as the derived total leaves it out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from esgledger.catalog import dimensions, metrics
from esgledger.catalog.checks import FACTOR_INPUT, CheckRule, check_rules
from esgledger.catalog.factors import Factor, factor_editions, factors
from esgledger.catalog.formulas import evaluate, unit_factor
from esgledger.catalog.messages import N_
from esgledger.catalog.translations import has_text
from esgledger.checks.context import CheckContext, comparable, exact, has_data
from esgledger.checks.energy import indirect_energy_messages
from esgledger.checks.explained import Message, from_catalog, said, unit_named, worded_parts
from esgledger.checks.findings import ERROR, Finding, number, plain
from esgledger.checks.tolerance import beyond, exceeds, relative_message
from esgledger.errors import InvalidInput
from esgledger.kpi.derived import added_terms
from esgledger.kpi.figures import KpiFigure, no_records
from esgledger.kpi.reported import additive
from esgledger.kpi.rounding import propagated
from esgledger.units import multiplier

# Extra sentences some rules add to their explanation (what the data say about the cause).
NOTES: dict[str, Callable[[CheckContext], list[Message]]] = {
    "identity.indirect_energy": indirect_energy_messages,
}


def _factor(factor_id: str) -> Factor | None:
    return next((f for f in factors() if f.factor_id == factor_id), None)


def _dimension_named(dim: str) -> dict[str, tuple[str, str]]:
    """A breakdown's dimension as a catalog name where the catalog has it."""
    return {"dimension": ("dimension", dim)} if has_text("dimension", dim, "zh") else {}


def _member_named(member: str) -> dict[str, tuple[str, str]]:
    return {"member": ("member", member)} if has_text("member", member, "zh") else {}


def _precision(metric_id: str) -> int:
    return metrics()[metric_id].precision


def _value(fig: KpiFigure | None) -> float | None:
    """An input's value as the table uses it; a missing figure or a bound has none."""
    if fig is None or fig.value is None or fig.status != "reported" or not exact(fig):
        return None
    return fig.value


def _printed(fig: KpiFigure) -> tuple[float, float]:
    """(value, rounding) of a whole as printed: the reported value when there is one (an
    approximation or a bound is not checked exactly: the used figure stands)."""
    side = fig.comparison
    if side is not None and side["reported_qualifier"] == "exact":
        return side["reported"], side["reported_rounding"]
    assert fig.value is not None
    return fig.value, fig.rounding


def _mixes_scopes(ctx: CheckContext, ids: tuple[str, ...]) -> bool:
    qualified = [ctx.scope_qualified(i) for i in ids]
    return any(qualified) and not all(qualified)


def _rule_finding(
    ctx: CheckContext,
    rule: CheckRule,
    ids: list[str],
    expected: float,
    found: float,
    unit: str,
    tolerance: float,
    **extra: Any,
) -> Finding:
    precision = _precision(ids[0])
    fill = {
        "found": number(found, precision),
        "expected": number(expected, precision),
        "unit": unit,
        "year": ctx.year,
        **extra,
    }
    notes = NOTES[rule.id](ctx) if rule.id in NOTES else []
    values = {k: str(v) for k, v in fill.items()}
    explanation = from_catalog(
        "check_explanation",
        rule.id,
        values,
        names=unit_named(unit, ids[0]),
        then=[relative_message(found - expected, tolerance, unit, ids[0]), *notes],
    )
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        metrics=ids,
        entity=None,
        year=ctx.year,
        expected=plain(expected),
        found=plain(found),
        unit=unit,
        tolerance=plain(tolerance, 9),
        **worded_parts(explanation, from_catalog("check_fix", rule.id, values)),
        details={
            "difference": plain(found - expected),
            "times_tolerance": plain(abs(found - expected) / tolerance, 2) if tolerance else None,
            "spec": rule.spec,
        },
    )


def _part(fig: KpiFigure | None) -> tuple[float, float] | None:
    """(value, rounding) of a sum's part; a part with no records counts as left out (0)."""
    if no_records(fig):
        return 0.0, 0.0
    value = _value(fig)
    return None if value is None else (value, fig.rounding)  # type: ignore[union-attr]


def _sum(ctx: CheckContext, rule: CheckRule) -> list[Finding]:
    whole = ctx.figure(rule.whole)
    if not comparable(whole):
        return []
    assert whole is not None
    found, whole_rounding = _printed(whole)
    parts = [ctx.figure(p) for p in rule.parts]
    values = [_part(p) for p in parts]
    if any(v is None for v in values) or not any(has_data(p) for p in parts):
        return []
    scales = [multiplier(metrics()[p].unit, whole.unit) for p in rule.parts]
    pairs = [(v * s, r * abs(s)) for (v, r), s in zip(values, scales, strict=True)]  # type: ignore[misc]
    expected = sum(v for v, _ in pairs)
    tolerance = rule.tolerance
    if tolerance is None:
        tolerance = whole_rounding + sum(r for _, r in pairs)
    if not beyond(found, expected, tolerance):
        return []
    ids = [rule.whole, *rule.parts]
    return [_rule_finding(ctx, rule, ids, expected, found, whole.unit, tolerance)]


def _parts(ctx: CheckContext, rule: CheckRule) -> list[Finding]:
    whole = ctx.figure(rule.whole)
    out = []
    for part_id in rule.parts:
        part = ctx.figure(part_id)
        if not comparable(whole, part):
            continue
        assert whole is not None and part is not None and part.value is not None
        whole_value, whole_rounding = _printed(whole)
        scale = multiplier(part.unit, whole.unit)
        found = part.value * scale
        tolerance = rule.tolerance
        if tolerance is None:
            tolerance = part.rounding * abs(scale) + whole_rounding
        if exceeds(found, whole_value, tolerance):
            ids = [part_id, rule.whole]
            out.append(_rule_finding(ctx, rule, ids, whole_value, found, whole.unit, tolerance))
    return out


def _identity(ctx: CheckContext, rule: CheckRule) -> list[Finding]:
    whole = ctx.figure(rule.whole)
    if not comparable(whole):
        return []
    assert whole is not None
    found, whole_rounding = _printed(whole)
    values: dict[str, float] = {}
    roundings: dict[str, float] = {}
    optional = added_terms(rule.formula)
    for metric_id in rule.inputs:
        fig = ctx.figure(metric_id)
        # an added line no run computes yet (heat, steam and cooling before `esg calc`) adds
        # nothing, as a line with no records does
        unrun = fig is not None and fig.value is None and fig.source == "missing"
        if metric_id in optional and unrun:
            pair: tuple[float, float] | None = (0.0, 0.0)
        else:
            pair = None if no_records(fig) and metric_id not in optional else _part(fig)
        if pair is None:
            return []
        values[metric_id], roundings[metric_id] = pair
    if not any(has_data(ctx.figure(i)) for i in rule.inputs):
        return []
    units = {i: metrics()[i].unit for i in rule.inputs}
    extra: dict[str, Any] = {}
    factor = _factor(rule.factor) if rule.factor else None
    if factor is not None:
        values[FACTOR_INPUT], units[FACTOR_INPUT] = factor.value, factor.unit
        edition = factor_editions()[factor.edition]
        label = ", ".join(x for x in (edition.document_no or edition.edition, factor.variant) if x)
        extra = {"factor_value": f"{factor.value:g}", "factor_unit": factor.unit}
        extra["factor_label"] = label.replace("_", " ")
    try:
        scale = unit_factor(rule.formula, units, whole.unit)
        expected = evaluate(rule.formula, values) * scale
    except InvalidInput:
        return []  # a division by zero: nothing to compare

    def function(vals: Mapping[str, float]) -> float:
        return evaluate(rule.formula, vals) * scale

    tolerance = rule.tolerance
    if tolerance is None:
        tolerance = whole_rounding + propagated(function, values, roundings)
    if not beyond(found, expected, tolerance):
        return []
    ids = [rule.whole, *rule.inputs]
    return [_rule_finding(ctx, rule, ids, expected, found, whole.unit, tolerance, **extra)]


RUNNERS: dict[str, Callable[[CheckContext, CheckRule], list[Finding]]] = {
    "sum": _sum,
    "part_le_whole": _parts,
    "identity": _identity,
    "ratio": _identity,
}


def catalog_rules(ctx: CheckContext) -> list[Finding]:
    """Every declarative rule of ``checks.csv`` on the year's KPI table."""
    out: list[Finding] = []
    for rule in check_rules().values():
        if rule.type not in RUNNERS:
            continue  # a register figure's rule (:mod:`.register_figures`)
        if _mixes_scopes(ctx, (rule.whole, *rule.inputs)):
            continue  # not comparable; scope.qualified says so
        out.extend(RUNNERS[rule.type](ctx, rule))
    return out


def _single_dim(dims: str) -> tuple[str, str] | None:
    if not dims or ";" in dims:
        return None
    name, member = dims.split("=", 1)
    return name, member


def breakdowns(ctx: CheckContext) -> list[Finding]:
    """Each breakdown of an additive metric (gender, age band…, 'unknown' included) must add
    up to the total, and no single member may exceed it."""
    grouped: dict[tuple[str, str], dict[str, KpiFigure]] = {}
    for (metric_id, dims), fig in ctx.table().items():
        split = _single_dim(dims)
        if split is not None and additive(metric_id):
            grouped.setdefault((metric_id, split[0]), {})[split[1]] = fig
    out: list[Finding] = []
    for (metric_id, dim), members in sorted(grouped.items()):
        total = ctx.figure(metric_id)
        if not comparable(total, *members.values()):
            continue
        assert total is not None and total.value is not None
        out.extend(_breakdown_sum(ctx, metric_id, dim, members, total))
        out.extend(_breakdown_members(ctx, metric_id, dim, members, total))
    return out


def _breakdown_sum(
    ctx: CheckContext, metric_id: str, dim: str, members: dict[str, KpiFigure], total: KpiFigure
) -> list[Finding]:
    expected = sum(f.value for f in members.values())  # type: ignore[misc]
    tolerance = total.rounding + sum(f.rounding for f in members.values())
    if not beyond(total.value, expected, tolerance):  # type: ignore[arg-type]
        return []
    p = _precision(metric_id)
    known = dimensions()[dim].members if dim in dimensions() else ()
    absent = [m for m in known if m not in members]
    dim_words = dim.replace("_", " ")
    difference = total.value - expected  # type: ignore[operator]
    then = [relative_message(difference, tolerance, total.unit, metric_id)]
    if absent:
        then.insert(
            0, said(N_("The breakdown has no row for %(absent)s."), {"absent": ", ".join(absent)})
        )
    values = {
        "dimension": dim_words,
        "expected": number(expected, p),
        "found": number(total.value, p),
        "unit": total.unit,
    }
    names = {
        "metric": ("metric", metric_id),
        **_dimension_named(dim),
        **unit_named(total.unit, metric_id),
    }
    explanation = said(
        N_(
            "%(metric)s by %(dimension)s adds up to %(expected)s %(unit)s, but the total is "
            "%(found)s %(unit)s."
        ),
        values,
        names=names,
        then=then,
    )
    fix = said(
        N_(
            "Correct the %(dimension)s rows so they add up to the total; put people whose "
            "attribute is not recorded in 'unknown', which counts in totals."
        ),
        {"dimension": dim_words},
        names=_dimension_named(dim),
    )
    return [
        Finding(
            rule="sum.breakdown",
            severity=ERROR,
            metrics=[metric_id],
            entity=None,
            year=ctx.year,
            expected=plain(expected),
            found=plain(total.value),
            unit=total.unit,
            tolerance=plain(tolerance, 9),
            dims={"dimension": dim},
            **worded_parts(explanation, fix),
            details={"members": {m: plain(f.value) for m, f in sorted(members.items())}},
        )
    ]


def _breakdown_members(
    ctx: CheckContext, metric_id: str, dim: str, members: dict[str, KpiFigure], total: KpiFigure
) -> list[Finding]:
    p = _precision(metric_id)
    out = []
    for member, fig in sorted(members.items()):
        tolerance = fig.rounding + total.rounding
        if not exceeds(fig.value, total.value, tolerance):  # type: ignore[arg-type]
            continue
        out.append(
            Finding(
                rule="part.breakdown",
                severity=ERROR,
                metrics=[metric_id],
                entity=None,
                year=ctx.year,
                expected=plain(total.value),
                found=plain(fig.value),
                unit=total.unit,
                tolerance=plain(tolerance, 9),
                dims={dim: member},
                **worded_parts(
                    said(
                        N_(
                            "%(metric)s for %(dimension)s '%(member)s' (%(found)s %(unit)s) is "
                            "larger than the whole (%(expected)s %(unit)s)."
                        ),
                        {
                            "dimension": dim.replace("_", " "),
                            "member": member,
                            "found": number(fig.value, p),
                            "expected": number(total.value, p),
                            "unit": total.unit,
                        },
                        names={
                            "metric": ("metric", metric_id),
                            **_dimension_named(dim),
                            **_member_named(member),
                            **unit_named(total.unit, metric_id),
                        },
                    ),
                    said(
                        N_(
                            "Check the breakdown row: one member cannot exceed the total it is "
                            "part of."
                        )
                    ),
                ),
            )
        )
    return out
