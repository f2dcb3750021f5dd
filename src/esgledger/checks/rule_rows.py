"""The stored KPI rows the rules read one by one, picked out in the database (#18).

Most stored values are a member's current value in the catalog unit, which no rule looks
at by itself: the KPI tables roll them up (from values grouped in the database), and the
rules read those tables. A rule reads a row on its own only when it is history (a value
superseded, or a value of a key stored more than once), the group root's own value, a value
with a note, a restatement, a label instead of a value, a unit of another measure than the
catalog's, or a member of a figure the group also reports itself (``sum.entities``). At
10,000 entities that is a few hundred of 3.6 M rows, so they are chosen by the database and
only they come back as rows. Two questions need every current value, but not as rows:
which entities report a metric (coverage) and in which units and years a metric is stored
(unit changes); they come back as those pairs and triples.

When the caller has every row in memory already (the report), the same three answers are
taken from them (:func:`from_rows`), so a rule sees the same input either way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select, text, tuple_
from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.errors import InvalidInput
from esgledger.kpi.collector import collector_paused
from esgledger.kpi.coverage import FAMILIES
from esgledger.kpi.member_groups import CURRENT, SEP
from esgledger.kpi.reported import additive
from esgledger.ledger.kpi_groups import trigger_problems
from esgledger.ledger.kpi_rows import KpiRow, rows_by_id
from esgledger.ledger.models import RULE_ROW_MARKS, KpiGroup, KpiValue
from esgledger.units import dimensionality


@dataclass(frozen=True)
class RuleRows:
    """What the rules read of the stored values of a span of years, checked year last."""

    rows: list[KpiRow]  # the rows rules read one by one, oldest first
    reporters: dict[str, set[str]]  # metric → entities with a current value, no breakdown
    unit_years: set[tuple[str, int, str]]  # (metric, year, unit) of current reported values


def _dimension(unit: str) -> str | None:
    try:
        return dimensionality(unit)
    except InvalidInput:
        return None


def odd_units(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (metric, unit) pairs whose unit measures something else than the catalog unit."""
    catalog = metrics()
    return {
        (m, u) for m, u in pairs if m in catalog and _dimension(u) != _dimension(catalog[m].unit)
    }


def from_rows(rows: list[KpiRow], year: int) -> RuleRows:
    """The answers taken from every stored row of the span, in memory."""
    reporters: dict[str, set[str]] = defaultdict(set)
    unit_years: set[tuple[str, int, str]] = set()
    for v in rows:
        if not v.is_current:
            continue
        if v.year == year and not v.dims:
            reporters[v.metric_id].add(v.entity_id)
        if v.status == "reported":
            unit_years.add((v.metric_id, v.year, v.unit))
    return RuleRows(rows, dict(reporters), unit_years)


@collector_paused()
def read_rule_rows(session: Session, first: int, year: int, root: str | None) -> RuleRows:
    """The answers for the span ``first``–``year``, read in a few queries whatever the
    number of entities."""
    span = (KpiValue.year >= first, KpiValue.year <= year)
    # the marked rows from the partial index holding only them (its condition word for
    # word), the root's current rows by entity from the current values' index
    ids = set(session.scalars(select(KpiValue.id).where(*span, text(f"({RULE_ROW_MARKS})"))))
    if root is not None:
        ids.update(
            session.scalars(select(KpiValue.id).where(KpiValue.entity_id == root, *span, CURRENT))
        )
    first_rows = rows_by_id(session, ids)
    unit_years = _unit_years(session, span, first_rows.values(), (first, year))
    odd = odd_units({(m, u) for m, _, u in unit_years})
    # values in a unit of another measure, and every current value of the checked year's
    # keys the root reports itself (additive metrics) or that were stored more than once
    root_keys = {
        (r.metric_id, r.dims)
        for r in first_rows.values()
        if r.entity_id == root and r.year == year and r.is_current and additive_known(r.metric_id)
    }
    twice = {
        (r.entity_id, r.metric_id, r.dims)
        for r in first_rows.values()
        if r.year == year and not r.is_current
    }
    wanted = {m for m, _ in odd} | {m for m, _ in root_keys} | {m for _, m, _ in twice}
    if wanted:
        for id_, e, y, m, d, u, current, status in session.connection().execute(
            select(
                KpiValue.id, KpiValue.entity_id, KpiValue.year, KpiValue.metric_id,
                KpiValue.dims, KpiValue.unit, KpiValue.is_current, KpiValue.status,
            ).where(*span, KpiValue.metric_id.in_(sorted(wanted)))
        ):  # fmt: skip
            if (
                (current and status == "reported" and (m, u) in odd)
                or (y == year and current and (m, d) in root_keys)
                or (y == year and (e, m, d) in twice)
            ):
                ids.add(id_)
    # the rows restatements replace, when they are in the span
    ids |= {r.restates_id for r in first_rows.values() if r.restates_id is not None}
    rows = {**first_rows, **rows_by_id(session, ids - set(first_rows))}
    picked = sorted(r for r in rows.values() if first <= r.year <= year)
    return RuleRows(picked, _reporters(session, year), unit_years)


def _unit_years(
    session: Session, span: tuple[Any, ...], rare: Iterable[KpiRow], years: tuple[int, int]
) -> set[tuple[str, int, str]]:
    """(metric, year, unit) of the span's current values with status "reported": the keys
    of ``kpi_groups`` (every current value with a number; a reported value always has one,
    a label never: ``ingest/kpi_row._value``), or while a trigger keeping it is not in place
    the keys of current values stepped through in the grouping index, key to key (no table
    row, and not every value: 552 keys of 4.6 M values at 10,000 entities); less the keys
    whose every current value has another status (all among the ``rare`` rows; those keys
    are counted)."""
    if trigger_problems(session):
        found = {(m, y, u) for y, m, _, u in _current_keys(session, span)}
    else:
        found = _kept_keys(session, *years)
    other = Counter(
        (r.metric_id, r.year, r.unit) for r in rare if r.is_current and r.status != "reported"
    )
    for m, y, u in set(other) & found:
        counted = session.scalar(
            select(func.count()).where(
                KpiValue.is_current, KpiValue.year == y, KpiValue.metric_id == m,
                KpiValue.unit == u,
            )
        )  # fmt: skip
        if not counted or counted <= other[(m, y, u)]:
            found.discard((m, y, u))
    return found


def _kept_keys(session: Session, first: int, last: int) -> set[tuple[str, int, str]]:
    """(metric, year, unit) of the span's kept groups: a few hundred rows of ``kpi_groups``
    instead of one index search per key of ``kpi_values`` (0.5 CPU s at 10,000 entities)."""
    g = KpiGroup
    stmt = select(g.metric_id, g.year, g.unit).where(g.year >= first, g.year <= last).distinct()
    return {(m, y, u) for m, y, u in session.execute(stmt)}


def _current_keys(session: Session, span: tuple[Any, ...]) -> list[tuple[int, str, str, str]]:
    """Each (year, metric, dims, unit) of the span's current values once, in the grouping
    index's order: each key is the first one past the last, one index search each."""
    order = (KpiValue.year, KpiValue.metric_id, KpiValue.dims, KpiValue.unit)
    base = select(*order).order_by(KpiValue.is_current, *order).limit(1)
    first = base.where(KpiValue.is_current, *span)
    # past the last key, and not said from the span's first year again: given both, SQLite
    # searches the index by year and reads the rest of the span at every step
    past = tuple_(*order) > tuple_(*(bindparam(f"k{i}") for i in range(4)))
    after = base.where(KpiValue.is_current, past, span[1])
    conn = session.connection()
    keys: list[tuple[int, str, str, str]] = []
    key = conn.execute(first).first()
    while key is not None:
        keys.append((key[0], key[1], key[2], key[3]))
        key = conn.execute(after, {f"k{i}": v for i, v in enumerate(key)}).first()
    return keys


def _reporters(session: Session, year: int) -> dict[str, set[str]]:
    """Metric → entities with a current value (no breakdown) in ``year``, for the metrics
    whose coverage a rule checks: each metric's entities as one list made in the database
    (10,000 entities × 26 metrics were as many rows through Python)."""
    postgres = session.connection().dialect.name == "postgresql"
    listed = (
        func.string_agg(KpiValue.entity_id, SEP)
        if postgres
        else func.group_concat(KpiValue.entity_id, SEP)
    )
    names: dict[str, str] = {}  # one string per entity, not one per value
    out: dict[str, set[str]] = {}
    for m, entities, n in session.execute(
        select(KpiValue.metric_id, listed, func.count())
        .where(
            KpiValue.year == year,
            KpiValue.is_current,
            KpiValue.dims == "",
            KpiValue.metric_id.in_(coverage_metrics()),
        )
        .group_by(KpiValue.metric_id)
    ):
        items = entities.split(SEP)
        if len(items) != n:
            raise InvalidInput("an entity id holds a control character (U+001F); rename it")
        out[m] = set(map(names.setdefault, items, items))
    return out


def coverage_metrics() -> list[str]:
    """The metrics whose reporting members :func:`esgledger.checks.coverage.kpi_members`
    reads: additive reported metrics of the families a boundary promises coverage for."""
    return sorted(
        m.id
        for m in metrics().values()
        if m.kind == "reported" and m.boundary_family in FAMILIES and additive(m.id)
    )


def additive_known(metric_id: str) -> bool:
    """An additive catalog metric (a value of an unknown metric is no figure)."""
    return metric_id in metrics() and additive(metric_id)
