"""Members' KPI values grouped in the database: what a roll-up needs, without a row object.

A KPI table of a group with ten thousand entities adds up a million stored values a year.
The database groups the counted values (current, not pending, with a value) by year, metric,
breakdown, unit, printed decimals, qualifier, preliminary flag and whether they restate
another value, and sums each group exactly (:mod:`.member_sums`): one row a group, not one
value (handing 4.6 M values to Python cost about 5 CPU s at 10,000 entities, whichever way).
Where the sums are not the roll-up (a member counted at a share other than 1, a unit other
than the metric's, a value outside the exact split's range), that (year, metric, breakdown)
is read value by value: each group's entities, values and ids as lists, PostgreSQL through
``array_agg`` (float8 arrays print the shortest text that reads back to the same bits),
SQLite through an aggregate function registered on the connection that collects the values
(a bound ``array.append``: no Python frame per value) beside ``group_concat`` lists of the
ids and entities, split column-wise by Polars. Both sums are exact (``math.fsum``'s bits),
so the order the database visits the rows in does not matter.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import polars as pl
from sqlalchemy import Integer, and_, func, select, text
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.kpi.collector import collector_paused
from esgledger.kpi.kept_sums import kept_sums
from esgledger.kpi.member_sums import SummedGroup
from esgledger.kpi.scope import Scope
from esgledger.ledger.kpi_groups import value_keys
from esgledger.ledger.kpi_rows import KpiRow, rows_by_id
from esgledger.ledger.kpis import approved_or_direct
from esgledger.ledger.models import Entity, KpiValue

COLLECT = "esg_collect_members"  # the SQLite aggregate's name on a connection
# The partial index ``uq_kpi_values_current``'s own condition, written bare: SQLite takes
# the index only for a query saying ``is_current`` itself (SQLAlchemy writes ``= 1`` there),
# and given ``= 1`` it walked the grouping index over every counted value of the span to
# find one entity's rows (0.6 CPU s at 10,000 entities, against a search by entity).
CURRENT = text("kpi_values.is_current")


@dataclass(frozen=True)
class MemberGroup:
    """Counted values of one (year, metric, breakdown) sharing unit, decimals, qualifier,
    preliminary flag and restatement flag: their entities, values and ids, side by side."""

    year: int
    metric_id: str
    dims: str
    unit: str
    decimals: int | None
    qualifier: str
    preliminary: bool
    restated: bool
    entities: list[str]  # one shared string per entity
    values: Sequence[float]  # array('d'): 8 bytes a value instead of a float object's 32
    ids: Sequence[int]  # array('q')


Key = tuple[int, str, str]  # (year, metric, dims)


Figure = tuple[str, str]  # (metric, dims)
ValueReader = Callable[[int, Collection[Figure]], dict[Figure, list[MemberGroup]]]


@dataclass(frozen=True)
class GroupedValues:
    """The counted values of a span of years for the KPI tables: the group root's own rows
    whole, every other entity's values grouped and summed (:class:`SummedGroup`), and a
    reader of the groups value by value (:class:`MemberGroup`) for the figures the sums
    are not the roll-up of."""

    root_rows: dict[Key, KpiRow]
    sums: dict[Key, list[SummedGroup]]
    replaced: dict[int, KpiRow]  # the rows the root rows restate, by id
    others: frozenset[str]  # every entity but the root: the members a value can be of
    read_values: ValueReader
    _at_one: dict[int, tuple[Scope, bool]] = field(default_factory=dict, compare=False)

    def keys(self, year: int) -> set[tuple[str, str]]:
        """(metric, dims) of every figure ``year`` has values for."""
        return {(m, d) for y, m, d in (*self.root_rows, *self.sums) if y == year}

    def all_at_one(self, scope: Scope) -> bool:
        """Whether every entity a member value can be of counts in ``scope`` at share 1
        (then a group's sum is its members' roll-up)."""
        known = self._at_one.get(id(scope))
        if known is None or known[0] is not scope:
            shares = scope.shares.get  # each entity's share looked up at C level
            known = (scope, set(map(shares, self.others)) <= {1.0})
            self._at_one[id(scope)] = known
        return known[1]

    def value_groups(
        self, year: int, figures: Collection[Figure]
    ) -> dict[Figure, list[MemberGroup]]:
        """The groups of ``figures`` in ``year`` value by value, in one read (none when
        there are no figures)."""
        return self.read_values(year, figures) if figures else {}


class _Collector:
    """SQLite aggregate: one group's values, kept in ``store``; the database gets the
    group's index in it. ``step`` is the array's own ``append``."""

    store: list[array[float]]

    def __init__(self) -> None:
        self.values: array[float] = array("d")
        self.step = self.values.append

    def finalize(self) -> int:
        self.store.append(self.values)
        return len(self.store) - 1


SEP = "\x1f"  # between entity ids in a group's list (a control character no id holds)


def _split(lists: list[str], sep: str, counts: list[int]) -> list[Any] | None:
    """Each group's ``group_concat`` list as its items, split column-wise; None when an
    item held the separator (the counts then disagree)."""
    items = pl.Series(lists, dtype=pl.String).str.split(sep).explode()
    if items.len() != sum(counts):
        return None
    return list(_slices(items, counts))


def _slices(items: pl.Series, counts: list[int]) -> Iterator[pl.Series]:
    start = 0
    for n in counts:
        yield items.slice(start, n)
        start += n


def _counted(first: int, last: int) -> Any:
    return and_(
        KpiValue.year >= first,
        KpiValue.year <= last,
        KpiValue.is_current,
        approved_or_direct(),
    )


@collector_paused()
def read_grouped(session: Session, first: int, last: int, root: str | None) -> GroupedValues:
    """The counted values of ``first``–``last``: the root's rows, the others' groups and
    sums as ``kpi_groups`` keeps them (:mod:`.kept_sums`)."""
    sums: dict[Key, list[SummedGroup]] = defaultdict(list)
    for key, group in kept_sums(session, first, last, root):
        sums[key[:3]].append(group)
    root_rows, replaced = _root_rows(session, first, last, root)
    others = frozenset(session.scalars(select(Entity.id))) - {root}
    reader = partial(_value_groups, session, root)
    return GroupedValues(root_rows, dict(sums), replaced, others, reader)


def _value_groups(
    session: Session, root: str | None, year: int, figures: Collection[Figure]
) -> dict[Figure, list[MemberGroup]]:
    """The groups of ``figures`` (metric, dims) in ``year`` with their entities, values and
    ids side by side, for a roll-up value by value."""
    conn = session.connection()
    postgres = conn.dialect.name == "postgresql"
    store: list[array[float]] = []
    if postgres:
        collected: list[Any] = [
            func.array_agg(KpiValue.entity_id),
            func.array_agg(KpiValue.value),
            func.array_agg(KpiValue.id),
        ]
    else:
        collector = type("Collect", (_Collector,), {"store": store})
        conn.connection.driver_connection.create_aggregate(COLLECT, 1, collector)  # type: ignore[union-attr]
        collected = [
            func.group_concat(KpiValue.entity_id, SEP),
            func.esg_collect_members(KpiValue.value, type_=Integer),
            func.group_concat(KpiValue.id, ","),
            func.count(),
        ]
    keys = value_keys()
    stmt = (
        select(*keys, *collected)
        .where(
            _counted(year, year),
            KpiValue.value.is_not(None),
            KpiValue.metric_id.in_(sorted({m for m, _ in figures})),
        )
        .group_by(*keys)
    )
    if root is not None:
        stmt = stmt.where(KpiValue.entity_id != root)
    wanted = set(figures)
    result: list[Any] = [r for r in session.execute(stmt) if (r[1], r[2]) in wanted]
    # a group's lists are made as it is kept (one group's entity strings at a time before
    # they are shared)
    columns = _columns(result, store) if not postgres else (r[-3:] for r in result)
    names: dict[str, str] = {}  # one string kept per entity, however many values it has
    groups: dict[Figure, list[MemberGroup]] = defaultdict(list)
    for (
        y,
        metric_id,
        dims,
        unit,
        decimals,
        qualifier,
        prelim,
        restates,
        *_,
    ), (entities, values, ids) in zip(result, columns, strict=True):
        groups[(metric_id, dims)].append(
            MemberGroup(
                y, metric_id, dims, unit, decimals, qualifier, bool(prelim), bool(restates),
                list(map(names.setdefault, entities, entities)),
                values if isinstance(values, array) else array("d", values),
                ids if isinstance(ids, array) else array("q", ids),
            )
        )  # fmt: skip
    return dict(groups)


def _columns(result: list[Any], store: list[array[float]]) -> Iterator[tuple[Any, Any, Any]]:
    """SQLite's groups as (entities, values, ids), one group at a time: the lists split
    column-wise."""
    counts = [int(r[-1]) for r in result]
    entities = _split([r[-4] for r in result], SEP, counts)
    ids = _split([r[-2] for r in result], ",", counts)
    if entities is None or ids is None:
        raise InvalidInput("an entity id holds a control character (U+001F); rename it")
    for e, i, r in zip(entities, ids, result, strict=True):
        yield e.to_list(), store[r[-3]], _int_array(i)


def _int_array(items: pl.Series) -> array[int]:
    out: array[int] = array("q")
    out.frombytes(items.cast(pl.Int64).to_numpy().tobytes())
    return out


def _root_rows(
    session: Session, first: int, last: int, root: str | None
) -> tuple[dict[Key, KpiRow], dict[int, KpiRow]]:
    """The root's counted rows by (year, metric, dims) (the oldest of a key first), and the
    rows they restate."""
    if root is None:
        return {}, {}
    ids = set(
        session.scalars(
            select(KpiValue.id).where(
                KpiValue.entity_id == root,
                KpiValue.year >= first,
                KpiValue.year <= last,
                CURRENT,
                approved_or_direct(),
            )
        )
    )
    out: dict[Key, KpiRow] = {}
    for row in sorted(rows_by_id(session, ids).values()):
        out.setdefault((row.year, row.metric_id, row.dims), row)
    restates = {r.restates_id for r in out.values() if r.restates_id is not None}
    return out, rows_by_id(session, restates)
