"""The kept grouped sums of the KPI values (``kpi_groups``) against a fresh grouping.

The table is kept by database triggers (migration ``0039_kpigroups``) so that ``esg kpi``
and ``esg check`` read a few hundred rows instead of grouping millions of values (#18). A
table the triggers did not keep (edited by hand, written with the triggers dropped) would
give wrong figures silently; the deep verify recomputes the grouping and names each group
that differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.ledger.kpi_split import split_sums
from esgledger.ledger.models import KpiGroup, KpiValue

GroupKey = tuple[int, str, str, str, int | None, str, bool, bool]
Kept = tuple[int, int, int, int, int, int]  # members, oldest, whole, high, low, unsplit


def fresh_groups(session: Session) -> dict[GroupKey, Kept]:
    """Every group of current values with a value, grouped and summed now."""
    postgres = session.connection().dialect.name == "postgresql"
    restated = KpiValue.restates_id.is_not(None)
    keys = [
        KpiValue.year,
        KpiValue.metric_id,
        KpiValue.dims,
        KpiValue.unit,
        KpiValue.decimals,
        KpiValue.qualifier,
        KpiValue.preliminary,
        restated,
    ]
    stmt = (
        select(*keys, func.count(), func.min(KpiValue.id), *split_sums(KpiValue.value, postgres))
        .where(KpiValue.is_current, KpiValue.value.is_not(None))
        .group_by(*keys)
    )
    return {_key(r[:8]): _kept(r[8:]) for r in session.execute(stmt)}


def kept_groups(session: Session) -> dict[GroupKey, Kept]:
    """The table as the triggers kept it."""
    g = KpiGroup
    stmt = select(
        g.year,
        g.metric_id,
        g.dims,
        g.unit,
        g.decimals,
        g.qualifier,
        g.preliminary,
        g.restated,
        g.members,
        g.oldest,
        g.whole,
        g.high,
        g.low,
        g.unsplit,
    )
    return {_key(r[:8]): _kept(r[8:]) for r in session.execute(stmt)}


def disagreements(session: Session) -> list[str]:
    """One line per group where ``kpi_groups`` and a fresh grouping of ``kpi_values``
    differ (none when they agree)."""
    fresh, kept = fresh_groups(session), kept_groups(session)
    return list(_differences(fresh, kept))


def _differences(fresh: dict[GroupKey, Kept], kept: dict[GroupKey, Kept]) -> Iterator[str]:
    for key in sorted(fresh.keys() | kept.keys(), key=repr):
        now, stored = fresh.get(key), kept.get(key)
        if now == stored:
            continue
        year, metric, dims, unit = key[:4]
        what = f"{year} {metric}" + (f" [{dims}]" if dims else "") + f" in {unit}"
        if stored is None:
            yield f"kpi_groups: {what} is missing ({now[0] if now else 0} values stored)"
        elif now is None:
            yield f"kpi_groups: {what} holds {stored[0]} values, none are stored"
        else:
            yield (
                f"kpi_groups: {what} (count, oldest id, sums) is {list(stored)}, "
                f"the stored values give {list(now)}"
            )


def _key(r: Any) -> GroupKey:
    return (
        int(r[0]),
        str(r[1]),
        str(r[2]),
        str(r[3]),
        None if r[4] is None else int(r[4]),
        str(r[5]),
        bool(r[6]),
        bool(r[7]),
    )


def _kept(r: Any) -> Kept:
    return (int(r[0]), int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0))
