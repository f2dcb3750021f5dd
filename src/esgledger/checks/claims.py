"""Disclosures claimed in a content index with no data behind them (SYSTEM.md §7 class 8).

The claims are a mapping disclosure → metric ids. Until the disclosure work passes a real
content index, every GRI code of the metric catalog's ``gri`` column is taken as claimed,
with the metrics that cite it. A disclosure is flagged when none of its metrics has data for
the year (missing, "/" not disclosed, or a calculated zero without records); "n.a." counts as
an answer.
"""

from __future__ import annotations

from esgledger.catalog import metrics
from esgledger.catalog.formulas import formula_inputs
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext, has_data
from esgledger.checks.explained import said
from esgledger.checks.findings import WARNING, Finding
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure

# The fix as a message, so a page or an edition words it in its reader's language (#19).
CLAIM_FIX = N_(
    "Collect and import the data, or change the index entry to an omission with its reason "
    "(not applicable, information unavailable…)."
)


def catalog_claims() -> dict[str, list[str]]:
    """GRI disclosure → the catalog metrics that cite it, in catalog order."""
    out: dict[str, list[str]] = {}
    for metric in metrics().values():
        for code in metric.gri:
            out.setdefault(f"GRI {code}", []).append(metric.id)
    return dict(sorted(out.items(), key=lambda kv: _code_order(kv[0])))


def _code_order(code: str) -> tuple[int, ...]:
    digits = [int(p) for p in code.replace("GRI ", "").replace("-", " ").split() if p.isdigit()]
    return tuple(digits) or (0,)


def _answered(ctx: CheckContext, metric_id: str, seen: set[str] | None = None) -> bool:
    """Whether the metric has data, or is declared not applicable, for the year."""
    seen = seen or set()
    figs = [f for (m, _), f in ctx.table().items() if m == metric_id]
    if any(f.status == "not_applicable" for f in figs):
        return True
    return any(_figure_has_data(ctx, f, seen | {metric_id}) for f in figs)


def _figure_has_data(ctx: CheckContext, fig: KpiFigure, seen: set[str]) -> bool:
    if not has_data(fig):
        return False
    if fig.source != "derived":
        return True
    inputs = [i for i in _numerator(fig.metric) if i not in seen]
    return any(_answered(ctx, i, seen) for i in inputs) if inputs else True


def _numerator(metric_id: str) -> tuple[str, ...]:
    """The inputs that carry a derived metric's data: a ratio's denominator (revenue,
    headcount) has data whenever the group exists, so it does not count."""
    formula = metrics()[metric_id].formula
    try:
        return formula_inputs(formula.split("/")[0])
    except InvalidInput:
        return formula_inputs(formula)


def unanswered_claims(ctx: CheckContext) -> list[Finding]:
    claims = ctx.claims if ctx.claims is not None else catalog_claims()
    unknown = sorted({m for ids in claims.values() for m in ids if m not in metrics()})
    if unknown:
        raise InvalidInput(
            f"content index names unknown metrics: {', '.join(unknown)}; "
            "`esg metrics list` lists them"
        )
    out = []
    for disclosure, ids in claims.items():
        if not ids or any(_answered(ctx, m) for m in ids):
            continue
        out.append(
            Finding(
                rule="index.no_data",
                severity=WARNING,
                metrics=list(ids),
                entity=None,
                year=ctx.year,
                expected="data for at least one metric",
                found="none",
                dims={"disclosure": disclosure},
                explanation=(
                    f"The content index claims {disclosure}, but none of its metrics "
                    f"({', '.join(ids)}) has a value for {ctx.year}."
                ),
                message_id=N_(
                    "The content index claims %(disclosure)s, but none of its metrics "
                    "(%(metrics)s) has a value for %(year)s."
                ),
                values={"disclosure": disclosure, "metrics": ", ".join(ids), "year": ctx.year},
                fix=CLAIM_FIX,
                fix_message=said(CLAIM_FIX),
            )
        )
    return out
