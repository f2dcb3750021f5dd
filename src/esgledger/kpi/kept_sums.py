"""The members' grouped sums from ``kpi_groups``: a few hundred kept rows, not millions.

Grouping the span's 4.6 M values at 10,000 entities cost SQLite 2.45–2.95 CPU s of every
``esg kpi`` and ``esg check`` (#18). Database triggers keep the groups of every current
value that has one (migration ``0039_kpigroups``); what the KPI tables count is fewer: not
the group root's own rows, not a pending data request's value. Both are few, so their
split is read here and taken off their groups' integer sums exactly; a group left without
values goes, and one whose oldest value was taken off looks its next oldest up in
``ix_kpi_values_grouping``. The result is the grouped read's, group for group and to the bit.

The table is read only while every trigger keeping it is in place (one catalog read): with
one dropped or disabled, a write may have left it behind, so the span's values are grouped
afresh (as before the table; slower, never wrong) and ``esg audit verify --deep`` names the
trigger. A row edited by hand with the triggers in place is the deep verify's to find.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, func, select, text, true
from sqlalchemy.orm import Session

from esgledger.kpi.member_sums import SummedGroup, split_parts, summed
from esgledger.ledger.kpi_groups import (
    GroupKey,
    fresh_select,
    kept_columns,
    trigger_problems,
    value_keys,
)
from esgledger.ledger.kpis import approved_or_direct, pending_values
from esgledger.ledger.models import KpiGroup, KpiValue

CHUNK = 5000  # pending ids searched per statement (well under SQLite's 32,766 variables)
# The partial index ``uq_kpi_values_current``'s condition, bare: a search by entity
CURRENT = text("kpi_values.is_current")


def kept_sums(
    session: Session, first: int, last: int, root: str | None
) -> Iterator[tuple[GroupKey, SummedGroup]]:
    """Every group of counted member values of ``first``–``last`` in key order: the kept
    groups less the root's rows and pending requests' values."""
    g = KpiGroup
    postgres = session.connection().dialect.name == "postgresql"
    stmt = (
        select(*kept_columns())
        .where(g.year >= first, g.year <= last)
        .order_by(
            g.year,
            g.metric_id,
            g.dims,
            g.unit,
            g.decimals_key,
            g.qualifier,
            g.preliminary,
            g.restated,
        )
    )
    if trigger_problems(session):  # the table may be behind the values: group them now
        stmt = fresh_select(postgres).where(KpiValue.year >= first, KpiValue.year <= last)
    groups: dict[GroupKey, list[int]] = {}  # [count, oldest, total, unsplit]
    for r in session.execute(stmt):
        groups[_key(r)] = [int(r[8]), int(r[9]), summed(r[10], r[11], r[12]), int(r[13])]
    taken: dict[GroupKey, set[int]] = {}
    for row in _uncounted(session, first, last, root):
        key, ident = _key(row), int(row[8])
        group = groups.get(key)
        if group is None:  # the kept table lacks a stored value: the deep verify names it
            continue
        group[0] -= 1
        group[2] -= summed(row[9], row[10], row[11])
        group[3] -= int(row[12])
        taken.setdefault(key, set()).add(ident)
    for key, (count, oldest, total, unsplit) in groups.items():
        if count <= 0:
            continue
        if oldest in taken.get(key, ()):
            oldest = _next_oldest(session, key, root)
        yield key, SummedGroup(*key[3:], count, oldest, total, unsplit)


def _key(r: Any) -> GroupKey:
    return (r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7]))


def _columns(postgres: bool) -> list[Any]:
    return [
        *value_keys(),
        KpiValue.id,
        *split_parts(KpiValue.value, postgres),
    ]


def _uncounted(session: Session, first: int, last: int, root: str | None) -> Iterator[Any]:
    """The kept rows the members' roll-up does not count: the root's (searched by entity)
    and pending requests' values (searched by id), each with its split."""
    postgres = session.connection().dialect.name == "postgresql"
    span = and_(KpiValue.year >= first, KpiValue.year <= last, KpiValue.value.is_not(None))
    if root is not None:
        yield from session.execute(
            select(*_columns(postgres)).where(KpiValue.entity_id == root, CURRENT, span)
        )
    # the few pending ids first: said as ``id IN (subquery)`` beside the span, SQLite walked
    # the grouping index over the span's 4.6 M values at 10,000 entities (0.52 CPU s)
    pending = sorted({int(i) for i in session.scalars(pending_values())})
    others = KpiValue.entity_id != root if root is not None else true()
    for at in range(0, len(pending), CHUNK):
        ids = KpiValue.id.in_(pending[at : at + CHUNK])
        yield from session.execute(
            select(*_columns(postgres)).where(ids, others, KpiValue.is_current, span)
        )


def _next_oldest(session: Session, key: GroupKey, root: str | None) -> int:
    """The oldest counted member value of a group whose kept oldest is not counted."""
    year, metric, dims, unit, decimals, qualifier, preliminary, restated = key
    where: list[Any] = [
        KpiValue.is_current,
        KpiValue.year == year,
        KpiValue.metric_id == metric,
        KpiValue.dims == dims,
        KpiValue.unit == unit,
        KpiValue.decimals.is_(None) if decimals is None else KpiValue.decimals == decimals,
        KpiValue.qualifier == qualifier,
        KpiValue.preliminary.is_(preliminary),
        KpiValue.restates_id.is_not(None) if restated else KpiValue.restates_id.is_(None),
        KpiValue.value.is_not(None),
        approved_or_direct(),
    ]
    if root is not None:
        where.append(KpiValue.entity_id != root)
    return int(session.scalar(select(func.min(KpiValue.id)).where(*where)) or 0)
