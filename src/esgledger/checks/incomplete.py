"""A calculation run that left activity rows unresolved: its figures are incomplete.

``calc.incomplete`` (error): the run the year's energy and GHG figures come from could not
turn some activity rows into results (no factor for a region, a unit it cannot convert…).
Its totals leave those rows out, so every figure from it is marked incomplete in the KPI
table; the finding names the rows so they can be fixed and the year recalculated.
"""

from __future__ import annotations

from sqlalchemy import func, select

from esgledger.catalog import metrics
from esgledger.checks.context import CheckContext
from esgledger.checks.energy import run_for
from esgledger.checks.findings import ERROR, Finding
from esgledger.ledger.models import CalculationIssue

SHOWN_ROWS = 10


def incomplete_runs(ctx: CheckContext) -> list[Finding]:
    run = run_for(ctx, ctx.year)
    if run is None or not run.unresolved:
        return []
    count = ctx.session.scalar(
        select(func.count()).select_from(CalculationIssue).where(CalculationIssue.run_id == run.id)
    )
    issues = list(
        ctx.session.execute(
            select(
                CalculationIssue.activity_id, CalculationIssue.entity_id, CalculationIssue.reason
            )
            .where(CalculationIssue.run_id == run.id)
            .order_by(CalculationIssue.activity_id, CalculationIssue.id)
            .limit(SHOWN_ROWS)
        )
    )
    rows = sorted({a for a, _, _ in issues})
    reasons = sorted({r for _, _, r in issues})
    shown = ", ".join(map(str, rows)) + (" …" if (count or 0) > len(issues) else "")
    figures = [m.id for m in metrics().values() if m.calc_key.startswith("calc:")]
    return [
        Finding(
            rule="calc.incomplete",
            severity=ERROR,
            metrics=figures,
            entity=None,
            year=ctx.year,
            expected=0,
            found=run.unresolved,
            dims={"run": str(run.id)},
            details={"run": run.id, "activity_rows": rows, "results": count, "reasons": reasons},
            explanation=(
                f"Calculation run {run.id} left {run.unresolved} activity result(s) unresolved "
                f"(activity rows {shown}: {'; '.join(reasons)}), so its energy and GHG "
                "figures leave them out and are incomplete."
            ),
            fix=(
                "Fix the rows (factor, unit or attributes) and recalculate with "
                f"`esg calc --year {ctx.year}`; `esg calc show --run {run.id}` lists them."
            ),
        )
    ]
