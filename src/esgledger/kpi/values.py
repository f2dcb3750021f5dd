"""The KPI table of a year: every catalog metric with its figure, and single lookups.

Each calculated and derived metric is recomputed and, where a value was reported too, the
two are put side by side and one is used (:mod:`esgledger.kpi.precedence`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from esgledger.catalog import Metric, metrics
from esgledger.kpi.calculated import (
    Sums,
    activity_figure,
    activity_sums,
    latest_run,
    run_figure,
)
from esgledger.kpi.coverage import missing_members
from esgledger.kpi.derived import derived_figure, derived_order
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.member_groups import GroupedValues
from esgledger.kpi.precedence import choose
from esgledger.kpi.registered import merge_registers
from esgledger.kpi.reported import reported_figures
from esgledger.kpi.scope import Scopes
from esgledger.kpi.unresolved import Unresolved, unresolved_of
from esgledger.ledger.kpi_rows import KpiRow
from esgledger.ledger.models import CalculationRun


class _Computer:
    """Recomputes calculated metrics of one year, reading activity sums and runs once."""

    def __init__(self, session: Session, year: int, scopes: Scopes, sums: Sums | None = None):
        self.session, self.year, self.scopes = session, year, scopes
        self._sums = sums
        self._runs: dict[str | None, tuple[CalculationRun | None, Unresolved | None]] = {}
        self._missing: dict[str, list[str]] = {}

    def figure(self, metric: Metric) -> KpiFigure:
        scope = self.scopes.for_family(metric.boundary_family)
        if metric.calc_key.startswith("activity:"):
            if self._sums is None:
                self._sums = activity_sums(self.session, self.year)
            computed = activity_figure(metric, self.year, scope, self._sums)
        else:
            if scope.code not in self._runs:
                run = latest_run(self.session, self.year, scope.code)
                issues = unresolved_of(self.session, run.id) if run and run.unresolved else None
                self._runs[scope.code] = (run, issues)
            computed = run_figure(metric, self.year, scope, *self._runs[scope.code])
        left_out = self.missing(metric.boundary_family)
        if computed.available and left_out:
            computed.partial = True
            shown = ", ".join(left_out[:5]) + (" …" if len(left_out) > 5 else "")
            note = f"partial: no {self.year} activity data for {len(left_out)} member(s) ({shown})"
            computed.note = "; ".join(n for n in (computed.note, note) if n)
        return computed

    def missing(self, family: str) -> list[str]:
        if family not in self._missing:
            if self._sums is None:
                self._sums = activity_sums(self.session, self.year)
            self._missing[family] = missing_members(self.session, self.scopes, family, self._sums)
        return self._missing[family]


def kpi_table(
    session: Session,
    year: int,
    *,
    boundary: str | None = None,
    sums: Sums | None = None,
    rows: list[KpiRow] | None = None,
    grouped: GroupedValues | None = None,
) -> dict[tuple[str, str], KpiFigure]:
    """(metric, dims) → figure for every metric of the catalog (missing ones say why);
    ``sums`` (activity sums) and ``rows`` (KPI figure rows) are the year's, when the caller
    has read them already, and ``grouped`` the stored values grouped in the database
    (:mod:`esgledger.kpi.member_groups`) of a span of years including this one."""
    scopes = Scopes(session, year, override=boundary)
    figures = reported_figures(session, year, scopes, rows, grouped)
    merge_registers(session, year, scopes, figures)
    computer = _Computer(session, year, scopes, sums)
    for metric in metrics().values():
        if metric.kind == "calculated":
            key = (metric.id, "")
            figures[key] = choose(figures.get(key), computer.figure(metric))
    for metric in derived_order():
        key = (metric.id, "")
        figures[key] = choose(figures.get(key), derived_figure(metric, year, figures))
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
                note="not available: no value reported",
            )
    return figures


def metric_value(
    session: Session, metric_id: str, year: int, *, boundary: str | None = None
) -> KpiFigure | None:
    """The figure of one metric (no breakdown) in a year, or None for an unknown metric."""
    if metric_id not in metrics():
        return None
    return kpi_table(session, year, boundary=boundary).get((metric_id, ""))
