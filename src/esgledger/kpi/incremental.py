"""A cached KPI series brought up to date after writes by recomputing only what they can move.

Used by :mod:`esgledger.kpi.cache` only. A step of a data request (a value entered,
submitted, approved, returned, locked, restated, a note) changes the reported values of one
metric in one year: that metric's figures (the group's and every breakdown's, rolled up
over the entity tree) and the derived metrics whose formulas read it, in that year, and
the rows of the series showing them. The rest of the table is reused. A calculated metric
(electricity) is one figure too: a request step moves no activity datum and no run, so its
recomputed figure, kept from the last whole table, is set beside the new reported one.
Sign-ins, tokens and the assessment registers and acknowledged findings (which the KPI
table never reads) change nothing in it.

Any other write — imports of KPI values or activity data, a calculation run, a change to
the entity tree or a boundary, a void, anything not named here — cannot be bounded this
cheaply: the caller recomputes the whole table (``None`` below). So does a gap of more
than ``MAX_EVENTS`` audit events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import Metric, metrics
from esgledger.catalog.formulas import formula_inputs
from esgledger.kpi.derived import derived_figure, derived_order
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.precedence import choose
from esgledger.kpi.reported import reported_figures
from esgledger.kpi.scope import Scopes
from esgledger.kpi.series import EntityFigures, _row, change_pct, like_for_like
from esgledger.ledger import request_events
from esgledger.ledger.kpi_rows import figure_rows
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.workflow_models import DataRequest

# Beyond this many writes since the cached table, recompute it whole. The events are read
# BATCH at a time (bounded memory); an update costs by the metrics touched, not the events:
# 200 or 1,000 request steps over 39 metrics 28–30 CPU ms against a recompute of 87–99 ms
# on the demo and on the 4,300-request demo (bench/README.md, bench/pages.py, #14).
MAX_EVENTS = 10_000
BATCH = 1_000
REQUEST_STEPS = frozenset(
    f"request.{step}"
    for step in ("enter", "submit", "approve", "return", "lock", "restate", "note", "comment")
)
NO_EFFECT_PREFIXES = (
    "user.", "token.", "access.", "materiality.", "risk.", "climate.", "finding.",
)  # fmt: skip
NO_VALUE = "not available: no value reported"  # kpi_table's mark of a metric without values

_AUDIT = AuditEvent.__table__
_REQUESTS = DataRequest.__table__
Key = tuple[str, str]  # (metric, breakdown)
Table = dict[Key, KpiFigure]
Touched = dict[int, set[str]]  # year → metrics whose reported values may have changed


@dataclass(frozen=True)
class Computed:
    """A series with the per-year tables it was built from, at one audit event."""

    series: dict[str, Any]
    tables: dict[int, Table]
    audit_id: int | None
    keys: list[Key] | None = None  # the key of each row of the series, when known
    # each year's recomputed figures before the precedence (calculated metrics), when known
    calculated: dict[int, Table] | None = None


_order_memo: list[tuple[dict[str, Metric], list[Metric]]] = []


def _derived_order() -> list[Metric]:
    """:func:`derived_order`, sorted once per catalog (it is read twice per update)."""
    catalog = metrics()
    if not _order_memo or _order_memo[0][0] is not catalog:
        _order_memo[:] = [(catalog, derived_order())]
    return _order_memo[0][1]


def touched_since(
    session: Session, after: int, upto: int, upto_hash: str | None = None
) -> Touched | None:
    """What the audit events ``after`` < id ≤ ``upto`` can have moved, or None when that
    cannot be bounded (an unlisted action, too many events, or no event at all although
    the state changed). ``upto_hash``: the newest event's hash, to find the writer's note
    of a single request event (:mod:`esgledger.ledger.request_events`) instead of asking."""
    noted = request_events.noted(upto_hash) if upto == after + 1 else None
    if noted is not None:
        ids = _request_ids([(noted.action, noted.subject)])
        return (
            None if ids is None else defaultdict(set, {noted.year: {noted.metric}} if ids else {})
        )
    touched: Touched = defaultdict(set)
    conn = session.connection()  # Core: the ORM's per-statement set-up cost more than the query
    seen, start = 0, after
    while start < upto:
        events = conn.execute(
            select(_AUDIT.c.id, _AUDIT.c.action, _AUDIT.c.subject)
            .where(_AUDIT.c.id > start, _AUDIT.c.id <= upto)
            .order_by(_AUDIT.c.id)
            .limit(BATCH)
        ).all()
        if not events:
            break
        seen += len(events)
        request_ids = _request_ids((action, subject) for _, action, subject in events)
        if seen > MAX_EVENTS or request_ids is None:
            return None
        if request_ids:
            keys = select(_REQUESTS.c.year, _REQUESTS.c.metric_id).where(
                _REQUESTS.c.id.in_(sorted(request_ids))
            )
            for year, metric in conn.execute(keys):
                touched[year].add(metric)
        start = events[-1][0]
    return touched if seen else None


def _request_ids(events: Iterable[Sequence[str]]) -> set[int] | None:
    """The requests whose steps ``events`` are, or None when one of them is a write whose
    effect is not bounded."""
    request_ids: set[int] = set()
    for action, subject in events:
        if action.startswith(NO_EFFECT_PREFIXES):
            continue
        number = subject.removeprefix("request:")
        if action not in REQUEST_STEPS or not number.isdigit():
            return None
        request_ids.add(int(number))
    return request_ids


def with_dependants(changed: set[str]) -> set[str]:
    """``changed`` and every derived metric whose formula reads one of them, transitively."""
    out = {m for m in changed if m in metrics()}
    for metric in _derived_order():  # inputs before the metrics that read them
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
        recomputed = (old.calculated or {}).get(y, {})
        if any(catalog[m].kind == "calculated" and (m, "") not in recomputed for m in affected):
            return None  # a recomputed figure not kept stands beside it: the whole table
        tables[y] = _table(
            session, y, tables[y], affected, boundary if y == year else None, recomputed
        )
        changed |= affected
    if not changed:
        return Computed(old.series, old.tables, audit_id, old.keys, old.calculated)
    keys, rows = _rows(session, old, tables, changed, year, boundary)
    return Computed({**old.series, "kpis": rows}, tables, audit_id, keys, old.calculated)


def _table(
    session: Session,
    year: int,
    old: Table,
    affected: set[str],
    boundary: str | None,
    recomputed: Table,
) -> Table:
    """:func:`esgledger.kpi.values.kpi_table` of ``year`` for the ``affected`` metrics, the
    other figures taken from ``old``: only the affected metrics' values are read, and the
    rest of the table is copied as it is. An affected calculated metric's recomputed figure
    is the one kept in ``recomputed`` (a request step moves no activity datum and no run),
    set beside its reported figure again."""
    catalog = metrics()
    rows = figure_rows(session, year, affected)
    reported = reported_figures(session, year, Scopes(session, year, override=boundary), rows)
    table = {k: f for k, f in old.items() if k[0] not in affected}
    table.update(reported)
    for metric_id in sorted(affected, key=list(catalog).index):
        if catalog[metric_id].kind == "calculated":
            key = (metric_id, "")  # as kpi_table does, on a copy of the kept figure
            table[key] = choose(reported.get(key), replace(recomputed[key]))
    with_figures = {k[0] for k in table if k[0] in affected}
    for metric in _derived_order():
        if metric.id in affected:
            key = (metric.id, "")
            # as kpi_table builds it: derived figures see no entry for a metric without values
            inputs = {
                (i, ""): f
                for i in formula_inputs(metric.formula)
                if (f := table.get((i, ""))) is not None and not _placeholder(i, f)
            }
            table[key] = choose(reported.get(key), derived_figure(metric, year, inputs))
            with_figures.add(metric.id)
    for metric_id in sorted(affected - with_figures, key=list(catalog).index):
        metric = catalog[metric_id]
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
) -> tuple[list[Key], list[dict[str, Any]]]:
    """The series' row keys and rows in order: the old row of every unchanged metric, new
    ones else. The order is sorted again only when the changed metrics gained or lost a
    breakdown."""
    span: list[int] = old.series["years"]
    old_keys = old.keys if old.keys is not None else _sorted_keys(old.tables.values())
    kept = dict(zip(old_keys, old.series["kpis"], strict=True))
    was = {k for k in old_keys if k[0] in changed}
    now = {k for t in tables.values() for k in t if k[0] in changed}
    keys = old_keys if now == was else _sorted_keys(tables.values())
    figures_of: dict[int, EntityFigures] = {}
    if len(span) > 1:
        for y in span[-2:]:
            scopes = Scopes(session, y, override=boundary if y == year else None)
            figures_of[y] = EntityFigures(session, y, scopes, tables[y])
    rows = []
    catalog = metrics()
    for key in keys:
        if key[0] not in changed and key in kept:
            rows.append(kept[key])
            continue
        metric = catalog[key[0]]
        row = _row(metric, key, {y: tables[y].get(key) for y in span}, span)
        if len(span) > 1 and key[1] == "":
            pair = like_for_like(metric, figures_of[span[-1]], figures_of[span[-2]])
            row["like_for_like"] = (
                {"previous": pair[0], "current": pair[1], "change_pct": change_pct(*pair[::-1])}
                if pair
                else None
            )
        rows.append(row)
    return keys, rows


def _sorted_keys(tables: Iterable[Table]) -> list[Key]:
    """Every key of ``tables`` once, in catalog order, then by breakdown (the series' order)."""
    position = {m: i for i, m in enumerate(metrics())}
    return sorted({k for t in tables for k in t}, key=lambda k: (position[k[0]], k[1]))
