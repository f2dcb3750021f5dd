"""Entities inside a boundary with no data (SYSTEM.md §4 and §7 classes 7 and 14).

``coverage.no_activity``: a member of the year's energy/GHG or environment boundary for which
neither it nor any member below it has activity records of that family in the year — the
boundary says it counts, but it adds nothing to the totals.

``coverage.kpi_members``: a reported metric of those families that the group does not report
itself, so its figure is the sum of members' values, while some members report nothing.

Only the topmost uncovered member of a branch is named, so a legal entity whose sites all lack
data is one finding, not one per site.
"""

from __future__ import annotations

from esgledger.catalog import metrics
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import said
from esgledger.checks.findings import WARNING, Finding
from esgledger.kpi.coverage import FAMILIES, Branches, active_in_sums, children_of, uncovered
from esgledger.kpi.reported import additive

FAMILY_METRICS = {
    "energy_ghg": ["energy.total", "ghg.total"],
    "environment": ["water.withdrawal.total", "water.discharge.total"],
}


# The fixes as messages, so a page or an edition words them in its reader's language (#19).
NO_ACTIVITY_FIX = N_(
    "Import %(entity)s's %(year)s activity data, or remove it from the boundary with a change "
    "note saying why."
)
MEMBERS_FIX = N_(
    "Collect the missing members' values (zero where there is none), or report the group "
    "figure directly with a note on its coverage."
)


def _children(ctx: CheckContext) -> dict[str, list[str]]:
    return children_of(ctx.scopes().parents)


def _active(ctx: CheckContext, categories: tuple[str, ...]) -> set[str]:
    return active_in_sums(ctx.activity_sums(), categories)


def no_activity(ctx: CheckContext) -> list[Finding]:
    out = []
    children = _children(ctx)
    for family, categories in FAMILIES.items():
        scope = ctx.scopes().for_family(family)
        if scope.code is None:
            continue  # no boundary for the family this year: nothing is promised
        words = ", ".join(categories)
        for entity in uncovered(scope.shares, _active(ctx, categories), children):
            out.append(
                Finding(
                    rule="coverage.no_activity",
                    severity=WARNING,
                    metrics=FAMILY_METRICS[family],
                    entity=entity,
                    year=ctx.year,
                    expected=f"{words} records",
                    found="none",
                    dims={"boundary": scope.code},
                    explanation=(
                        f"{entity} is in boundary {scope.code} but has no {words} records "
                        f"for {ctx.year}, so the {family.replace('_', '/')} totals leave it "
                        "out: they are partial."
                    ),
                    message_id=N_(
                        "%(entity)s is in boundary %(boundary)s but has no %(categories)s "
                        "records for %(year)s, so the %(family)s totals leave it out: they are "
                        "partial."
                    ),
                    values={
                        "entity": entity,
                        "boundary": scope.code,
                        "categories": words,
                        "year": ctx.year,
                        "family": family.replace("_", "/"),
                    },
                    fix=NO_ACTIVITY_FIX % {"entity": entity, "year": ctx.year},
                    fix_message=said(NO_ACTIVITY_FIX, {"entity": entity, "year": ctx.year}),
                )
            )
    return out


def kpi_members(ctx: CheckContext) -> list[Finding]:
    out = []
    children = _children(ctx)
    rows = ctx.current_rows()
    at_root = {v.metric_id for v in rows if v.entity_id == ctx.root and not v.dims}
    branches: dict[str, Branches] = {}  # by family: made once for all its metrics
    for metric in metrics().values():
        if metric.kind != "reported" or metric.boundary_family not in FAMILIES:
            continue
        if metric.id in at_root or not additive(metric.id):
            continue
        scope = ctx.scopes().for_family(metric.boundary_family)
        reporting = {e for e in ctx.reporters(metric.id) if e in scope.shares}
        if not reporting:
            continue
        family = metric.boundary_family
        if family not in branches:
            branches[family] = Branches(scope.shares, children)
        missing = branches[family].uncovered(reporting)
        if not missing:
            continue
        out.append(
            Finding(
                rule="coverage.kpi_members",
                severity=WARNING,
                metrics=[metric.id],
                entity=None,
                year=ctx.year,
                expected=len(scope.shares),
                found=len(scope.shares) - len(missing),
                dims={"boundary": scope.code or "all entities"},
                details={"missing": missing},
                explanation=(
                    f"{metric.name} is the sum of members' values, but {len(missing)} "
                    f"member(s) of {scope.code or 'the group'} report nothing: "
                    f"{', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}."
                ),
                message_id=N_(
                    "%(metric)s is the sum of members' values, but %(num)s member(s) of "
                    "%(group)s report nothing: %(missing)s."
                ),
                values={
                    "num": len(missing),
                    "missing": f"{', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}",
                    **({"group": scope.code} if scope.code else {}),
                },
                words={} if scope.code else {"group": N_("the group")},
                names={"metric": ("metric", metric.id)},
                fix=MEMBERS_FIX,
                fix_message=said(MEMBERS_FIX),
            )
        )
    return out


def coverage(ctx: CheckContext) -> list[Finding]:
    return no_activity(ctx) + kpi_members(ctx)
