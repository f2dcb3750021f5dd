"""A calculation run that left activity rows unresolved: its figures are incomplete.

``calc.incomplete``: the run the year's energy and GHG figures come from could not turn some
activity rows into results (no factor for a region, a unit it cannot convert…). Its totals
leave those rows out. An error when KPI figures are affected (they are marked incomplete in
the KPI table); a warning when only totals the KPI catalog does not show are (Scope 3). The
finding names the rows so they can be fixed and the year recalculated.
"""

from __future__ import annotations

from esgledger.calc.rollup import TOTAL_OF_QUANTITY
from esgledger.catalog import metrics
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.energy import run_for
from esgledger.checks.explained import said, worded_parts
from esgledger.checks.findings import ERROR, WARNING, Finding
from esgledger.kpi.unresolved import calc_parts

SHOWN_ROWS = 10


def incomplete_runs(ctx: CheckContext) -> list[Finding]:
    run = run_for(ctx, ctx.year)
    if run is None or not run.unresolved:
        return []
    unresolved = ctx.reads.unresolved(run.id)
    affected = [
        m.id
        for m in metrics().values()
        if m.calc_key.startswith("calc:") and unresolved.count(m.calc_key.removeprefix("calc:"))
    ]
    quantities: list[str] | None = None
    count = sum(unresolved.by_total.values())
    if affected:
        totals = {calc_parts(metrics()[i].calc_key.removeprefix("calc:"))[0] for i in affected}
        quantities = [q for q, t in TOTAL_OF_QUANTITY.items() if t in totals]
        count = sum(unresolved.by_total.get(t, 0) for t in totals)
    issues = ctx.reads.issue_rows(run.id, quantities, SHOWN_ROWS)
    rows = sorted({a for a, _ in issues})
    reasons = sorted({r for _, r in issues})
    shown = ", ".join(map(str, rows)) + (" …" if count > len(issues) else "")
    what = (
        said(
            N_("so %(metrics)s leave them out and are incomplete"), {"metrics": ", ".join(affected)}
        )
        if affected
        else said(N_("so its Scope 3 total leaves them out (no KPI figure is affected)"))
    )
    return [
        Finding(
            rule="calc.incomplete",
            severity=ERROR if affected else WARNING,
            metrics=affected,
            entity=None,
            year=ctx.year,
            expected=0,
            found=count,
            dims={"run": str(run.id)},
            details={"run": run.id, "activity_rows": rows, "results": count, "reasons": reasons},
            # The rows' reasons are the calculation's stored lines, quoted as stored.
            **worded_parts(
                said(
                    N_(
                        "Calculation run %(run)s left %(count)s activity result(s) unresolved "
                        "(activity rows %(rows)s: %(reasons)s), %(what)s."
                    ),
                    {
                        "run": run.id,
                        "count": count,
                        "rows": shown,
                        "reasons": "; ".join(reasons),
                        "what": what,
                    },
                ),
                said(
                    N_(
                        "Fix the rows (factor, unit or attributes) and recalculate with "
                        "`esg calc --year %(year)s`; `esg calc show --run %(run)s` lists them."
                    ),
                    {"year": ctx.year, "run": run.id},
                ),
            ),
        )
    ]
