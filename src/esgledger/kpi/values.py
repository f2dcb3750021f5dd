"""The KPI table of a year: every catalog metric with its figure, and single lookups."""

from __future__ import annotations

from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.kpi.calculated import activity_figure, activity_sums, latest_run, run_figure
from esgledger.kpi.derived import derived_figure, derived_order
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.reported import reported_figures
from esgledger.kpi.scope import Scopes


def kpi_table(
    session: Session, year: int, *, boundary: str | None = None
) -> dict[tuple[str, str], KpiFigure]:
    """(metric, dims) → figure for every metric of the catalog (missing ones say why)."""
    scopes = Scopes(session, year, override=boundary)
    figures = reported_figures(session, year, scopes)
    sums = None
    runs: dict[str | None, object] = {}
    for metric in metrics().values():
        if metric.kind != "calculated":
            continue
        scope = scopes.for_family(metric.boundary_family)
        if metric.calc_key.startswith("activity:"):
            sums = sums if sums is not None else activity_sums(session, year)
            computed = activity_figure(metric, year, scope, sums)
        else:
            if scope.code not in runs:
                runs[scope.code] = latest_run(session, year, scope.code)
            computed = run_figure(metric, year, scope, runs[scope.code])  # type: ignore[arg-type]
        reported = figures.get((metric.id, ""))
        if computed.value is not None or reported is None:
            if reported is not None and reported.value is not None:
                computed.note = (
                    computed.note + "; " if computed.note else ""
                ) + f"reported value {reported.value:g} not used"
            figures[(metric.id, "")] = computed
    for metric in derived_order():
        figures[(metric.id, "")] = derived_figure(metric, year, figures)
    with_figures = {k[0] for k in figures}
    for metric in metrics().values():
        if metric.id not in with_figures:
            figures[(metric.id, "")] = KpiFigure(
                metric=metric.id,
                year=year,
                value=None,
                unit=metric.unit,
                source="missing",
                status="missing",
                note="no value reported",
            )
    return figures


def metric_value(
    session: Session, metric_id: str, year: int, *, boundary: str | None = None
) -> KpiFigure | None:
    """The figure of one metric (no breakdown) in a year, or None for an unknown metric."""
    if metric_id not in metrics():
        return None
    return kpi_table(session, year, boundary=boundary).get((metric_id, ""))
