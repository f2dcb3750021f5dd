"""Rules on the supplier register's shares (#16): the ``fall`` and ``available`` rows of
``checks.csv``.

A reviewer asks two things of a share counted from a register: did it drop from the year
before by more than the rule's tolerance (percentage points), and is it "not available"
while the register holds what it would count (suppliers in cooperation at the year's end,
new material suppliers onboarded in the year, or suppliers asked for a CMRT in it)? Both
are warnings: the figure may be right, but the report must say why. The figure's own note
is quoted, worded in the reader's language where its pattern is known
(:mod:`esgledger.kpi.register_figures.notes`).
"""

from __future__ import annotations

from typing import Any

from esgledger.catalog.checks import CheckRule, check_rules
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import from_catalog, said, worded_parts
from esgledger.checks.findings import Finding, number, plain
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.register_figures.notes import part_message


def register_figure_rules(ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for rule in check_rules().values():
        if rule.type == "fall":
            out.extend(_fall(ctx, rule))
        elif rule.type == "available":
            out.extend(_available(ctx, rule))
    return out


def _register_figure(ctx: CheckContext, metric: str, year: int) -> KpiFigure | None:
    figure = ctx.figure(metric, year=year)
    return figure if figure is not None and figure.source == "register" else None


def _finding(ctx: CheckContext, rule: CheckRule, values: dict[str, Any], **fields: Any) -> Finding:
    explanation = from_catalog("check_explanation", rule.id, values)
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        metrics=[rule.whole],
        entity=None,
        year=ctx.year,
        **fields,
        **worded_parts(explanation, from_catalog("check_fix", rule.id, values)),
    )


def _fall(ctx: CheckContext, rule: CheckRule) -> list[Finding]:
    now = _register_figure(ctx, rule.whole, ctx.year)
    before = _register_figure(ctx, rule.whole, ctx.year - 1)
    if now is None or before is None or now.value is None or before.value is None:
        return []  # a share not available is the ``available`` rule's
    assert rule.tolerance is not None
    if before.value - now.value <= rule.tolerance:
        return []
    values = {
        "found": number(now.value, 1),
        "expected": number(before.value, 1),
        "unit": now.unit,
        "year": ctx.year,
        "previous": ctx.year - 1,
        "tolerance": number(rule.tolerance, 0),
    }
    return [
        _finding(
            ctx, rule, values, expected=plain(before.value, 4), found=plain(now.value, 4),
            unit=now.unit, tolerance=rule.tolerance,
            details={"difference": plain(now.value - before.value, 4), "spec": rule.spec},
        )
    ]  # fmt: skip


LEAD = "not available: the register has no figure for the boundary"  # kpi.registered's


def _provider_reason(note: str) -> str:
    """The register provider's own reason in a rolled-up figure's note (after the roll-up's
    lead), or the note as it is."""
    parts = [p for p in note.split("; ") if p != LEAD]
    return parts[0] if parts else note


def _available(ctx: CheckContext, rule: CheckRule) -> list[Finding]:
    figure = _register_figure(ctx, rule.whole, ctx.year)
    if figure is None or figure.value is not None:
        return []
    base = ctx.reads.register_base(rule.whole, ctx.year)
    if not base:
        return []  # nothing to count: "not available" is the right answer
    part = _provider_reason(figure.note)
    known = part_message(part, figure.note_why)
    reason: Any = said(*known) if known else part
    values = {"year": ctx.year, "base": base, "reason": reason}
    return [
        _finding(
            ctx, rule, values, expected=None, found="not available",
            details={"base": base, "note": figure.note, "spec": rule.spec},
        )
    ]  # fmt: skip
