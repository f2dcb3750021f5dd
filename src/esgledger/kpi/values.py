"""The KPI table of a year: every catalog metric with its figure, and single lookups.

Each calculated and derived metric is recomputed and, where a value was reported too, the
two are put side by side and one is used (:mod:`esgledger.kpi.precedence`). The table is a
pure function of its inputs (:func:`table_of`); :func:`kpi_table` reads them from a session
first (:mod:`esgledger.kpi.table_reads`).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from esgledger.catalog import Metric, metrics
from esgledger.kpi.calculated import Sums, activity_figure, run_figure
from esgledger.kpi.collector import collector_paused
from esgledger.kpi.coverage import missing_in_sums
from esgledger.kpi.derived import derived_figure, derived_order
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.member_groups import GroupedValues
from esgledger.kpi.precedence import choose
from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.registered import merge_registers
from esgledger.kpi.reported import grouped_figures, rows_figures
from esgledger.kpi.table_inputs import TableInputs
from esgledger.kpi.table_reads import read_table_inputs
from esgledger.ledger.kpi_rows import KpiRow

Table = dict[tuple[str, str], KpiFigure]


class _Computer:
    """Recomputes the calculated metrics of one year from its inputs."""

    def __init__(self, inputs: TableInputs):
        self.inputs, self.year, self.scopes = inputs, inputs.year, inputs.scopes
        self._missing: dict[str, list[str]] = {}

    def figure(self, metric: Metric) -> KpiFigure:
        scope = self.scopes.for_family(metric.boundary_family)
        if metric.calc_key.startswith("activity:"):
            computed = activity_figure(metric, self.year, scope, self.inputs.sums)
        else:
            computed = run_figure(metric, self.year, scope, *self.inputs.run(scope.code))
        left_out = self.missing(metric.boundary_family)
        if computed.available and left_out:
            computed.partial = True
            shown = ", ".join(left_out[:5]) + (" …" if len(left_out) > 5 else "")
            why = coded("partial_no_activity", year=self.year, n=len(left_out), members=shown)
            computed.note = "; ".join(n for n in (computed.note, note_of([why])) if n)
            computed.note_why = [*computed.note_why, why]
        return computed

    def missing(self, family: str) -> list[str]:
        if family not in self._missing:
            self._missing[family] = missing_in_sums(self.scopes, family, self.inputs.sums)
        return self._missing[family]


def table_of(inputs: TableInputs, calculated: Table | None = None) -> Table:
    """(metric, dims) → figure for every metric of the catalog (missing ones say why),
    computed from ``inputs`` alone: no session, no database. ``calculated``, when given,
    receives each recomputed figure before the precedence sets it beside a reported one
    (a copy; not for a metric a register gives too): the KPI cache puts it beside a new
    reported value after a request step (:mod:`esgledger.kpi.incremental`)."""
    year, scopes = inputs.year, inputs.scopes
    if inputs.grouped is not None:
        figures = grouped_figures(inputs.grouped, year, scopes)
    else:
        figures = rows_figures(inputs.rows, inputs.replaced, year, scopes)
    merge_registers(inputs.registers, year, scopes, figures)
    computer = _Computer(inputs)
    registered = {f.metric for f in inputs.registers} if calculated is not None else set()
    for metric in metrics().values():
        if metric.kind == "calculated":
            key = (metric.id, "")
            computed = computer.figure(metric)
            if calculated is not None and metric.id not in registered:
                calculated[key] = replace(computed)  # choose() annotates the one it uses
            figures[key] = choose(figures.get(key), computed)
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


@collector_paused()
def kpi_table(
    session: Session,
    year: int,
    *,
    boundary: str | None = None,
    sums: Sums | None = None,
    rows: list[KpiRow] | None = None,
    grouped: GroupedValues | None = None,
) -> Table:
    """:func:`table_of` the year's inputs read from ``session``; ``sums`` (activity sums)
    and ``rows`` (KPI figure rows) are the year's, when the caller has read them already,
    and ``grouped`` the stored values grouped in the database
    (:mod:`esgledger.kpi.member_groups`) of a span of years including this one."""
    return table_of(
        read_table_inputs(session, year, boundary=boundary, sums=sums, rows=rows, grouped=grouped)
    )


def metric_value(
    session: Session, metric_id: str, year: int, *, boundary: str | None = None
) -> KpiFigure | None:
    """The figure of one metric (no breakdown) in a year, or None for an unknown metric."""
    if metric_id not in metrics():
        return None
    return kpi_table(session, year, boundary=boundary).get((metric_id, ""))
