"""A cached KPI series brought up to date after writes by recomputing only what they can move.

Used by :mod:`esgledger.kpi.cache` only. A step of a data request (a value entered,
submitted, approved, returned, locked, restated, a note) changes the reported values of one
metric in one year: that metric's figures (the group's and every breakdown's, rolled up
over the entity tree) and the derived metrics whose formulas read it, in that year, and
the rows of the series showing them. The rest of the table is reused. Sign-ins, tokens and
the assessment registers and acknowledged findings (which the KPI table never reads)
change nothing in it.

Any other write — imports of KPI values or activity data, a calculation run, a change to
the entity tree or a boundary, a void, anything not named here — and a request on a
calculated metric cannot be bounded this cheaply: the caller recomputes the whole table
(``None`` below). So does a gap of more than ``MAX_EVENTS`` audit events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.catalog.formulas import formula_inputs
from esgledger.kpi.derived import derived_figure, derived_order
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.precedence import choose
from esgledger.kpi.reported import reported_figures
from esgledger.kpi.scope import Scopes
from esgledger.kpi.series import EntityFigures, _row, change_pct, like_for_like
from esgledger.ledger.kpi_rows import figure_rows
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.workflow_models import DataRequest

MAX_EVENTS = 200  # beyond this many writes since the cached table, recompute it whole
REQUEST_STEPS = frozenset(
    f"request.{step}"
    for step in ("enter", "submit", "approve", "return", "lock", "restate", "note", "comment")
)
NO_EFFECT_PREFIXES = (
    "user.", "token.", "access.", "materiality.", "risk.", "climate.", "finding.",
)  # fmt: skip
NO_VALUE = "not available: no value reported"  # kpi_table's mark of a metric without values

Table = dict[tuple[str, str], KpiFigure]
Touched = dict[int, set[str]]  # year → metrics whose reported values may have changed


@dataclass(frozen=True)
class Computed:
    """A series with the per-year tables it was built from, at one audit event."""

    series: dict[str, Any]
    tables: dict[int, Table]
    audit_id: int | None


def touched_since(session: Session, after: int, upto: int) -> Touched | None:
    """What the audit events ``after`` < id ≤ ``upto`` can have moved, or None when that
    cannot be bounded (an unlisted action, too many events, or no event at all although
    the state changed)."""
    events = session.execute(
        select(AuditEvent.action, AuditEvent.subject)
        .where(AuditEvent.id > after, AuditEvent.id <= upto)
        .order_by(AuditEvent.id)
        .limit(MAX_EVENTS + 1)
    ).all()
    if not events or len(events) > MAX_EVENTS:
        return None
    request_ids: set[int] = set()
    for action, subject in events:
        if action.startswith(NO_EFFECT_PREFIXES):
            continue
        number = subject.removeprefix("request:")
        if action not in REQUEST_STEPS or not number.isdigit():
            return None
        request_ids.add(int(number))
    touched: Touched = defaultdict(set)
    if request_ids:
        keys = select(DataRequest.year, DataRequest.metric_id).where(
            DataRequest.id.in_(sorted(request_ids))
        )
        for year, metric in session.execute(keys):
            touched[year].add(metric)
    return touched


def with_dependants(changed: set[str]) -> set[str]:
    """``changed`` and every derived metric whose formula reads one of them, transitively."""
    out = {m for m in changed if m in metrics()}
    for metric in derived_order():  # inputs before the metrics that read them
        if out & set(formula_inputs(metric.formula)):
            out.add(metric.id)
    return out


def updated(
    session: Session,
    old: Computed,
    touched: Touched,
    year: int,
    boundary: str | None,
    audit_id: int | None,
) -> Computed | None:
    """``old`` with the rows of the touched metrics recomputed, or None if it cannot be."""
    span: list[int] = old.series["years"]
    catalog = metrics()
    tables = dict(old.tables)
    changed: set[str] = set()
    for y in span:
        if not touched.get(y):
            continue
        affected = with_dependants(touched[y])
        if any(catalog[m].kind == "calculated" for m in affected):
            return None  # a recomputed figure stands beside it: the whole table, please
        tables[y] = _table(session, y, tables[y], affected, boundary if y == year else None)
        changed |= affected
    if not changed:
        return Computed(old.series, old.tables, audit_id)
    rows = _rows(session, old, tables, changed, year, boundary)
    return Computed({**old.series, "kpis": rows}, tables, audit_id)


def _table(
    session: Session, year: int, old: Table, affected: set[str], boundary: str | None
) -> Table:
    """:func:`esgledger.kpi.values.kpi_table` of ``year`` for the ``affected`` metrics, the
    other figures taken from ``old``."""
    catalog = metrics()
    rows = [r for r in figure_rows(session, year) if r.metric_id in affected]
    reported = reported_figures(session, year, Scopes(session, year, override=boundary), rows)
    # as kpi_table builds it: derived figures see no entry for a metric without values
    table = {k: f for k, f in old.items() if k[0] not in affected and not _placeholder(k[0], f)}
    table.update(reported)
    for metric in derived_order():
        if metric.id in affected:
            key = (metric.id, "")
            table[key] = choose(reported.get(key), derived_figure(metric, year, table))
    with_figures = {k[0] for k in table}
    for metric in catalog.values():
        if metric.id not in with_figures:
            table[(metric.id, "")] = KpiFigure(
                metric=metric.id, year=year, value=None, unit=metric.unit, source="missing",
                status="missing", note=NO_VALUE,
            )  # fmt: skip
    return table


def _placeholder(metric_id: str, figure: KpiFigure) -> bool:
    kind = metrics()[metric_id].kind
    missing = figure.source == "missing" and figure.note == NO_VALUE
    return missing and kind not in ("calculated", "derived")


def _rows(
    session: Session,
    old: Computed,
    tables: dict[int, Table],
    changed: set[str],
    year: int,
    boundary: str | None,
) -> list[dict[str, Any]]:
    """The series' rows in order: the old row of every unchanged metric, new ones else."""
    span: list[int] = old.series["years"]
    position = {m: i for i, m in enumerate(metrics())}

    def order(key: tuple[str, str]) -> tuple[int, str]:
        return position[key[0]], key[1]

    old_keys = sorted({k for t in old.tables.values() for k in t}, key=order)
    kept = dict(zip(old_keys, old.series["kpis"], strict=True))
    keys = sorted({k for t in tables.values() for k in t}, key=order)
    figures_of: dict[int, EntityFigures] = {}
    if len(span) > 1:
        for y in span[-2:]:
            scopes = Scopes(session, y, override=boundary if y == year else None)
            figures_of[y] = EntityFigures(session, y, scopes, tables[y])
    rows = []
    for key in keys:
        if key[0] not in changed and key in kept:
            rows.append(kept[key])
            continue
        metric = metrics()[key[0]]
        row = _row(metric, key, {y: tables[y].get(key) for y in span}, span)
        if len(span) > 1 and key[1] == "":
            pair = like_for_like(metric, figures_of[span[-1]], figures_of[span[-2]])
            row["like_for_like"] = (
                {"previous": pair[0], "current": pair[1], "change_pct": change_pct(*pair[::-1])}
                if pair
                else None
            )
        rows.append(row)
    return rows
