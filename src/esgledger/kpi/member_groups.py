"""Members' KPI values grouped in the database: what a roll-up needs, without a row object.

A KPI table of a group with ten thousand entities adds up a million stored values a year.
Reading them as rows into Python took most of ``esg kpi`` (3.6 M rows, 30 CPU s for three
years), while a roll-up needs only each value, its entity and a few columns shared by many
rows. So the database groups the counted values (current, not pending, with a value) by
year, metric, breakdown, unit, printed decimals, qualifier, preliminary flag and whether
they restate another value, and hands each group's entities, values and ids over as lists:
PostgreSQL through ``array_agg`` (float8 arrays print the shortest text that reads back to
the same bits), SQLite through an aggregate function registered on the connection that
collects the values (a bound ``array.append``: no Python frame per value) beside
``group_concat`` lists of the ids and entities, split column-wise by Polars (4.6 M values at
10,000 entities: a Python call with three arguments per value took about 0.7 µs of 1.0).
The sums are exact (``math.fsum``), so the order the database visits the rows in does not
matter.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Integer, and_, func, select
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.ledger.kpi_rows import KpiRow, rows_by_id
from esgledger.ledger.kpis import approved_or_direct
from esgledger.ledger.models import KpiValue

COLLECT = "esg_collect_members"  # the SQLite aggregate's name on a connection


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


@dataclass(frozen=True)
class GroupedValues:
    """The counted values of a span of years for the KPI tables: the group root's own rows
    whole, every other entity's values grouped (:class:`MemberGroup`)."""

    root_rows: dict[Key, KpiRow]
    groups: dict[Key, list[MemberGroup]]
    replaced: dict[int, KpiRow]  # the rows the root rows restate, by id

    def keys(self, year: int) -> set[tuple[str, str]]:
        """(metric, dims) of every figure ``year`` has values for."""
        return {(m, d) for y, m, d in (*self.root_rows, *self.groups) if y == year}


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


def read_grouped(session: Session, first: int, last: int, root: str | None) -> GroupedValues:
    """The counted values of ``first``–``last``: the root's rows, the others grouped."""
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
        select(*keys, *collected)
        .where(_counted(first, last), KpiValue.value.is_not(None))
        .group_by(*keys)
    )
    if root is not None:
        stmt = stmt.where(KpiValue.entity_id != root)
    groups: dict[Key, list[MemberGroup]] = defaultdict(list)
    result: list[Any] = list(session.execute(stmt))
    columns = _columns(result, store) if not postgres else None
    names: dict[str, str] = {}  # one string kept per entity, however many values it has
    for i, (
        year,
        metric_id,
        dims,
        unit,
        decimals,
        qualifier,
        prelim,
        restates,
        *lists,
    ) in enumerate(result):
        entities, values, ids = lists if columns is None else columns[i]
        groups[(year, metric_id, dims)].append(
            MemberGroup(
                year, metric_id, dims, unit, decimals, qualifier, bool(prelim), bool(restates),
                list(map(names.setdefault, entities, entities)),
                values if isinstance(values, array) else array("d", values),
                ids if isinstance(ids, array) else array("q", ids),
            )
        )  # fmt: skip
    root_rows, replaced = _root_rows(session, first, last, root)
    return GroupedValues(root_rows, dict(groups), replaced)


def _columns(result: list[Any], store: list[array[float]]) -> list[tuple[Any, Any, Any]]:
    """SQLite's groups as (entities, values, ids): the lists split column-wise."""
    counts = [int(r[-1]) for r in result]
    entities = _split([r[-4] for r in result], SEP, counts)
    ids = _split([r[-2] for r in result], ",", counts)
    if entities is None or ids is None:
        raise InvalidInput("an entity id holds a control character (U+001F); rename it")
    return [
        (e.to_list(), store[r[-3]], _int_array(i))
        for e, i, r in zip(entities, ids, result, strict=True)
    ]


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
            select(KpiValue.id).where(_counted(first, last), KpiValue.entity_id == root)
        )
    )
    out: dict[Key, KpiRow] = {}
    for row in sorted(rows_by_id(session, ids).values()):
        out.setdefault((row.year, row.metric_id, row.dims), row)
    restates = {r.restates_id for r in out.values() if r.restates_id is not None}
    return out, rows_by_id(session, restates)
