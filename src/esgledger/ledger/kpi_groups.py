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

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from esgledger.ledger.kpi_split import split_sums
from esgledger.ledger.models import KpiGroup, KpiValue

# The triggers that keep the table (migration 0039_kpigroups). A batch migration that
# recreates ``kpi_values`` on SQLite drops them with the old table; the suite checks that
# every one of them exists at head (tests/kpi/test_kept_triggers.py).
SQLITE_TRIGGERS = (
    "kpi_groups_insert",
    "kpi_groups_delete",
    "kpi_groups_update",
    "kpi_groups_update_add",
)
POSTGRES_TRIGGERS = ("kpi_groups_insert", "kpi_groups_delete", "kpi_groups_update")
"""PostgreSQL's statement triggers, each running the function of the same name."""

NO_DECIMALS = -2147483649  # ``decimals_key`` of a value without decimals: below every int4

GroupKey = tuple[int, str, str, str, int | None, str, bool, bool]
Kept = tuple[int, int, int, int, int, int]  # members, oldest, whole, high, low, unsplit


def value_keys() -> list[Any]:
    """A KPI value's group key, in ``GroupKey``'s order (the grouped read's and the
    triggers' key)."""
    return [
        KpiValue.year,
        KpiValue.metric_id,
        KpiValue.dims,
        KpiValue.unit,
        KpiValue.decimals,
        KpiValue.qualifier,
        KpiValue.preliminary,
        KpiValue.restates_id.is_not(None),
    ]


def kept_columns() -> list[Any]:
    """A kept group's row: its key in ``GroupKey``'s order, then ``Kept``'s sums."""
    g = KpiGroup
    return [
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
    ]


def fresh_select(postgres: bool) -> Select[Any]:
    """The table's rows (``kept_columns``' order) grouped and summed from the values now,
    in the unique key's order (a value without decimals first, as ``decimals_key`` has it)."""
    keys = value_keys()
    order = [*keys[:4], func.coalesce(KpiValue.decimals, NO_DECIMALS), *keys[5:]]
    return (
        select(*keys, func.count(), func.min(KpiValue.id), *split_sums(KpiValue.value, postgres))
        .where(KpiValue.is_current, KpiValue.value.is_not(None))
        .group_by(*keys)
        .order_by(*order)
    )


def fresh_groups(session: Session) -> dict[GroupKey, Kept]:
    """Every group of current values with a value, grouped and summed now."""
    postgres = session.connection().dialect.name == "postgresql"
    return {_key(r[:8]): _kept(r[8:]) for r in session.execute(fresh_select(postgres))}


def kept_groups(session: Session) -> dict[GroupKey, Kept]:
    """The table as the triggers kept it."""
    stmt = select(*kept_columns())
    return {_key(r[:8]): _kept(r[8:]) for r in session.execute(stmt)}


def triggers(session: Session) -> dict[str, str]:
    """The ``kpi_groups_*`` triggers on ``kpi_values`` now, by name: the function each runs
    (PostgreSQL) or the table name (SQLite)."""
    if session.connection().dialect.name == "postgresql":
        stmt = text(
            "SELECT t.tgname, p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = 'kpi_values'::regclass AND NOT t.tgisinternal "
            "AND t.tgname LIKE 'kpi\\_groups\\_%'"
        )
    else:
        stmt = text(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'kpi_values' AND name LIKE 'kpi\\_groups\\_%' ESCAPE '\\'"
        )
    return {str(name): str(target) for name, target in session.execute(stmt)}


def trigger_problems(session: Session) -> list[str]:
    """One line per trigger keeping the table that is missing, runs another function or is
    disabled (PostgreSQL can keep a trigger and not fire it): none when all are in place.
    Without one, a write of that kind leaves the table behind the values."""
    postgres = session.connection().dialect.name == "postgresql"
    if postgres:
        stmt = text(
            "SELECT t.tgname, p.proname, t.tgenabled <> 'D' FROM pg_trigger t "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = 'kpi_values'::regclass AND NOT t.tgisinternal "
            "AND t.tgname LIKE 'kpi\\_groups\\_%'"
        )
        expected = {name: name for name in POSTGRES_TRIGGERS}
    else:
        stmt = text(
            "SELECT name, tbl_name, 1 FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'kpi\\_groups\\_%' ESCAPE '\\'"
        )
        expected = dict.fromkeys(SQLITE_TRIGGERS, "kpi_values")
    found = {str(n): (str(target), bool(on)) for n, target, on in session.execute(stmt)}
    out: list[str] = []
    for name, target in expected.items():
        what = f"kpi_groups: trigger {name} on kpi_values"
        if name not in found:
            out.append(f"{what} is missing: the kept sums are not kept on that write")
        elif found[name][0] != target:
            out.append(f"{what} runs {found[name][0]}, not {target}: the kept sums are not kept")
        elif not found[name][1]:
            out.append(f"{what} is disabled: the kept sums are not kept on that write")
    return out


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
